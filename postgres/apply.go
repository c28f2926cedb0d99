package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// Apply writes a plan while holding the company's lock (waiting up to
// LockWait for another run to release it, then failing with an error
// wrapping pbx.ErrLocked that names the holder), and records the run in the
// audit log. Every update and delete checks the version the plan saw.
//
// It writes the plan in batches of whole roster rows (BatchRows), each batch
// one transaction together with its audit records (apply.Write decides the
// batches). When a change cannot be written (stale version, a value held by
// another object, an invalid field) the batch is rolled back and written
// again without that change's row and the rows that go with it or need it;
// Result.Failed lists every change not written with the reason in domain
// words, and the run is 'partial' (or 'failed' when no row was written).
// With o.Atomic the whole plan is one transaction and a failing change
// writes nothing: Result.Rollback is set and Result.Failed names that
// change. o.Progress hears of each batch committed.
//
// A non-nil error means the store itself failed or the context ended: the
// batches committed before stay written (each whole), the returned Result
// counts them, and the run is recorded as interrupted. Planning the same
// roster again and applying it finishes the job.
//
// An empty plan writes nothing at all, not even a run.
func (s *Store) Apply(ctx context.Context, p *plan.Plan, o apply.Options) (*plan.Result, error) {
	if p == nil || p.Empty() {
		return &plan.Result{}, nil
	}
	lk, err := s.lockCompany(ctx, p, o.Atomic)
	if err != nil {
		return nil, err
	}
	defer lk.release()
	if o.Locked != nil {
		if done, err := s.locked(ctx, lk, p, o); done || err != nil {
			return &plan.Result{}, err
		}
	}
	res, t, err := apply.Write(ctx, p, &batchWriter{s: s, lk: lk, p: p}, s.BatchRows, o)
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
			t.Applied, lk.run, t.Batches, err)
	}
	return res, nil
}

// batchWriter writes the batches of one run (apply.Writer).
type batchWriter struct {
	s     *Store
	lk    *companyLock
	p     *plan.Plan
	ahead *prepared // the next batch, prepared while this one is written
}

// WriteBatch writes one batch in one transaction (see apply.Writer):
// set-wise when it is large enough, else (or when the set-based statements
// find a change at fault) change by change, which names the change.
func (w *batchWriter) WriteBatch(ctx context.Context, b apply.Batch) error {
	from := w.s.setwiseFrom
	if from <= 0 {
		from = setwiseMin
	}
	return apply.SetwiseFirst(len(b.Changes), from, func() error {
		pre := w.ahead
		if pre == nil || !slices.Equal(pre.changes, b.Changes) {
			pre = prepare(w.p, w.p.Company, b.Changes)
		}
		w.ahead = nil
		if len(b.Next) >= from {
			w.ahead = prepare(w.p, w.p.Company, b.Next)
		}
		return w.try(ctx, b, func(ctx context.Context, a *applier) error { return a.setwise(ctx, b.Changes, pre) })
	}, func() error {
		return w.try(ctx, b, func(ctx context.Context, a *applier) error {
			return apply.WriteChanges(ctx, b.Changes, a.change, a.after)
		})
	})
}

// try writes a batch in a transaction of its own with write, then its
// audit records, and commits. A change error from write is returned as it
// is, naming its change; apply.ErrSetwise as it is (nothing committed).
func (w *batchWriter) try(ctx context.Context, b apply.Batch, write func(context.Context, *applier) error) error {
	s, lk, p := w.s, w.lk, w.p
	// The audit record is encoded on another core while the batch is
	// written: it is a fifth of the client's work, and the server's writing
	// leaves the client idle.
	audit := apply.EncodeLater(p, b)
	defer audit() // the encoding reads b: done before the caller goes on
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning batch %d: %w", b.Number, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, fmt.Sprintf("%dms", max(s.lockWait().Milliseconds(), 1))); err != nil {
		return fmt.Errorf("batch %d: setting the lock timeout: %w", b.Number, err)
	}
	if err := fence(ctx, tx, lk.run, p.Company); err != nil {
		return err
	}
	if err := apply.CheckReads(ctx, p, b.Changes, func(ctx context.Context, want apply.Wanted) (*apply.Current, error) {
		return readCurrent(ctx, tx, p.Company, want)
	}); err != nil {
		return err // a *apply.ChangeError: what a change relies on moved
	}
	a := &applier{tx: tx, q: tx, pool: s.pool, company: p.Company, p: p}
	backend := tx.Conn().PgConn().PID()
	if s.hook != nil {
		a.after = func(i int) { s.hook(ctx, hookEvent{Batch: b.Number, Change: i, PID: backend}) }
	}
	if err := write(ctx, a); err != nil {
		if _, ok := apply.AsChangeError(err); ok {
			return err
		}
		if errors.Is(err, apply.ErrSetwise) {
			return err
		}
		return fmt.Errorf("batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		if err := bumpGeneration(ctx, tx, p.Company); err != nil {
			return fmt.Errorf("batch %d: %w", b.Number, err)
		}
	}
	if len(b.Changes)+len(b.Notes) > 0 {
		if err := recordEncoded(ctx, tx, lk.run, b, audit()); err != nil {
			return fmt.Errorf("batch %d: recording its changes: %w", b.Number, err)
		}
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -1, PID: backend})
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		lk.commits++
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -2, PID: backend})
	}
	return nil
}
