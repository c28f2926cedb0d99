package importer_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
)

// A roster applied slice by slice as it is planned (PlanApply) and cut off
// after its first slice (Ctrl-C) leaves that slice written and recorded,
// the run interrupted, and the rest not written; applying it again writes
// the rest, in one run that records every row, and planning after that
// finds nothing to do.
func TestPlanApplyCutOffAndResumed(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
	must(t, err)
	defer st.Close()
	must(t, st.Migrate(ctx))
	must(t, st.Seed(ctx, propertySeed()))
	var b strings.Builder
	b.WriteString("User ID,First Name,Last Name,Email,Extension\n")
	for u := range 6 {
		fmt.Fprintf(&b, "u%d@acme.example,First%d,Last%d,u%d@acme.example,20%02d\n", u, u, u, u, 10+u)
	}
	src := importer.Source{Path: writeFile(t, "six.csv", b.String())}
	opts := importer.Options{Full: true, Slice: 1}

	cut, cancel := context.WithCancel(ctx)
	slices, changes := 0, 0
	p, _, res, written, err := importer.PlanApply(cut, st, src, opts, apply.Options{}, func(q *plan.Plan, r *plan.Result) {
		slices++
		changes += r.Applied
		cancel() // after the first slice: the second is not written
	})
	if !errors.Is(err, context.Canceled) || !written || p != nil {
		t.Fatalf("cut off: written %v, plan %v, err %v", written, p != nil, err)
	}
	if slices != 1 || changes == 0 || res == nil || res.Applied != changes || res.RunID == 0 {
		t.Fatalf("cut off: %d slices written, %d changes, result %+v", slices, changes, res)
	}
	rec, err := st.Run(ctx, res.RunID)
	must(t, err)
	if rec.Outcome != plan.RunInterrupted || rec.Applied != changes {
		t.Errorf("the cut-off run is recorded %s with %d changes applied; want interrupted with %d", rec.Outcome, rec.Applied, changes)
	}
	// The live state is as reported: the first row written, the others not.
	left, _, err := importer.Plan(ctx, st, src, importer.Options{Full: true})
	must(t, err)
	for _, r := range left.Rows {
		want := plan.StatusCreated
		if r.Line == 2 {
			want = plan.StatusUnchanged
		}
		if r.Status != want {
			t.Errorf("after the cut-off run, row %d plans as %s; want %s", r.Line, r.Status, want)
		}
	}

	p, _, res, written, err = importer.PlanApply(ctx, st, src, opts, apply.Options{}, nil)
	must(t, err)
	if !written || res.Applied != len(left.Changes) || p.Written() != len(left.Changes) || len(p.Changes) != 0 || len(p.Rows) != 6 {
		t.Fatalf("run again: written %v, applied %d, plan %d written + %d held, %d rows; want the %d changes left, 6 rows",
			written, res.Applied, p.Written(), len(p.Changes), len(p.Rows), len(left.Changes))
	}
	rec, err = st.Run(ctx, res.RunID)
	must(t, err)
	if rec.Outcome != plan.RunApplied || rec.Changes != len(left.Changes) || len(rec.Plan.Rows) != 6 {
		t.Errorf("the second run is recorded %s with %d changes and %d rows; want applied, %d, 6", rec.Outcome, rec.Changes, len(rec.Plan.Rows), len(left.Changes))
	}
	for i, o := range rec.Outcomes {
		if o.Outcome != plan.ChangeApplied || rec.Plan.Changes[i].Kind == "" {
			t.Errorf("change %d of the second run: %s %+v", i, o.Outcome, rec.Plan.Changes[i])
		}
	}
	again, _, err := importer.Plan(ctx, st, src, importer.Options{})
	must(t, err)
	if !again.Empty() || again.UnchangedSince != res.RunID {
		t.Errorf("planned again: %d changes, unchanged since run %d; want none, since run %d", len(again.Changes), again.UnchangedSince, res.RunID)
	}
}
