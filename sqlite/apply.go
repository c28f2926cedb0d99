package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Apply writes a plan in one transaction. It begins IMMEDIATE, so it holds
// the database's write lock (and with it the company's) from the start; when
// another writer holds it longer than BusyTimeout it fails with an error
// wrapping pbx.ErrLocked. Every update and delete checks the version the plan
// saw.
//
// When a change cannot be written (stale version, a value held by another
// object, an invalid field) nothing is written: Apply rolls back, records the
// run as "rolled back" in a transaction of its own, and returns a Result with
// Rollback set and the failing change in Failed; its error is nil. A non-nil
// error means the store itself failed (locked, lost, cancelled). On success
// the run and every change are recorded in the same transaction.
//
// An empty plan writes nothing at all, not even a run.
func (s *Store) Apply(ctx context.Context, p *plan.Plan) (*plan.Result, error) {
	if p == nil || p.Empty() {
		return &plan.Result{}, nil
	}
	started := time.Now()
	conn, err := s.writer(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, lockErr(err, p.Company)
	}
	defer tx.Rollback()
	if err := lockCompany(ctx, tx, p.Company); err != nil {
		return nil, err
	}
	a := &applier{tx: tx, company: p.Company, p: p}
	for i := range p.Changes {
		err := a.change(ctx, i)
		if err == nil {
			continue
		}
		ce, ok := isChangeError(err)
		if !ok {
			return nil, fmt.Errorf("sqlite: applying change %d of the plan: %w", i, err)
		}
		if err := tx.Rollback(); err != nil {
			return nil, fmt.Errorf("sqlite: rolling back: %w", err)
		}
		res := &plan.Result{Rollback: true, Failed: []plan.Outcome{{Change: i, Err: ce.err, Reason: ce.err.Error()}}}
		id, err := s.recordFailure(ctx, conn, p, started, res)
		if err != nil {
			return res, fmt.Errorf("sqlite: the plan was rolled back, but recording the run failed: %w", err)
		}
		res.RunID = id
		return res, nil
	}
	res := &plan.Result{Applied: len(p.Changes)}
	id, err := recordRun(ctx, tx, s.Who, p, started, res)
	if err != nil {
		return nil, fmt.Errorf("sqlite: recording the run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: committing the plan: %w", err)
	}
	res.RunID = id
	return res, nil
}

// lockCompany checks that the company exists. The IMMEDIATE transaction
// already holds the write lock of the whole database.
func lockCompany(ctx context.Context, tx *sql.Tx, company string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM companies WHERE id = ?1`, company).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: company %q is not in the store; load it first with `pbxsync init --seed FILE`", pbx.ErrNotFound, company)
	}
	if err != nil {
		return fmt.Errorf("sqlite: locking company %s: %w", company, err)
	}
	return nil
}

// writer returns the writer connection with the busy timeout set.
func (s *Store) writer(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	timeout := s.BusyTimeout
	if timeout <= 0 {
		timeout = DefaultBusyTimeout
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", timeout.Milliseconds())); err != nil {
		conn.Close()
		return nil, fmt.Errorf("sqlite: setting the busy timeout: %w", err)
	}
	return conn, nil
}

// recordFailure records a rolled-back run in a transaction of its own.
func (s *Store) recordFailure(ctx context.Context, conn *sql.Conn, p *plan.Plan, started time.Time, res *plan.Result) (int64, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	id, err := recordRun(ctx, tx, s.Who, p, started, res)
	if err != nil {
		return 0, err
	}
	return id, tx.Commit()
}
