package apply

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/pbxsync/pbxsync/plan"
)

// A Writer is the store's side of Write: it writes one batch in one
// transaction.
type Writer interface {
	// WriteBatch writes b.Changes (plan indexes, ascending) and the audit
	// records of the batch (those changes as applied, and b.Notes) in one
	// transaction, and commits it. It returns nil once the transaction
	// committed; a *ChangeError naming the change that could not be written,
	// with nothing committed; or any other error when the store failed
	// (lost connection, cancelled, locked), with nothing committed.
	WriteBatch(ctx context.Context, b Batch) error
}

// Batch is what one transaction writes.
type Batch struct {
	Number  int    // from 1, in the order batches are written
	Changes []int  // plan indexes to write, ascending
	Notes   []Note // changes decided without being written, to record
	// Next is what the batch after this one will write when every change
	// of this one is written (nil for the last): a Writer may prepare it
	// while the store writes this one. A guess, not a promise: when a
	// change fails, the next batch may be another.
	Next []int
	// Seq is added to the change indexes of the audit records: a slice's
	// plan written as part of a run's whole plan (importer.PlanApply)
	// records its changes by their index in the whole.
	Seq int
}

// Note is a change decided without being written, for the audit log and
// the result.
type Note struct {
	Change  int
	Outcome string // plan.ChangeFailed, ChangeSkipped, ChangeRolledBack, ChangeNotRun
	Err     error  // why; nil for rolled back and not run
}

// ChangeError is a change a store cannot write for a reason of the domain:
// a stale version, a value another object holds, an invalid field. Err
// says why in domain words ("user kim@acme.example: extension 4021 is
// already used by jdoe@acme.example; choose another extension") and wraps
// the sentinel (pbx.ErrStale, pbx.ErrConflict, pbx.ErrInvalid,
// pbx.ErrNotFound). Any other error a Writer returns is a failure of the
// store itself, which stops the run.
type ChangeError struct {
	Change int // plan index
	Err    error
	// Others are more changes of the batch that cannot be written, each
	// with its own reason, found by the same check (a site many rows
	// relied on has changed): Write leaves their rows out too, rather than
	// writing the batch again once for each.
	Others []*ChangeError
}

func (e *ChangeError) Error() string { return e.Err.Error() }
func (e *ChangeError) Unwrap() error { return e.Err }

// AsChangeError reports whether err is (or wraps) a *ChangeError.
func AsChangeError(err error) (*ChangeError, bool) {
	var ce *ChangeError
	ok := errors.As(err, &ce)
	return ce, ok
}

// Tally counts what a run did, for its record in the audit log.
type Tally struct {
	Batches                  int // transactions committed
	Applied, Failed, Skipped int
	NotRun                   []int // changes never tried (the run was interrupted), ascending
	Outcome                  plan.RunOutcome
	// Seq is added to NotRun's indexes in the audit log (see Batch.Seq).
	Seq int
}

// Write writes p through w: in batches of batchRows roster rows (0 means
// DefaultBatchRows), or in one transaction with o.Atomic.
//
// In batches, when a change fails for a reason of the domain its group
// (the changes that must be written with it) and every group that needs it
// is left out and the batch written again without them; Result.Failed
// lists every change not written, in plan order: the one that failed with
// its reason, the others "not written, because " and that reason. An E911
// location that rows share is written in the batch of the first of those
// rows that is written; when none is, it is not written either.
//
// With o.Atomic, a failing change writes nothing: the result has Rollback
// set and names that change, and the audit records it in a transaction of
// its own.
//
// A store failure stops the run: the batches committed before stay, and the
// error is returned with the result and tally so far.
func Write(ctx context.Context, p *plan.Plan, w Writer, batchRows int, o Options) (*plan.Result, *Tally, error) {
	progress := o.Progress
	if progress == nil {
		progress = func(int, int) {}
	}
	if o.Atomic {
		if p.Spilled() { // one transaction writes every change
			if _, err := p.Load(allChanges(p)); err != nil {
				return &plan.Result{}, &Tally{Outcome: plan.RunInterrupted, NotRun: allChanges(p)}, err
			}
		}
		return writeAtomic(ctx, p, w, progress)
	}
	g := groupPlan(p)
	if _, err := p.Load(nil); err != nil { // the grouping could not read a spilled plan back
		return &plan.Result{}, &Tally{Outcome: plan.RunInterrupted, NotRun: allChanges(p)}, err
	}
	return g.write(ctx, batchRows, w, progress)
}

func allChanges(p *plan.Plan) []int {
	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	return all
}

// load brings back the field lists and reasons of what a batch reads when
// the plan is spilled (plan.Spill): its changes, the next batch's (which a
// Writer may prepare meanwhile) and its notes' (for the audit record).
func load(p *plan.Plan, changes, next []int, notes []Note) error {
	if !p.Spilled() {
		return nil
	}
	if _, err := p.Load(changes); err != nil {
		return err
	}
	if _, err := p.Load(next); err != nil {
		return err
	}
	noted := make([]int, len(notes))
	for i, n := range notes {
		noted[i] = n.Change
	}
	sort.Ints(noted)
	_, err := p.Load(noted)
	return err
}

