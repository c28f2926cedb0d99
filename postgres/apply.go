package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Apply writes a plan in one transaction. It first locks the company's row
// (SELECT ... FOR UPDATE) under a lock_timeout of LockTimeout: when another
// run holds it longer, Apply fails with an error wrapping pbx.ErrLocked.
// Every update and delete checks the version the plan saw.
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
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("postgres: beginning the plan's transaction: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if err := s.lockCompany(ctx, tx, p.Company); err != nil {
		return nil, err
	}
	a := &applier{tx: tx, q: tx, pool: s.pool, company: p.Company, p: p}
	for i := range p.Changes {
		err := a.change(ctx, i)
		if err == nil {
			continue
		}
		ce, ok := isChangeError(err)
		if !ok {
			return nil, fmt.Errorf("postgres: applying change %d of the plan: %w", i, err)
		}
		if err := tx.Rollback(ctx); err != nil && !errors.Is(err, pgx.ErrTxClosed) {
			return nil, fmt.Errorf("postgres: rolling back: %w", err)
		}
		res := &plan.Result{Rollback: true, Failed: []plan.Outcome{{Change: i, Err: ce.err, Reason: ce.err.Error()}}}
		var id int64
		err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			id, err = recordRun(ctx, tx, s.Who, p, started, res)
			return err
		})
		if err != nil {
			return res, fmt.Errorf("postgres: the plan was rolled back, but recording the run failed: %w", err)
		}
		res.RunID = id
		return res, nil
	}
	res := &plan.Result{Applied: len(p.Changes)}
	id, err := recordRun(ctx, tx, s.Who, p, started, res)
	if err != nil {
		return nil, fmt.Errorf("postgres: recording the run: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("postgres: committing the plan: %w", err)
	}
	res.RunID = id
	return res, nil
}

// lockCompany takes the company's row lock for the rest of tx, waiting at
// most LockTimeout (which then bounds every other lock wait of tx too).
func (s *Store) lockCompany(ctx context.Context, tx pgx.Tx, company string) error {
	timeout := s.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, fmt.Sprintf("%dms", timeout.Milliseconds())); err != nil {
		return fmt.Errorf("postgres: setting the lock timeout: %w", err)
	}
	var id string
	err := tx.QueryRow(ctx, `SELECT id FROM companies WHERE id = $1 FOR UPDATE`, company).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%w: company %q is not in the store; load it first with `pbxsync init --seed FILE`", pbx.ErrNotFound, company)
	case lockNotAvailable(err):
		return fmt.Errorf("%w: company %s: another pbxsync run has held it for more than %s; wait for it to finish and try again",
			pbx.ErrLocked, company, timeout)
	case err != nil:
		return fmt.Errorf("postgres: locking company %s: %w", company, err)
	}
	return nil
}
