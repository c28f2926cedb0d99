package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// ApplySlices writes one run whose plan is made slice by slice
// (importer.PlanApply, docs/scale.md section 7): slices plans each slice and
// hands it to write as soon as it is planned, and returns the run's whole
// plan without its changes (its rows, summary, notes and reads: what the
// run records of it), or an error.
//
// The first slice with changes takes the company's lock and records the
// run (Engine.Lock), with that slice as its plan so far and one change
// more than written so far, so that a run whose process dies between
// slices is told as interrupted, never done (apply.Settled); o.Locked is
// called then, as by Apply, but may not replace the plan: an error gives
// the run up, nothing written. Each slice is written as Apply writes a
// plan in batches (never atomic): its batches numbered after the run's
// batches so far, its changes recorded in the audit log by their index
// in the whole plan (the slice's plus the changes of the slices before).
// write returns the slice's result, its change indexes the slice's own.
// Once the store fails (or ctx ends), write writes nothing more and
// returns that error again. slices may call write on goroutines other
// than its own (importer.PlanApply writes each slice while it plans the
// next), but one slice at a time, each call after the one before has
// returned, and none once slices has returned.
//
// At the end the run records the whole plan's header and count of changes,
// then its outcome (Engine.Finish). The result counts every slice, its
// failures by their index in the whole plan. Nothing to write writes no
// run. The error is the store's or plan's.
func (s *Store) ApplySlices(ctx context.Context, o apply.Options, slices func(write func(q *plan.Plan) (*plan.Result, error)) (*plan.Plan, error)) (*plan.Result, error) {
	r := &sliceRun{s: s, o: o}
	head, perr := slices(func(q *plan.Plan) (*plan.Result, error) { return r.write(ctx, q) })
	if r.run == nil {
		if perr == nil {
			perr = r.err
		}
		return &plan.Result{}, perr
	}
	defer r.release()
	e := s.E
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	t := r.t
	t.Outcome = apply.Outcome(r.err != nil || perr != nil, t.Applied, t.Failed+t.Skipped)
	err := errors.Join(r.err, perr)
	if head != nil && perr == nil {
		if herr := r.record(fctx, head); herr != nil {
			err = errors.Join(err, fmt.Errorf("recording the run's plan: %w", herr))
		}
	}
	if ferr := e.Finish(fctx, r.run, r.last, &t); ferr != nil {
		err = errors.Join(err, fmt.Errorf("recording the run's end: %w", ferr))
	}
	r.res.RunID = r.run.ID
	if err != nil {
		return &r.res, fmt.Errorf("%s: applying the plan stopped after %d of its changes (run %d, %d batches committed): %w",
			e.Name(), t.Applied, r.run.ID, t.Batches, err)
	}
	return &r.res, nil
}

// sliceRun is a run ApplySlices writes.
type sliceRun struct {
	s       *Store
	o       apply.Options
	run     *Run
	release func()
	last    *plan.Plan // the last slice written (Finish records its changes not run)
	t       apply.Tally
	res     plan.Result
	seq     int   // the changes of the slices written
	done    int   // their rows (progress)
	total   int   //
	err     error // the store failed: nothing more is written
}

// write writes the slice q (see ApplySlices).
func (r *sliceRun) write(ctx context.Context, q *plan.Plan) (*plan.Result, error) {
	if r.err != nil {
		return nil, r.err
	}
	if q.Empty() {
		return &plan.Result{}, nil
	}
	e := r.s.E
	if r.run == nil {
		if err := r.lock(ctx, q); err != nil {
			r.err = err
			return nil, err
		}
	}
	if err := r.count(ctx, q.Company, r.seq+len(q.Changes)+1); err != nil {
		r.err = fmt.Errorf("%s: recording the run's changes so far: %w", e.Name(), err)
		return nil, r.err
	}
	o := apply.Options{}
	var done, total int
	if r.o.Progress != nil {
		o.Progress = func(d, t int) {
			done, total = d, t
			r.o.Progress(r.done+d, r.total+t)
		}
	}
	w := &batchWriter{e: e, claims: e.ClaimTables(), tune: r.s.Tune, run: r.run, p: q, number: r.t.Batches, seq: r.seq}
	res, t, err := apply.Write(ctx, q, w, r.s.BatchRows, o)
	r.done, r.total = r.done+done, r.total+total
	r.last = q
	r.t.Batches += t.Batches
	r.t.Applied += t.Applied
	r.t.Failed += t.Failed
	r.t.Skipped += t.Skipped
	r.t.NotRun, r.t.Seq = t.NotRun, r.seq
	r.res.Applied += res.Applied
	for _, f := range res.Failed {
		f.Change += r.seq
		r.res.Failed = append(r.res.Failed, f)
	}
	r.seq += len(q.Changes)
	res.RunID = r.run.ID
	if err != nil {
		r.err = err
	}
	return res, err
}

// lock takes the company for the run and records it, q its first slice.
func (r *sliceRun) lock(ctx context.Context, q *plan.Plan) error {
	e := r.s.E
	if err := r.s.companyThere(ctx, q.Company); err != nil {
		return err
	}
	run, release, err := e.Lock(ctx, q, false)
	if err != nil {
		return err
	}
	if r.o.Locked != nil {
		replanned, err := r.o.Locked(ctx, apply.Lock{Waited: run.Waited, Holder: run.Holder, Generation: run.Gen})
		if err == nil && replanned {
			err = errors.New("a plan made in slices cannot be replaced once the run holds the company")
		}
		if err != nil {
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			e.GiveUp(fctx, run)
			release()
			return err
		}
	}
	r.run, r.release = run, release
	return nil
}

// count records n as the run's count of changes.
func (r *sliceRun) count(ctx context.Context, company string, n int) error {
	return r.s.E.Write(ctx, company, func(q Q) error {
		_, err := q.Exec(ctx, `UPDATE runs SET changes = $2 WHERE company = $3 AND id = $1`, r.run.ID, n, company)
		return err
	})
}

// record records head, the whole plan without its changes, as the run's
// plan, and the count of its changes.
func (r *sliceRun) record(ctx context.Context, head *plan.Plan) error {
	planJSON, err := header(head)
	if err != nil {
		return err
	}
	return r.s.E.Write(ctx, head.Company, func(q Q) error {
		_, err := q.Exec(ctx, `UPDATE runs SET plan = $2, changes = $3, mode = $4, roster = $5, roster_hash = $6,
			options_hash = $7 WHERE company = $8 AND id = $1`, r.run.ID, planJSON, r.seq, string(head.Mode), head.Roster, head.RosterHash, head.OptionsHash, head.Company)
		return err
	})
}