// Batches returns the changes (plan indexes, ascending) of each batch
// Write writes for p, with batches of batchRows roster rows, when every
// change is written.
func Batches(p *plan.Plan, batchRows int) [][]int {
	g := groupPlan(p)
	var out [][]int
	for _, b := range g.batches(batchRows) {
		out = append(out, g.changesOf(b))
	}
	return out
}

// write writes the plan batch by batch (see Write).
func (g *grouping) write(ctx context.Context, maxRows int, w Writer, progress func(done, total int)) (*plan.Result, *Tally, error) {
	res, t := &plan.Result{}, &Tally{}
	dead := map[int]error{} // group -> why it is not written
	var failed []plan.Outcome
	deadNeed := func(gi int) error {
		for _, dep := range g.groups[gi].needs {
			if err, ok := dead[dep]; ok {
				return err
			}
		}
		return nil
	}
	kill := func(gi, at int, cause error, notes *[]Note) {
		dead[gi] = cause
		for _, ci := range g.groups[gi].changes {
			n := Note{Change: ci, Outcome: plan.ChangeSkipped, Err: fmt.Errorf("not written, because %w", cause)}
			if ci == at {
				n = Note{Change: ci, Outcome: plan.ChangeFailed, Err: cause}
			}
			*notes = append(*notes, n)
		}
	}

	batches := g.batches(maxRows)
	// The deferred groups each batch is the last to need: those not written
	// by the end of it never will be.
	lastNeed := make([][]int, len(batches))
	{
		last := map[int]int{}
		for bi, b := range batches {
			for _, gi := range b {
				for _, dep := range g.groups[gi].needs {
					last[dep] = bi
				}
			}
		}
		for dep, bi := range last {
			lastNeed[bi] = append(lastNeed[bi], dep)
		}
		for _, deps := range lastNeed {
			sort.Ints(deps)
		}
	}
	written := make([]bool, len(g.groups))
	settled := make([]bool, len(g.groups)) // written or noted, committed
	done, total := 0, g.total()
	progress(0, total)
	// A spilled plan's changes are let go one batch after theirs commits: a
	// Writer may still be reading what it prepared for an attempt that failed.
	var held []int

	for bi, b := range batches {
		var notes []Note
		var live []int
		var wrote []int
		for _, gi := range b {
			if g.deferred(gi) {
				continue // goes with the first live group that needs it
			}
			if cause := deadNeed(gi); cause != nil {
				kill(gi, -1, cause, &notes)
				continue
			}
			live = append(live, gi)
		}
		var with []int // the deferred groups written with this batch
		for {
			with = g.neededBy(live, written, dead)
			for _, dep := range lastNeed[bi] {
				if !written[dep] && dead[dep] == nil && !contains(with, dep) {
					kill(dep, -1, fmt.Errorf("no row that needs it was written: %w", g.deadDependent(dep, dead)), &notes)
				}
			}
			changes := g.changesOf(append(append([]int(nil), live...), with...))
			var next []int
			if bi+1 < len(batches) {
				next = g.ahead(batches[bi+1], with, written, dead)
			}
			err := load(g.p, changes, next, notes)
			if err == nil {
				err = interrupted(ctx, w.WriteBatch(ctx, Batch{Number: bi + 1, Changes: changes, Notes: notes, Next: next}))
			}
			if err == nil {
				t.Batches++
				t.Applied += len(changes)
				wrote = changes
				break
			}
			ce, ok := AsChangeError(err)
			if !ok || ce.Change < 0 || ce.Change >= len(g.of) {
				for gi, s := range settled {
					if !s {
						t.NotRun = append(t.NotRun, g.groups[gi].changes...)
					}
				}
				sort.Ints(t.NotRun)
				g.p.Load(t.NotRun) // the store records them (NotRunNotes); a spilled plan that cannot be read records them without fields
				t.finish(res, failed, true)
				return res, t, err
			}
			kill(g.of[ce.Change], ce.Change, ce.Err, &notes)
			for _, o := range ce.Others {
				if o.Change >= 0 && o.Change < len(g.of) && dead[g.of[o.Change]] == nil {
					kill(g.of[o.Change], o.Change, o.Err, &notes)
				}
			}
			kept := live[:0]
			for _, gi := range live {
				if _, ok := dead[gi]; ok {
					continue
				}
				if cause := deadNeed(gi); cause != nil {
					kill(gi, -1, cause, &notes)
					continue
				}
				kept = append(kept, gi)
			}
			live = kept
		}
		settle := func(gi int) {
			if !settled[gi] {
				settled[gi] = true
				done += g.weight(gi)
			}
		}
		for _, gi := range live {
			written[gi] = true
			settle(gi)
		}
		for _, gi := range with {
			written[gi] = true
			settle(gi)
		}
		for _, n := range notes {
			settle(g.of[n.Change])
		}
		failed = collect(failed, notes, t)
		progress(done, total)
		if g.p.Spilled() {
			g.p.Unload(held)
			held = wrote
			for _, n := range notes {
				held = append(held, n.Change)
			}
		}
	}
	t.finish(res, failed, false)
	return res, t, nil
}

