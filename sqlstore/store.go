package sqlstore

import (
	"context"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Engine is what an engine package gives the shared store: its dialect,
// read snapshots, and what it knows of its runs' locks.
type Engine interface {
	Dialect
	// Snapshot runs read in a read-only transaction that sees one
	// snapshot of the database.
	Snapshot(ctx context.Context, read func(Q) error) error
	// Settle tells what became of r when it is recorded as running but its
	// process is gone (nobody holds its company): done when its committed
	// batches settled every change, interrupted otherwise (apply.Settled).
	Settle(ctx context.Context, r *plan.Run) error
}

// Reads are the read-only methods of a store, the same on every engine;
// each engine's Store embeds them.
type Reads struct{ E Engine }

// Companies lists the companies in the store, by ID.
func (s Reads) Companies(ctx context.Context) (cs []pbx.Company, err error) {
	err = s.E.Snapshot(ctx, func(q Q) error {
		cs, err = companies(ctx, q, s.E)
		return err
	})
	return cs, err
}

// Load reads the whole of one company, each object with its version, and
// the whole device catalogue, from one snapshot, one query per table. A
// missing company wraps pbx.ErrNotFound.
func (s Reads) Load(ctx context.Context, company string) (st *pbx.State, err error) {
	err = s.E.Snapshot(ctx, func(q Q) error {
		st, err = load(ctx, q, s.E, company)
		return err
	})
	return st, err
}

// LoadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to companies other than st's, so that
// validation can report them as held elsewhere. Objects of st's own
// company are left as they are.
func (s Reads) LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	return s.E.Snapshot(ctx, func(q Q) error { return loadForeign(ctx, q, s.E, st, keys) })
}
