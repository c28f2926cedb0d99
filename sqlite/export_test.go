package sqlite

import (
	"context"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// SetHook makes Apply call h after each change it writes in a batch, and
// with change -1 just before each batch commits and -2 just after; pid is the server process
// writing the batch (for pg_terminate_backend).
func SetHook(s *Store, h func(ctx context.Context, batch, change int, pid uint32)) {
	if h == nil {
		s.hook = nil
		return
	}
	s.hook = func(ctx context.Context, ev hookEvent) { h(ctx, ev.Batch, ev.Change, ev.PID) }
}

// Batches returns the changes (plan indexes) of each batch Apply would
// write for p with batches of rows roster rows.
func Batches(p *plan.Plan, rows int) [][]int { return apply.Batches(p, rows) }
