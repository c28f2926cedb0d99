package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/xuri/excelize/v2"
)

// sliceRoster follows the demo onboarding (its E911 address then exists):
// Ann changes number and extension and Lou takes her number (one slice),
// two rows want one number and one has a bad e-mail (invalid), others are
// new or unchanged (slices of their own).
const sliceRoster = `First Name,Last Name,Email,User ID,Phone Number,Extension,Station Type,Phone Model,MAC Address,Port,E911 Street,E911 City,E911 State,E911 Postal Code,E911 Country
Ann,Lee,ann.lee@acme.example,alee@acme.example,415 555 0120,2120,Premium,Yealink T42G,80:5E:C0:11:22:01,1,100 Market St,San Francisco,CA,94105,US
Mia,Fox,mia.fox@acme.example,mfox@acme.example,415 555 0121,2121,Standard,Yealink T42G,80:5E:C0:11:22:21,1,100 Market St,San Francisco,CA,94105,US
Ned,Orr,not-an-email,norr@acme.example,415 555 0122,2122,Standard,,,,100 Market St,San Francisco,CA,94105,US
Bob,Martin,bob.martin@acme.example,bmartin@acme.example,415-555-0102,2102,Standard,Yealink T54W,805ec0112202,1,100 Market St,San Francisco,CA,94105,US
Oz,Pim,oz.pim@acme.example,opim@acme.example,415 555 0121,2123,Standard,,,,100 Market St,San Francisco,CA,94105,US
Lou,Ray,lou.ray@acme.example,lray@acme.example,415 555 0101,2101,Standard,,,,100 Market St,San Francisco,CA,94105,US
Pat,Quo,pat.quo@acme.example,pquo@acme.example,415 555 0124,2124,Standard,Yealink T42G,80:5E:C0:11:22:24,1,100 Market St,San Francisco,CA,94105,US
Carol,Diaz,carol.diaz@acme.example,cdiaz@acme.example,+1 415 555 0103,2133,Premium,Polycom VVX450,0004.F211.2203,1,100 Market St,San Francisco,CA,94105,US
`

// An apply planned in slices (of one row: every row joined to no other is
// a slice) says and writes what the apply of the whole roster does: the
// same stdout, stderr, report file and exit status, the same rows and
// changes in the audit log, and nothing to do when run again.
func TestApplyInSlicesAsWhole(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "changes.csv")
	if err := os.WriteFile(roster, []byte(sliceRoster), 0o644); err != nil {
		t.Fatal(err)
	}
	// the same rows in a workbook, read again in order for the slices
	book := filepath.Join(dir, "changes.xlsx")
	x := excelize.NewFile()
	for r, line := range strings.Split(strings.TrimSpace(sliceRoster), "\n") {
		for c, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := x.SetCellStr("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := x.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		out     []string
		runs    string
		batches int // the batches of the roster's run (run 2 of the first store)
	}
	runAll := func(name string, rows int) outcome {
		old := sliceRows
		sliceRows = rows
		t.Cleanup(func() { sliceRows = old })
		// Two stores: in the first the roster is applied in slices, each as
		// it is planned, then again (nothing to do); in the second the
		// workbook is applied whole in one transaction (--atomic).
		c := cli{t, filepath.Join(t.TempDir(), "pbxsync.db")}
		c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
		c2 := cli{t, filepath.Join(t.TempDir(), "pbxsync.db")}
		c2.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
		var o outcome
		for i, path := range []string{filepath.Join(demo, "onboarding.xlsx"), roster, roster, filepath.Join(demo, "onboarding.xlsx"), book} {
			rep := filepath.Join(dir, fmt.Sprintf("report%d.csv", i)) // (named on stderr)
			args := []string{"apply", "--yes", "--quiet", "--report", rep, path}
			at := c
			if i >= 3 {
				at = c2
			}
			if i == 4 {
				args = append(args[:1], append([]string{"--atomic"}, args[1:]...)...) // one transaction, as before
			}
			ann := filepath.Join(dir, fmt.Sprintf("annotated%d.csv", i))
			if i == 1 {
				args = append(args[:1], append([]string{"--annotate", ann}, args[1:]...)...) // the check's problems, cell by cell
			}
			code, out, errs := at.run(args...)
			b, _ := os.ReadFile(rep)
			a, _ := os.ReadFile(ann)
			if i == 1 && !strings.Contains(string(a), "email.invalid") {
				t.Errorf("the annotated roster does not show the invalid e-mail:\n%s", a)
			}
			o.out = append(o.out, fmt.Sprintf("apply %d: exit %d\nstdout:\n%s\nstderr:\n%s\nreport:\n%s\nannotated:\n%s", i+1, code, out, errs, b, a))
		}
		o.runs = auditText(t, c.db) + auditText(t, c2.db)
		o.batches = runBatches(t, c.db, 2)
		return o
	}
	whole, cut := runAll("whole", 0), runAll("in slices", 1)
	for i := range whole.out {
		if whole.out[i] != cut.out[i] {
			t.Errorf("in slices:\n%s\nwhole:\n%s", cut.out[i], whole.out[i])
		}
	}
	if !strings.Contains(whole.out[2], "nothing to do") {
		t.Errorf("the same roster again does something:\n%s", whole.out[2])
	}
	// Written slice by slice: a batch a slice with changes (Ann's and
	// Lou's rows, joined by the number Lou takes from Ann; Pat's; Carol's),
	// numbered on across them; whole, one batch.
	if whole.batches != 1 || cut.batches != 3 {
		t.Errorf("the roster's run wrote %d batches whole and %d in slices; want 1 and 3", whole.batches, cut.batches)
	}
	if !strings.Contains(whole.runs, "update user alee@acme.example") {
		t.Errorf("the roster's changes are not in the audit log:\n%s", whole.runs)
	}
	if whole.runs != cut.runs {
		t.Errorf("the audit log in slices:\n%s\nwhole:\n%s", cut.runs, whole.runs)
	}
}