// ahead is what the batch of groups b will write if the groups live and
// with are written now (see Batch.Next).
func (g *grouping) ahead(b, with []int, written []bool, dead map[int]error) []int {
	var gs []int
	for _, gi := range b {
		if written[gi] || dead[gi] != nil || contains(with, gi) { // live: batches are disjoint
			continue
		}
		gs = append(gs, gi)
	}
	return g.changesOf(gs)
}

// neededBy lists the deferred groups that the groups live need and that
// are neither written nor dead, ascending.
func (g *grouping) neededBy(live []int, written []bool, dead map[int]error) []int {
	var out []int
	for _, gi := range live {
		for _, dep := range g.groups[gi].needs {
			if !written[dep] && dead[dep] == nil && !contains(out, dep) {
				out = append(out, dep)
			}
		}
	}
	sort.Ints(out)
	return out
}

// deadDependent returns why the first group that needs dep was not
// written.
func (g *grouping) deadDependent(dep int, dead map[int]error) error {
	for gi := range g.groups {
		if contains(g.groups[gi].needs, dep) {
			if err := dead[gi]; err != nil {
				return err
			}
		}
	}
	return errors.New("no row needs it") // not reached: a deferred group is needed
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// collect adds the notes of a committed batch to the result's failures.
func collect(failed []plan.Outcome, notes []Note, t *Tally) []plan.Outcome {
	for _, n := range notes {
		switch n.Outcome {
		case plan.ChangeFailed:
			t.Failed++
		case plan.ChangeSkipped:
			t.Skipped++
		}
		failed = append(failed, plan.Outcome{Change: n.Change, Err: n.Err, Reason: n.Err.Error()})
	}
	return failed
}

// finish fills in the result and the run's outcome.
// The notes of a batch that did not commit are not part of it: that batch
// is as if never tried, and planning again finds its changes.
func (t *Tally) finish(res *plan.Result, failed []plan.Outcome, interrupted bool) {
	sort.Slice(failed, func(i, j int) bool { return failed[i].Change < failed[j].Change })
	res.Applied, res.Failed = t.Applied, failed
	t.Outcome = Outcome(interrupted, t.Applied, len(failed))
}

// writeAtomic writes the whole plan in one transaction (see Write).
func writeAtomic(ctx context.Context, p *plan.Plan, w Writer, progress func(done, total int)) (*plan.Result, *Tally, error) {
	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	total := 0
	if len(all) > 0 {
		total = groupPlan(p).total()
	}
	progress(0, total)
	t := &Tally{}
	err := interrupted(ctx, w.WriteBatch(ctx, Batch{Number: 1, Changes: all}))
	if err == nil {
		t.Batches, t.Applied, t.Outcome = 1, len(all), plan.RunApplied
		progress(total, total)
		return &plan.Result{Applied: len(all)}, t, nil
	}
	ce, ok := AsChangeError(err)
	if !ok || ce.Change < 0 || ce.Change >= len(all) {
		t.Outcome, t.NotRun = plan.RunInterrupted, all
		return &plan.Result{}, t, err
	}
	at := ce.Change
	notes := make([]Note, len(all))
	for i := range all {
		switch {
		case i < at:
			notes[i] = Note{Change: i, Outcome: plan.ChangeRolledBack}
		case i == at:
			notes[i] = Note{Change: i, Outcome: plan.ChangeFailed, Err: ce.Err}
		default:
			notes[i] = Note{Change: i, Outcome: plan.ChangeSkipped}
		}
	}
	res := &plan.Result{Rollback: true, Failed: []plan.Outcome{{Change: at, Err: ce.Err, Reason: ce.Err.Error()}}}
	t.Failed, t.Skipped, t.Outcome = 1, len(all)-at-1, plan.RunRolledBack
	if err := w.WriteBatch(ctx, Batch{Number: 1, Notes: notes}); err != nil {
		return res, t, fmt.Errorf("the plan was rolled back, but recording the run failed: %w", err)
	}
	progress(total, total)
	return res, t, nil
}

// NotRunNotes are the notes that record the changes the run never reached.
func (t *Tally) NotRunNotes() []Note {
	notes := make([]Note, len(t.NotRun))
	for i, ci := range t.NotRun {
		notes[i] = Note{Change: ci, Outcome: plan.ChangeNotRun}
	}
	return notes
}

// interrupted returns err, or when ctx is done, an error that is ctx's: a
// batch cut short by Ctrl-C did not commit and no row is to blame, even when
// the driver says so in its own words ("sql: statement is closed") or the
// failing statement looks like a change's.
func interrupted(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil {
		return err
	}
	if _, change := AsChangeError(err); !change && errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w (%v)", ctx.Err(), err)
}
