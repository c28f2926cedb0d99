package postgres

import (
	"context"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/plan"
)

// SetHook makes Apply call h after each change it writes in a batch (-3
// after each set-based statement), and with change -1 just before each
// batch commits and -2 just after; pid is the server process
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

// SetSetwiseFrom makes Apply write batches of n changes or more with the
// set-based statements (1: every batch; a huge n: none).
func SetSetwiseFrom(s *Store, n int) { s.setwiseFrom = n }

// InsertBlanks returns, per SQL table, the blank value each column gets in
// a set-based create that leaves it out ("" or nil for NULL).
func InsertBlanks() map[string]map[string]any {
	out := map[string]map[string]any{}
	for t, as := range columns.InsertBlanks {
		out[t.Name] = map[string]any{}
		for _, a := range as {
			out[t.Name][a.Col] = a.Val
		}
	}
	return out
}
