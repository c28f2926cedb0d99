package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

// faultStore is a fresh seeded store of the Mixed scenario with batches of
// batchRows rows, the state before, the roster rows and their plan.
type faultStore struct {
	s      *postgres.Store
	url    string
	before *pbx.State
	rows   []*pbx.Row
	p      *plan.Plan
}

func newFaultStore(t *testing.T, sc storetest.Scenario, batchRows, setwiseFrom int) *faultStore {
	t.Helper()
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, sc.Seed); err != nil {
		t.Fatal(err)
	}
	s.BatchRows = batchRows
	postgres.SetSetwiseFrom(s, setwiseFrom)
	f := &faultStore{s: s, url: url}
	if f.before, err = s.Load(ctx, storetest.Acme); err != nil {
		t.Fatal(err)
	}
	f.rows = sc.Rows(f.before)
	if f.p, err = sc.Plan(f.before, f.rows); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestInterruptedApply cuts an apply off at many points, by cancelling its
// context or by killing its server process (pg_terminate_backend from
// another session), after k statements for k swept over the whole apply.
// After each cut, the store holds the state before plus whole batches (a
// prefix of them: every batch written entirely or not at all), the audit log
// says exactly which changes were written and that the run was interrupted,
// and planning the same roster again and applying it ends in the same state,
// version for version, as a run that was never cut off.
func TestInterruptedApply(t *testing.T) {
	t.Run("change by change", func(t *testing.T) { testInterruptedApply(t, 1<<30) })
	t.Run("set-wise", func(t *testing.T) { testInterruptedApply(t, 1) })
}

func testInterruptedApply(t *testing.T, setwiseFrom int) {
	ctx := context.Background()
	sc := storetest.Mixed(12)
	const batchRows = 3

	// The run that is never cut off, counting its hook events.
	ref := newFaultStore(t, sc, batchRows, setwiseFrom)
	events, statements := 0, 0
	postgres.SetHook(ref.s, func(_ context.Context, _, change int, _ uint32) {
		events++
		if change == -3 {
			statements++
		}
	})
	if res, err := ref.s.Apply(ctx, ref.p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("uninterrupted apply: %+v, %v", res, err)
	}
	final, err := ref.s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if want, err := storetest.Predict(ref.before, ref.p, nil); err != nil || storetest.DiffState(final, want) != "" {
		t.Fatalf("the uninterrupted apply is not what the plan says: %v\n%s", err, storetest.DiffState(final, want))
	}
	batches := apply.Batches(ref.p, batchRows)
	t.Logf("%d changes in %d batches, %d points to cut at (%d set-based statements)", len(ref.p.Changes), len(batches), events, statements)
	if (statements > 0) != (setwiseFrom == 1) {
		t.Fatalf("%d set-based statements with batches of %d changes or more set-wise", statements, setwiseFrom)
	}
	if len(batches) < 4 {
		t.Fatalf("only %d batches: the scenario is too small to cut between batches", len(batches))
	}

	step := max(1, events/20)
	if testing.Short() {
		step = max(1, events/8)
	}
	for k := 1; k <= events; k += step {
		for _, how := range []string{"cancel", "kill"} {
			if (k/step)%2 == 1 && how == "cancel" || (k/step)%2 == 0 && how == "kill" {
				continue // alternate, so each k is cut one way
			}
			t.Run(fmt.Sprintf("%s after %d", how, k), func(t *testing.T) {
				f := newFaultStore(t, sc, batchRows, setwiseFrom)
				admin, err := pgx.Connect(ctx, f.url)
				if err != nil {
					t.Fatal(err)
				}
				defer admin.Close(ctx)
				cctx, cancel := context.WithCancel(ctx)
				defer cancel()
				n := 0
				postgres.SetHook(f.s, func(hctx context.Context, batch, change int, pid uint32) {
					if n++; n != k {
						return
					}
					if how == "cancel" {
						cancel()
						return
					}
					if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend($1::int)`, int(pid)); err != nil {
						t.Errorf("pg_terminate_backend: %v", err)
					}
				})
				res, err := f.s.Apply(cctx, f.p, apply.Options{})
				if res == nil {
					t.Fatalf("Apply returned no result (err %v)", err)
				}
				cut := err != nil
				if cut && how == "cancel" && !errors.Is(err, context.Canceled) {
					t.Errorf("cancelled apply: %v, want an error wrapping context.Canceled", err)
				}
				rec, rerr := f.s.Run(ctx, res.RunID)
				if rerr != nil {
					t.Fatal(rerr)
				}
				written := map[int]bool{}
				for i, o := range rec.Outcomes {
					switch o.Outcome {
					case plan.ChangeApplied:
						written[i] = true
					case plan.ChangeNotRun:
					default:
						t.Errorf("change %d recorded %q", i, o.Outcome)
					}
				}
				if cut && rec.Outcome != plan.RunInterrupted || !cut && rec.Outcome != plan.RunApplied {
					t.Errorf("run outcome %q (apply error %v)", rec.Outcome, err)
				}
				if res.Applied != len(written) && how == "cancel" {
					t.Errorf("Result.Applied %d, the audit log says %d", res.Applied, len(written))
				}
				storetest.WholeBatches(t, batches, written) // whole batches only, in order
				st, err := f.s.Load(ctx, storetest.Acme)
				if err != nil {
					t.Fatal(err)
				}
				want, err := storetest.Predict(f.before, f.p, func(i int) bool { return written[i] })
				if err != nil {
					t.Fatal(err)
				}
				if d := storetest.DiffState(st, want); d != "" {
					t.Fatalf("after the cut the state is not before + the batches written:\n%s", d)
				}

				// Plan the same roster again and finish the job.
				postgres.SetHook(f.s, nil)
				p2, err := sc.Plan(st, f.rows)
				if err != nil {
					t.Fatal(err)
				}
				res2, err := f.s.Apply(ctx, p2, apply.Options{})
				if err != nil || len(res2.Failed) > 0 {
					t.Fatalf("re-run: %+v, %v", res2, err)
				}
				after, err := f.s.Load(ctx, storetest.Acme)
				if err != nil {
					t.Fatal(err)
				}
				if d := storetest.DiffState(after, final); d != "" {
					t.Fatalf("the re-run does not end where an uninterrupted run does:\n%s", d)
				}
				if p3, err := sc.Plan(after, f.rows); err != nil || !p3.Empty() {
					t.Fatalf("a third plan: %v, %v; want nothing to do", p3.Changes, err)
				}
			})
		}
	}
}
