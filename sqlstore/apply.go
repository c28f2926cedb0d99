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

// Runner is an engine's side of Apply: how it holds a company and writes.
type Runner interface {
	Dialect
	// Lock waits for the company's lock, then records the run (outcome
	// running); release lets the company go (Apply has checked that the
	// company is there). A lock held longer than the wait wraps
	// pbx.ErrLocked.
	Lock(ctx context.Context, p *plan.Plan, atomic bool) (run *Run, release func(), err error)
	// Writes is where a run's own record is rewritten (a replanned plan)
	// and the company looked up before the lock.
	Writes() Q
	// GiveUp deletes a run that never wrote (apply.Options.Locked).
	GiveUp(ctx context.Context, run *Run)
	// Batches begins the run's batches, each in its own transaction.
	Batches(run *Run, p *plan.Plan) Batches
	// Finish records how the run ended and the changes it never reached.
	Finish(ctx context.Context, run *Run, p *plan.Plan, t *apply.Tally) error
	// ClaimTables reports whether the claims are tables that Apply writes
	// beside their objects (a schema distributed on Citus), not views of
	// the objects' own unique indexes (see claims.go).
	ClaimTables() bool
}

// Apply writes a plan while holding the company's lock (waiting for another
// run to release it, then failing with an error wrapping pbx.ErrLocked that
// names the holder), and records the run in the audit log. Every update and
// delete checks the version the plan saw.
//
// It writes the plan in batches of whole roster rows (batchRows), each
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
func Apply(ctx context.Context, r Runner, p *plan.Plan, o apply.Options, batchRows int) (*plan.Result, error) {
	if p == nil || p.Empty() {
		return &plan.Result{}, nil
	}
	var one int
	switch err := r.Writes().QueryRow(ctx, `SELECT 1 FROM companies WHERE id = $1`, p.Company).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("%w: company %q is not in the store; load it first with `pbxsync init --seed FILE`", pbx.ErrNotFound, p.Company)
	case err != nil:
		return nil, fmt.Errorf("%s: looking up company %s: %w", r.Name(), p.Company, err)
	}
	run, release, err := r.Lock(ctx, p, o.Atomic)
	if err != nil {
		return nil, err
	}
	defer release()
	if o.Locked != nil {
		lock := apply.Lock{Waited: run.Waited, Holder: run.Holder, Generation: run.Gen}
		giveUp := func(ctx context.Context) { r.GiveUp(ctx, run) }
		if done, err := Locked(ctx, r.Writes(), run.ID, lock, p, o, giveUp); done || err != nil {
			return &plan.Result{}, err
		}
	}
	res, t, err := apply.Write(ctx, p, &batchWriter{d: r, claims: r.ClaimTables(), b: r.Batches(run, p), run: run, p: p}, batchRows, o)
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
