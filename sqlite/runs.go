package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// engine is the store's side of sqlstore.Engine.
type engine struct {
	dialect
	s *Store
}

// Snapshot runs read in a read-only transaction: one snapshot of the file.
func (e engine) Snapshot(ctx context.Context, read func(sqlstore.Q) error) error {
	tx, err := e.s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("beginning a read: %w", err)
	}
	defer tx.Rollback()
	return read(&q{x: tx})
}

// Settle tells what became of a run recorded as running whose process is
// gone (no lock names it, or its lease expired): done when its committed
// batches settled every change, interrupted otherwise (apply.Settled).
func (e engine) Settle(ctx context.Context, r *plan.Run) error {
	s := e.s
	if r.Outcome != plan.RunRunning {
		return nil
	}
	h, err := s.holderOf(ctx, r.Company)
	if err != nil {
		return err
	}
	if h != nil && h.run == r.ID && !h.gone(s.staleLock()) {
		return nil
	}
	r.Outcome = apply.Settled(*r)
	return nil
}

// Write runs write in an IMMEDIATE transaction on the writer, waiting for
// another writer of the file no longer than BusyTimeout.
func (e engine) Write(ctx context.Context, company string, write func(sqlstore.Q) error) error {
	conn, err := e.s.writer(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return e.s.lockErr(ctx, err, company)
	}
	defer tx.Rollback()
	if err := write(&q{x: tx, stmts: map[string]*sql.Stmt{}}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: committing: %w", err)
	}
	return nil
}

// finishRun records how the run ended and the changes it never reached,
// and releases the company.
func (s *Store) finishRun(ctx context.Context, lk *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	return engine{s: s}.Write(ctx, lk.Company, func(x sqlstore.Q) error {
		released, err := x.Exec(ctx, `DELETE FROM company_locks WHERE company = $1 AND run_id = $2`, lk.Company, lk.ID)
		if err != nil {
			return err
		}
		// The generation the run left is known while it still holds the
		// company (a run whose stale lock another run took is past knowing
		// it). SQLite commits what it says it committed: the tally is exact.
		now := "'" + time.Now().UTC().Format(time.RFC3339Nano) + "'"
		return sqlstore.FinishRun(ctx, x, now, lk, p, t, released == 1)
	})
}