// auditText renders the runs of the store at db as the audit log holds them:
// each row with its status and its changes as they were written (plan
// indexes apart, which the slices number in another order).
func auditText(t *testing.T, db string) string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(ctx, "acme", 0)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range runs {
		rec, err := st.Run(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "run %d %s %s changes %d applied %d failed %d\n", r.ID, r.Mode, r.Outcome, r.Changes, r.Applied, r.Failed)
		outcome := func(ci int) string {
			if ci >= len(rec.Outcomes) {
				return "no outcome"
			}
			o := rec.Outcomes[ci]
			return fmt.Sprintf("%s %q v%d", o.Outcome, o.Error, o.AfterVersion)
		}
		for _, row := range rec.Plan.Rows {
			var chs []string
			for _, ci := range row.Changes {
				c := rec.Plan.Changes[ci]
				chs = append(chs, fmt.Sprintf("%s %s %s %v (%s) %s", c.Action, c.Kind, c.Key, c.Fields.All(), c.Reason, outcome(ci)))
			}
			fmt.Fprintf(&b, "  row %d %s %s %d problems: %s\n", row.Line, row.Key, row.Status, len(row.Problems), strings.Join(chs, "; "))
		}
		var all []string
		for _, c := range rec.Plan.Changes {
			all = append(all, fmt.Sprintf("%s %s %s", c.Action, c.Kind, c.Key))
		}
		slices.Sort(all)
		fmt.Fprintf(&b, "  changes: %s\n  summary %+v\n", strings.Join(all, ", "), rec.Plan.Summary)
	}
	return b.String()
}

// runBatches returns the batches run id of the store at db committed,
// checking that they are numbered from 1 without a gap.
func runBatches(t *testing.T, db string, id int64) int {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := st.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.QueryContext(ctx, `SELECT batch FROM run_batches WHERE run_id = ? AND batch > 0 ORDER BY batch`, id)
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		nums = append(nums, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for i, n := range nums {
		if n != i+1 {
			t.Errorf("run %d: batches numbered %v", id, nums)
			break
		}
	}
	if len(nums) != rec.Batches {
		t.Errorf("run %d: %d batches recorded, %d counted", id, len(nums), rec.Batches)
	}
	return rec.Batches
}
