package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Run is a run that holds its company: what an engine's lock records.
type Run struct {
	Company string
	ID      int64
	Gen     int64 // the company's generation when the run took the lock
	Commits int   // the batches with changes the run committed: each raised the generation by one
	Waited  time.Duration
	Holder  int64 // the run it waited for
}

// Apply writes a plan while holding the company's lock (waiting for another
// run to release it, then failing with an error wrapping pbx.ErrLocked that
// names the holder), and records the run in the audit log. Every update and
// delete checks the version the plan saw.
//
// It writes the plan in batches of whole roster rows (BatchRows), each
// batch one transaction together with its audit records (apply.Write
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
	r := s.E
	if err := s.companyThere(ctx, p.Company); err != nil {
		return nil, err
	}
	run, release, err := r.Lock(ctx, p, o.Atomic)
	if err != nil {
		return nil, err
	}
	defer release()
	if o.Locked != nil {
		lock := apply.Lock{Waited: run.Waited, Holder: run.Holder, Generation: run.Gen}
		giveUp := func(ctx context.Context) { r.GiveUp(ctx, run) }
		if done, err := Locked(ctx, r, run, lock, p, o, giveUp); done || err != nil {
			return &plan.Result{}, err
		}
	}
	res, t, err := apply.Write(ctx, p, &batchWriter{e: r, claims: r.ClaimTables(), tune: s.Tune, run: run, p: p}, s.BatchRows, o)
	res.RunID = run.ID
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if ferr := r.Finish(fctx, run, p, t); ferr != nil {
		if err == nil {
			return res, fmt.Errorf("%s: the plan was applied, but recording the run's end failed: %w", r.Name(), ferr)
		}
		err = errors.Join(err, fmt.Errorf("recording the run's end: %w", ferr))
	}
	if err != nil {
		return res, fmt.Errorf("%s: applying the plan stopped after %d of its changes (run %d, %d batches committed): %w",
			r.Name(), t.Applied, run.ID, t.Batches, err)
	}
	return res, nil
}

// companyThere checks that company is in the store (wrapping
// pbx.ErrNotFound when not).
func (s *Store) companyThere(ctx context.Context, company string) error {
	var one int
	switch err := s.E.Snapshot(ctx, func(q Q) error {
		return q.QueryRow(ctx, `SELECT 1 FROM companies WHERE id = $1`, company).Scan(&one)
	}); {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%w: company %q is not in the store; load it first with `pbxsync init --seed FILE`", pbx.ErrNotFound, company)
	case err != nil:
		return fmt.Errorf("%s: looking up company %s: %w", s.E.Name(), company, err)
	}
	return nil
}
