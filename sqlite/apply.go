package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
// one IMMEDIATE transaction together with its audit records (apply.Write
// decides the batches). When a change cannot be written (stale version, a
// value held by another object, an invalid field) the batch is rolled back
// and written again without that change's row and the rows that go with it
// or need it; Result.Failed lists every change not written with the reason
// in domain words, and the run is 'partial' (or 'failed' when no row was
// written). With o.Atomic the whole plan is one transaction and a failing
// change writes nothing: Result.Rollback is set and Result.Failed names
// that change. o.Progress hears of each batch committed.
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
	defer s.keepAlive(ctx, lk)()
	if o.Locked != nil {
		if done, err := s.locked(ctx, lk, p, o); done || err != nil {
			return &plan.Result{}, err
		}
	}
	res, t, err := apply.Write(ctx, p, &batchWriter{s: s, lk: lk, p: p}, s.BatchRows, o)
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
			t.Applied, lk.run, t.Batches, err)
	}
	return res, nil
}

// batchWriter writes the batches of one run (apply.Writer).
type batchWriter struct {
	s  *Store
	lk *companyLock
	p  *plan.Plan
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
		return w.try(ctx, b, func(ctx context.Context, a *applier) error { return a.setwise(ctx, b.Changes) })
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
	s := w.s
	conn, err := s.writer(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.lockErr(ctx, err, w.p.Company)
	}
	defer tx.Rollback()
	if err := heartbeat(ctx, tx, w.lk); err != nil {
		return err
	}
	if err := apply.CheckReads(ctx, w.p, b.Changes, func(ctx context.Context, want apply.Wanted) (*apply.Current, error) {
		return readCurrent(ctx, tx, w.p.Company, want)
	}); err != nil {
		return err // a *apply.ChangeError: what a change relies on moved
	}
	a := &applier{tx: tx, company: w.p.Company, p: w.p}
	if s.hook != nil {
		a.after = func(i int) { s.hook(ctx, hookEvent{Batch: b.Number, Change: i}) }
	}
	if err := write(ctx, a); err != nil {
		if _, ok := apply.AsChangeError(err); ok || errors.Is(err, apply.ErrSetwise) {
			return err
		}
		return fmt.Errorf("batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		if err := bumpGeneration(ctx, tx, w.p.Company); err != nil {
			return fmt.Errorf("batch %d: %w", b.Number, err)
		}
	}
	if err := recordChanges(ctx, tx, w.lk.run, w.p, b); err != nil {
		return fmt.Errorf("batch %d: recording its changes: %w", b.Number, err)
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -1})
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		w.lk.commits++
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -2})
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

// release deletes the run's company lock, when finishing the run failed.
func (s *Store) release(ctx context.Context, lk *companyLock) {
	conn, err := s.writer(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.ExecContext(ctx, `DELETE FROM company_locks WHERE company = ?1 AND run_id = ?2`, lk.company, lk.run)
}
