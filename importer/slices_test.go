package importer_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// The property of a roster planned in slices (slices.go): for any live state
// and any onboarding roster, the slices give the plan one plan of the whole
// roster gives, row for row (status, problems, changes with their fields
// and reasons and what they read), the same problems of the check, summary
// and notes; and that plan applies, after which planning again finds
// nothing. Slices of one row: every row not joined to another by a key is
// a slice of its own.
func TestPropertySlicesPlanAsWhole(t *testing.T) {
	trials, steps := 12, 6
	if testing.Short() {
		trials = 3
	}
	sliced := 0
	for trial := range trials {
		t.Run(fmt.Sprint("seed", trial), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(trial), 7))
			ctx := context.Background()
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
			must(t, err)
			defer st.Close()
			must(t, st.Migrate(ctx))
			must(t, st.Seed(ctx, propertySeed()))
			for step := range steps {
				path := filepath.Join(t.TempDir(), fmt.Sprintf("roster%d.csv", step))
				roster := randomRoster(r)
				if r.IntN(2) == 0 { // rows with a mistake, somewhere: invalid, on their own or joined to others
					lines := strings.Split(strings.TrimSuffix(roster, "\n"), "\n")
					outbound := strings.Contains(lines[0], "Outbound Only")
					for k := range 1 + r.IntN(3) {
						bad := fmt.Sprintf("x%d@acme.example,First,Last,not-an-email,,,,,,100 Main St,San Francisco,CA,94105,US", k)
						if r.IntN(2) == 0 {
							bad = "u7@acme.example,First7,Last7,not-an-email,2001,+14155550101,,,,100 Main St,San Francisco,CA,94105,US"
						}
						if outbound {
							bad += ","
						}
						at := 1 + r.IntN(len(lines))
						lines = slices.Insert(lines, at, bad)
					}
					roster = strings.Join(lines, "\n") + "\n"
				}
				must(t, os.WriteFile(path, []byte(roster), 0o644))
				po := randomOptions(r)
				po.Mode, po.Manage = plan.Onboard, plan.Scope{}
				src := importer.Source{Path: path}

				whole, cw, err := importer.Plan(ctx, st, src, importer.Options{Plan: po, Full: true})
				must(t, err)
				cut, cs, err := importer.Plan(ctx, st, src, importer.Options{Plan: po, Full: true, Slice: 1})
				must(t, err)
				if cs.Total > 1 {
					sliced++
				}
				if cut.Spilled() {
					_, err := cut.Load(allOf(cut))
					must(t, err)
				}
				if got, want := planText(cut), planText(whole); got != want {
					t.Fatalf("step %d: the plan in slices is not the plan whole:\n--- whole\n%s--- in slices\n%s--- roster\n%s", step, want, got, roster)
				}
				if got, want := problemsText(cs), problemsText(cw); got != want {
					t.Fatalf("step %d: the check in slices is not the check whole:\n--- whole\n%s--- in slices\n%s--- roster\n%s", step, want, got, roster)
				}
				if cs.PlannedRows() != cw.PlannedRows() || cs.Total != cw.Total || len(cs.Invalid) != len(cw.Invalid) {
					t.Fatalf("step %d: rows planned %d / %d, read %d / %d, invalid %d / %d", step,
						cs.PlannedRows(), cw.PlannedRows(), cs.Total, cw.Total, len(cs.Invalid), len(cw.Invalid))
				}
				res, err := importer.Apply(ctx, st, cut, apply.Options{})
				must(t, err)
				if res.Rollback {
					t.Fatalf("step %d: the plan in slices rolled back: %+v", step, res.Failed)
				}
				again, _, err := importer.Plan(ctx, st, src, importer.Options{Plan: po, Full: true, Slice: 1})
				must(t, err)
				if !again.Empty() {
					t.Fatalf("step %d: planned again after the apply:\n%s", step, describe(again))
				}
			}
		})
	}
	if sliced == 0 {
		t.Fatal("no roster was planned in slices")
	}
}

func allOf(p *plan.Plan) []int {
	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	return all
}

// planText renders what a plan says of each row, its summary and notes;
// the changes by row, as their text (indexes apart).
func planText(p *plan.Plan) string {
	var b strings.Builder
	change := func(ci int) string {
		c := p.Changes[ci]
		var reads []string
		for _, ri := range c.Reads {
			rd := p.Reads[ri]
			reads = append(reads, fmt.Sprintf("%s %s v%d %s (%s)", rd.Kind, rd.Key, rd.Version, rd.State, rd.Why))
		}
		var fields []string
		for _, f := range c.Fields.All() {
			fields = append(fields, fmt.Sprintf("%s: %q -> %q", f.Field, f.Before, f.After))
		}
		return fmt.Sprintf("%s %s %s v%d (%s) rows %v fields %v reads %v", c.Action, c.Kind, c.Key, c.Version, c.Reason, c.Rows, fields, reads)
	}
	for _, r := range p.Rows {
		fmt.Fprintf(&b, "row %d %s %s\n", r.Line, r.Key, r.Status)
		for _, pr := range r.Problems {
			fmt.Fprintf(&b, "  problem %s %s %s\n", pr.Cell, pr.Code, pr.Message)
		}
		for _, ci := range r.Changes {
			fmt.Fprintf(&b, "  %s\n", change(ci))
		}
	}
	var all []string
	for ci := range p.Changes {
		all = append(all, change(ci))
	}
	slices.Sort(all)
	fmt.Fprintf(&b, "changes:\n  %s\nsummary %+v replayable %v\nnotes %q\n", strings.Join(all, "\n  "), p.Summary, p.Replayable, p.Notes)
	return b.String()
}

func problemsText(c *importer.Checked) string {
	var b strings.Builder
	for _, p := range c.Problems {
		fmt.Fprintf(&b, "%s %s %s %v\n", p.Cell, p.Code, p.Message, p.Blocking())
	}
	for _, r := range c.Invalid {
		fmt.Fprintf(&b, "invalid %d %s %d problems\n", r.Line, r.Key, len(r.Problems))
	}
	return b.String()
}

// A roster whose rows take numbers and extensions from the pool is planned
// whole (the picks go in roster order over every row), whatever the slice
// size: the plan is the whole one, not spilled, every pick as the whole
// plan makes it.
func TestSlicesPoolPlannedWhole(t *testing.T) {
	ctx := context.Background()
	s := storetest.OpenSQLite(t)
	must(t, s.Migrate(ctx))
	must(t, s.Seed(ctx, poolSeed()))
	src := importer.Source{Path: writeFile(t, "pool.csv", poolRoster()), Allocate: pbx.Allocate{Numbers: true, Extensions: true}}
	whole, _, err := importer.Plan(ctx, s, src, importer.Options{Full: true})
	must(t, err)
	cut, c, err := importer.Plan(ctx, s, src, importer.Options{Full: true, Slice: 2})
	must(t, err)
	if cut.Spilled() {
		t.Error("a roster of pool picks was planned in slices")
	}
	if c.Total != 21 {
		t.Errorf("rows read: %d, want 21", c.Total)
	}
	if got, want := planText(cut), planText(whole); got != want {
		t.Fatalf("planned with slices:\n%s\nwhole:\n%s", got, want)
	}
}
