package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/plan"
)

// Apply writes a plan while holding the company's lock (waiting up to
// LockWait for another run to release it, then failing with an error
// wrapping pbx.ErrLocked that names the holder), and records the run in the
// audit log. Every update and delete checks the version the plan saw.
//
// It writes the plan in batches of whole roster rows (BatchRows), each batch
// one IMMEDIATE transaction together with its audit records. When a change
// cannot be written (stale version, a value held by another object, an
// invalid field) the batch is rolled back and written again without that
// change's row and the rows that go with it or need it; Result.Failed lists
// every change not written with the reason in domain words, and the run is
// 'partial' (or 'failed' when no row was written). With Atomic the whole plan
// is one transaction and a failing change writes nothing: Result.Rollback is
// set and Result.Failed names that change.
//
// A non-nil error means the store itself failed or the context ended: the
// batches committed before stay written (each whole), the returned Result
// counts them, and the run is recorded as interrupted. Planning the same
// roster again and applying it finishes the job.
//
// An empty plan writes nothing at all, not even a run.
func (s *Store) Apply(ctx context.Context, p *plan.Plan) (*plan.Result, error) {
	if p == nil || p.Empty() {
		return &plan.Result{}, nil
	}
	lk, err := s.lockCompany(ctx, p)
	if err != nil {
		return nil, err
	}
	write := func(ctx context.Context, batch int, changes []int, notes []note) (int, error) {
		return s.writeBatch(ctx, lk, p, batch, changes, notes)
	}
	var (
		res *plan.Result
		t   *tally
	)
	if s.Atomic {
		res, t, err = applyAtomic(ctx, p, write)
	} else {
		res, t, err = groupPlan(p).applyBatches(ctx, s.BatchRows, write)
	}
	res.RunID = lk.run
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := s.finishRun(fctx, lk, p, t); ferr != nil {
		s.release(fctx, lk) // at least let the company go
		if err == nil {
			return res, fmt.Errorf("sqlite: the plan was applied, but recording the run's end failed: %w", ferr)
		}
		err = errors.Join(err, fmt.Errorf("recording the run's end: %w", ferr))
	}
	if err != nil {
		return res, fmt.Errorf("sqlite: applying the plan stopped after %d of its changes (run %d, %d batches committed): %w",
			t.applied, lk.run, t.batches, err)
	}
	return res, nil
}

// writeBatch writes one batch in one transaction (see writeFunc).
func (s *Store) writeBatch(ctx context.Context, lk *companyLock, p *plan.Plan, batch int, changes []int, notes []note) (int, error) {
	conn, err := s.writer(ctx)
	if err != nil {
		return -1, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return -1, lockErr(err, p.Company)
	}
	defer tx.Rollback()
	if err := heartbeat(ctx, tx, lk); err != nil {
		return -1, err
	}
	a := &applier{tx: tx, company: p.Company, p: p}
	for _, i := range changes {
		if err := a.change(ctx, i); err != nil {
			if _, ok := isChangeError(err); ok {
				return i, err
			}
			return -1, fmt.Errorf("batch %d: %w", batch, err)
		}
		if s.hook != nil {
			s.hook(ctx, hookEvent{Batch: batch, Change: i})
		}
	}
	if err := recordChanges(ctx, tx, lk.run, p, batch, changes, notes); err != nil {
		return -1, fmt.Errorf("batch %d: recording its changes: %w", batch, err)
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: batch, Change: -1})
	}
	if err := tx.Commit(); err != nil {
		return -1, fmt.Errorf("committing batch %d: %w", batch, err)
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: batch, Change: -2})
	}
	return -1, nil
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

// release deletes the run's company lock, when finishing the run failed.
func (s *Store) release(ctx context.Context, lk *companyLock) {
	conn, err := s.writer(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.ExecContext(ctx, `DELETE FROM company_locks WHERE company = ?1 AND run_id = ?2`, lk.company, lk.run)
}
