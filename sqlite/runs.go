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

// ClaimTables is false: the claims are views of the objects, whose unique
// indexes keep the rule (migration 010, sqlstore/claims.go).
func (engine) ClaimTables() bool { return false }

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

// finishRun records how the run ended and the changes it never reached,
// and releases the company.
func (s *Store) finishRun(ctx context.Context, lk *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	conn, err := s.writer(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.lockErr(ctx, err, lk.Company)
	}
	defer tx.Rollback()
	released, err := tx.ExecContext(ctx, `DELETE FROM company_locks WHERE company = ?1 AND run_id = ?2`, lk.Company, lk.ID)
	if err != nil {
		return err
	}
	// The generation the run left is known while it still holds the
	// company (a run whose stale lock another run took is past knowing
	// it). SQLite commits what it says it committed: the tally is exact.
	n, err := released.RowsAffected()
	now := "'" + time.Now().UTC().Format(time.RFC3339Nano) + "'"
	if err := sqlstore.FinishRun(ctx, &q{x: tx}, now, lk, p, t, err == nil && n == 1); err != nil {
		return err
	}
	return tx.Commit()
}
