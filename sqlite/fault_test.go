package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestInterruptedApply cancels an apply after each of its statements in
// turn: the file then holds the state before plus whole batches, in order,
// the audit log says which, and planning the same roster again and
// applying it ends where an uninterrupted run does, version for version;
// with batches written change by change, and set-wise (cancelled after
// each set-based statement).
func TestInterruptedApply(t *testing.T) {
	t.Run("change by change", func(t *testing.T) { testInterruptedApply(t, 1<<30) })
	t.Run("set-wise", func(t *testing.T) { testInterruptedApply(t, 1) })
}

func testInterruptedApply(t *testing.T, setwiseFrom int) {
	ctx := context.Background()
	sc := storetest.Mixed(8)
	open := func(t *testing.T) *sqlite.Store {
		s := openSeeded(t, filepath.Join(t.TempDir(), "pbxsync.db"))
		if err := s.Seed(ctx, sc.Seed); err != nil {
			t.Fatal(err)
		}
		s.BatchRows = 3
		sqlite.SetSetwiseFrom(s, setwiseFrom)
		return s
	}
	ref := open(t)
	before, err := ref.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	rows := sc.Rows(before)
	p, err := sc.Plan(before, rows)
	if err != nil {
		t.Fatal(err)
	}
	events, statements := 0, 0
	sqlite.SetHook(ref, func(_ context.Context, _, change int, _ uint32) {
		events++
		if change == -3 {
			statements++
		}
	})
	if res, err := ref.Apply(ctx, p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("uninterrupted apply: %+v, %v", res, err)
	}
	if (statements > 0) != (setwiseFrom == 1) {
		t.Fatalf("%d set-based statements with batches of %d changes or more set-wise", statements, setwiseFrom)
	}
	final, err := ref.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	batches := apply.Batches(p, 3)
	for k := 1; k <= events; k++ {
		t.Run(fmt.Sprint("cancel after ", k), func(t *testing.T) {
			s := open(t)
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			n := 0
			sqlite.SetHook(s, func(context.Context, int, int, uint32) {
				if n++; n == k {
					cancel()
				}
			})
			res, err := s.Apply(cctx, p, apply.Options{})
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled apply: %v", err)
			}
			rec, rerr := s.Run(ctx, res.RunID)
			if rerr != nil {
				t.Fatal(rerr)
			}
			written := map[int]bool{}
			for i, o := range rec.Outcomes {
				written[i] = o.Outcome == plan.ChangeApplied
			}
			if err != nil && rec.Outcome != plan.RunInterrupted || err == nil && rec.Outcome != plan.RunApplied {
				t.Errorf("run outcome %q (apply error %v)", rec.Outcome, err)
			}
			storetest.WholeBatches(t, batches, written) // whole batches only, in order
			st, err := s.Load(ctx, storetest.Acme)
			if err != nil {
				t.Fatal(err)
			}
			want, err := storetest.Predict(before, p, func(i int) bool { return written[i] })
			if err != nil {
				t.Fatal(err)
			}
			if d := storetest.DiffState(st, want); d != "" {
				t.Fatalf("after the cut the state is not before + the batches written:\n%s", d)
			}
			sqlite.SetHook(s, nil)
			p2, err := sc.Plan(st, rows)
			if err != nil {
				t.Fatal(err)
			}
			if res2, err := s.Apply(ctx, p2, apply.Options{}); err != nil || len(res2.Failed) > 0 {
				t.Fatalf("re-run: %+v, %v", res2, err)
			}
			after, err := s.Load(ctx, storetest.Acme)
			if err != nil {
				t.Fatal(err)
			}
			if d := storetest.DiffState(after, final); d != "" {
				t.Fatalf("the re-run does not end where an uninterrupted run does:\n%s", d)
			}
		})
	}
}
