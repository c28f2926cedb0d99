package postgres

import (
	"context"
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
// one transaction together with its audit records. When a change cannot be
// written (stale version, a value held by another object, an invalid field)
// the batch is rolled back and written again without that change's row and
// the rows that go with it or need it; Result.Failed lists every change not
// written with the reason in domain words, and the run is 'partial' (or
// 'failed' when no row was written). With Atomic the whole plan is one
// transaction and a failing change writes nothing: Result.Rollback is set and
// Result.Failed names that change.
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
	defer lk.release()
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
	ferr := s.finishRun(fctx, lk, p, t)
	for try := 1; ferr != nil && try < 3 && fctx.Err() == nil; try++ {
		// The connection the pool gave may have died with the run's batch
		// (a lost connection): the pool drops it, the next one is fresh.
		time.Sleep(time.Duration(try) * 50 * time.Millisecond)
		ferr = s.finishRun(fctx, lk, p, t)
	}
	if ferr != nil {
		if err == nil {
			return res, fmt.Errorf("postgres: the plan was applied, but recording the run's end failed: %w", ferr)
		}
		err = errors.Join(err, fmt.Errorf("recording the run's end: %w", ferr))
	}
	if err != nil {
		return res, fmt.Errorf("postgres: applying the plan stopped after %d of its changes (run %d, %d batches committed): %w",
			t.applied, lk.run, t.batches, err)
	}
	return res, nil
}

// writeBatch writes one batch in one transaction (see writeFunc): set-wise
// when it is large enough, else (or when the set-based statements find a
// change at fault) change by change, which names the change.
func (s *Store) writeBatch(ctx context.Context, lk *companyLock, p *plan.Plan, batch int, changes []int, notes []note) (int, error) {
	from := s.setwiseFrom
	if from <= 0 {
		from = setwiseMin
	}
	if len(changes) >= from {
		_, err := s.tryBatch(ctx, lk, p, batch, changes, notes, func(ctx context.Context, a *applier) (int, error) {
			return -1, a.setwise(ctx, changes)
		})
		if !errors.Is(err, errSetwise) {
			return -1, err
		}
	}
	return s.tryBatch(ctx, lk, p, batch, changes, notes, func(ctx context.Context, a *applier) (int, error) {
		for _, i := range changes {
			if err := a.change(ctx, i); err != nil {
				return i, err
			}
			if a.after != nil {
				a.after(i)
			}
		}
		return -1, nil
	})
}

// tryBatch writes a batch in a transaction of its own with write, then
// its audit records, and commits. A change error from write is returned
// with the index write gave; errSetwise as it is (nothing committed).
func (s *Store) tryBatch(ctx context.Context, lk *companyLock, p *plan.Plan, batch int, changes []int, notes []note,
	write func(context.Context, *applier) (int, error)) (int, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return -1, fmt.Errorf("beginning batch %d: %w", batch, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, fmt.Sprintf("%dms", max(s.lockWait().Milliseconds(), 1))); err != nil {
		return -1, fmt.Errorf("batch %d: setting the lock timeout: %w", batch, err)
	}
	if err := fence(ctx, tx, lk.run, p.Company); err != nil {
		return -1, err
	}
	a := &applier{tx: tx, q: tx, pool: s.pool, company: p.Company, p: p}
	backend := tx.Conn().PgConn().PID()
	if s.hook != nil {
		a.after = func(i int) { s.hook(ctx, hookEvent{Batch: batch, Change: i, PID: backend}) }
	}
	if at, err := write(ctx, a); err != nil {
		if _, ok := isChangeError(err); ok {
			return at, err
		}
		if errors.Is(err, errSetwise) {
			return -1, err
		}
		return -1, fmt.Errorf("batch %d: %w", batch, err)
	}
	if err := recordChanges(ctx, tx, lk.run, p, batch, changes, notes); err != nil {
		return -1, fmt.Errorf("batch %d: recording its changes: %w", batch, err)
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: batch, Change: -1, PID: backend})
	}
	if err := tx.Commit(ctx); err != nil {
		return -1, fmt.Errorf("committing batch %d: %w", batch, err)
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: batch, Change: -2, PID: backend})
	}
	return -1, nil
}
