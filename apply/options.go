package apply

import (
	"context"
	"time"
)

// DefaultBatchRows is how many roster rows a batch holds when the store
// sets no other number. Each batch pays a fixed cost (its transaction, its
// statements' round trips and plans, its commit): an onboarding of 100,000
// users applied in 12-13 s in batches of 2,500 rows, 13.6-14 s in batches
// of 1,000 and 11.6 s in batches of 5,000, whose larger audit records and
// statements held more memory. A row that fails costs its batch one
// rewrite without it.
const DefaultBatchRows = 2500

// Options say how one apply goes (importer.Store's Apply takes them); the
// store's own settings (rows per batch, how long to wait for the lock) say
// the rest.
type Options struct {
	// Atomic writes the whole plan in one transaction: a failing change
	// writes nothing, Result.Rollback is set and Result.Failed names that
	// change. Otherwise the plan is written in batches of whole roster rows,
	// each its own transaction, and the rows that fail are left out.
	Atomic bool
	// Progress, when set, hears how many of the plan's rows are done
	// (written, or left out) of total: once with 0 before the first batch,
	// then after each batch commits, done never going down; a run that ends
	// without an error ends at done == total. A row is a roster row or a
	// leaver; a change that no row holds counts as one. It is called from
	// the goroutine that applies, between batches.
	Progress func(done, total int)
	// Locked, when set, is called once the store holds the company's lock
	// and before it writes anything, with what the lock says: how long the
	// run waited for it, for which run, and the company's generation now.
	// It may replace the plan being applied (the *plan.Plan given to the
	// store's Apply, in place) by one made against the live state it finds,
	// and then reports replanned: a writer that waited re-plans instead of
	// writing a plan made before another run changed the company. The store
	// records the new plan in the run; an empty one writes nothing, not even
	// a run. An error gives the lock up, writes nothing and is returned.
	Locked func(ctx context.Context, l Lock) (replanned bool, err error)
}

// Lock is what a store knows of the company lock it just took.
type Lock struct {
	Waited     time.Duration // how long the run waited for the lock
	Holder     int64         // the run it waited for, 0 when none or not known
	Generation int64         // the company's generation now
}
