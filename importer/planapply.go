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
// is then a slice's, not the run's. applied hears each slice written, with
// its plan (its change indexes its own) and its result, before the next is
// planned; every row of the roster is in one slice's plan, and the rows
// of the slices are in roster order once sorted by line. The slices are
// one run, which records the whole plan: its rows and notes, its changes
// numbered as in one plan made whole, its batches numbered across slices.
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
// committed batches do); the rows not yet planned are then not reported.
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
