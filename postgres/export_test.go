package postgres

import (
	"context"
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

// SetSetwiseFrom makes Apply write batches of n changes or more with the
// set-based statements (1: every batch; a huge n: none).
func SetSetwiseFrom(s *Store, n int) { s.setwiseFrom = n }
