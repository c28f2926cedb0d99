package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// SliceStore is a Store that can write one run slice by slice as its plan
// is made (sqlstore.Store.ApplySlices): slices plans each slice and hands
// it to write as soon as it is planned, and returns the run's whole plan
// without its changes, which the run records at its end.
type SliceStore interface {
	Store
	ApplySlices(ctx context.Context, o apply.Options, slices func(write func(q *plan.Plan) (*plan.Result, error)) (*plan.Plan, error)) (*plan.Result, error)
}

// ErrMoved is PlanApply's refusal when the company changed between the
// reading of its live state and the taking of its lock (another run
// wrote it meanwhile): nothing is written, and the caller plans again.
var ErrMoved = errors.New("the company changed while the roster was planned")

// PlanApply plans a roster as Plan does and, when it is planned in slices
// (opts.Slice, slices.go) and the store can (SliceStore), applies each
// slice as soon as it is planned (docs/scale.md section 7): the plan held
// is then a slice's, not the run's, or two: each slice is written while
// the next is planned (overlap), one slice written at a time, in the
// slices' order. applied hears each slice written, with its plan (its
// change indexes its own) and its result, on the goroutine that wrote it,
// one slice after another and never two at once; every row of the roster
// is in one slice's plan, and the rows of the slices are in roster order
// once sorted by line. The slices are one run, which records the whole
// plan: its rows and notes, its changes numbered as in one plan made
// whole, its batches numbered across slices. opts.Progress hears the
// planning, which runs ahead of the writes by a slice at most.
//
// written reports whether it applied: then c.State is nil (let go before
// the run's end), p is the run's plan without
// its changes (p.Written counts them; its rows name them by their index
// in the whole), and res the run's result, its failures indexed as in the
// whole. Otherwise nothing is written and p is Plan's, for the caller to
// apply (a roster not planned in slices, or a store that cannot).
//
// The checks that refuse a run before it writes (the lock, o.Locked) are
// made when the first slice with changes takes the lock; then also the
// roster's bytes are hashed again and compared with what was read (else a
// pbx.ErrRead, nothing written), and the company's generation with the
// one its state was read at (else ErrMoved, nothing written: plan again).
// A store failure stops the run (the slices written stay, as Apply's
// committed batches do): the slice planned meanwhile is not written, and
// neither it nor the rows not yet planned are reported (their plan is not
// in p). The failure is heard when the planner hands the next slice, or
// at the end; PlanApply returns only once no slice is being written.
func PlanApply(ctx context.Context, s Store, src Source, opts Options, o apply.Options, applied func(q *plan.Plan, res *plan.Result)) (p *plan.Plan, c *Checked, res *plan.Result, written bool, err error) {
	ss, ok := s.(SliceStore)
	if !ok || opts.Slice <= 0 || o.Atomic {
		p, c, err = Plan(ctx, s, src, opts)
		return p, c, nil, false, err
	}
	var first plan.Plan // the first slice written: its header, what the lock checks
	locked := o.Locked
	o.Locked = func(ctx context.Context, l apply.Lock) (bool, error) {
		if l.Generation != first.Generation {
			return false, fmt.Errorf("%w (generation %d, now %d)", ErrMoved, first.Generation, l.Generation)
		}
		if h, err := hashFile(src.Path); err != nil {
			return false, err
		} else if h != first.RosterHash {
			return false, fmt.Errorf("%w: %s: the file changed while it was read; nothing was written: run again", pbx.ErrRead, first.Roster)
		}
		if locked != nil {
			return locked(ctx, l)
		}
		return false, nil
	}
	res, err = ss.ApplySlices(ctx, o, func(write func(q *plan.Plan) (*plan.Result, error)) (*plan.Plan, error) {
		opts.write = func(q *plan.Plan) error {
			if !written && !q.Empty() {
				first = plan.Plan{Generation: q.Generation, RosterHash: q.RosterHash, Roster: q.Roster}
			}
			r, err := write(q)
			if err != nil {
				return err
			}
			written = written || !q.Empty()
			if applied != nil {
				applied(q, r)
			}
			return nil
		}
		var perr error
		p, c, perr = Plan(ctx, s, src, opts)
		if written && c != nil {
			// The live state is not needed past the last slice: it goes
			// before the run records its plan's header (the JSON of every
			// row), and the pages with it.
			c.State = nil
			Handover()
		}
		return p, perr
	})
	if !written {
		res = nil // nothing written: p (when planned whole) is the caller's to apply
	}
	return p, c, res, written, err
}

// overlap writes the slices of a run applied as it is planned (PlanApply)
// one at a time, each in a goroutine of its own, so that the next slice is
// read, checked and planned while the one before is written: where a core
// is free for the planning while the store writes, the run takes about the
// longer of the two rather than their sum (BENCHMARKS.md, session 11,
// could not show it on a loaded machine; the cost it showed is memory: one
// slice more held). At most one slice is
// written while one more is planned; the planner waits (hand) before it
// hands the next, so the run holds no more than two slices' plans.
//
// The order of the writes is the order of the slices, as without it: the
// slices are written one after another, never two at once. Planning a
// slice while the one before is written is sound because the slices do
// not depend on each other: rows that share a key (a number one row frees
// and another takes, a user a number moves from, an ATA's ports...) are in
// one slice (slices.go), whose plan orders their changes (frees before
// takes); every slice is planned against the live state as read before the
// first write, and no slice's plan reads what another slice writes; the
// planning reads no store (the foreign rows are loaded before the first
// slice), so it does not contend with the write's transactions.
type overlap struct {
	done chan error // the slice being written; nil when none
	err  error      // the first write's error: nothing more is written
}

// OverlapSlices, when false, writes each slice before the next is planned
// (hand returns once the slice is written), as the apply in slices did
// before the overlap: for `bench --no-overlap`, which measures what the
// overlap pays with one binary. Set it before a run, never during one.
var OverlapSlices = true

// hand waits until the slice being written, if any, is written, then
// starts write, the next slice's, and returns at once. Once a write has
// failed, it starts nothing and returns that error.
func (o *overlap) hand(write func() error) error {
	if err := o.wait(); err != nil {
		return err
	}
	if !OverlapSlices {
		o.err = write()
		return o.err
	}
	done := make(chan error, 1)
	o.done = done
	go func() { done <- write() }()
	return nil
}

// wait waits until the slice being written, if any, is written, and
// returns the first write's error.
func (o *overlap) wait() error {
	if o.done != nil {
		if err := <-o.done; o.err == nil {
			o.err = err
		}
		o.done = nil
	}
	return o.err
}
