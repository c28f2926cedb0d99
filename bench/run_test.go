package bench_test

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/pbxsync/pbxsync/bench"
	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/storetest"
)

// smallState: 3 companies of 1,000 users; c0001 has 4,000 extra pool numbers.
var smallState = gen.Spec{Seed: 1, Companies: 3, Users: 3000, Numbers: 12000, SitePool: 4000}

// stores runs f on a fresh embedded store and a fresh PostgreSQL schema,
// each holding smallState.
func stores(t *testing.T, f func(t *testing.T, db string)) {
	onBoth(t, func(t *testing.T) string { return storetest.PostgresSchemaURL(t) }, f)
}

// onBoth runs f on a fresh embedded store and on the PostgreSQL store pg
// makes, each holding smallState.
func onBoth(t *testing.T, pg func(t *testing.T) string, f func(t *testing.T, db string)) {
	run := func(t *testing.T, db string) {
		if _, err := gen.WriteState(context.Background(), db, smallState, nil); err != nil {
			t.Fatal(err)
		}
		f(t, db)
	}
	t.Run("sqlite", func(t *testing.T) { run(t, filepath.Join(t.TempDir(), "bench.db")) })
	t.Run("postgres", func(t *testing.T) { run(t, pg(t)) })
}

// The benchmark command at a small size: what it does, never how fast.
func TestRunSmall(t *testing.T) {
	stores(t, func(t *testing.T, db string) {
		dir := t.TempDir()
		o := bench.Options{DB: db, Dir: dir,
			Roster: gen.RosterSpec{Company: "c0001", Rows: 2000, New: 0.9, Changes: 0.05, Leavers: 0.01, Moves: 0.01, Mistakes: 0.01, Seed: 1}}
		res, err := bench.Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		x := res.Expect
		if x.Rows != 2000 || x.New != 1800 || x.Mistakes != 20 || x.Moves != 20 {
			t.Fatalf("roster %+v", x)
		}
		if got := res.Statuses[plan.StatusCreated]; got != x.New {
			t.Errorf("%d rows created, want %d (every new user)", got, x.New)
		}
		if got := res.Statuses[plan.StatusInvalid]; got != x.Mistakes {
			t.Errorf("%d rows invalid, want %d (every mistake)", got, x.Mistakes)
		}
		if got := res.Statuses[plan.StatusUnchanged]; got != x.Unchanged {
			t.Errorf("%d rows unchanged, want %d", got, x.Unchanged)
		}
		if res.Summary.Move != x.Moves || res.Summary.Conflict != 0 {
			t.Errorf("summary %+v: want %d moves and no conflicts", res.Summary, x.Moves)
		}
		// Each new user brings a user, a device and a line: 3 creates, and a number assignment.
		if res.Summary.Create < 3*x.New || res.Applied != res.Changes || res.RunID == 0 {
			t.Errorf("applied %d of %d changes (run %d), %d creates; want all applied and at least %d creates",
				res.Applied, res.Changes, res.RunID, res.Summary.Create, 3*x.New)
		}
		if res.ResyncChanges != 0 {
			t.Errorf("the re-sync of the same roster planned %d changes, want none", res.ResyncChanges)
		}
		if res.Resync.Rows != 2000 {
			t.Errorf("the re-sync read %d rows, want 2000", res.Resync.Rows)
		}
		if res.ResyncUnchangedSince != res.RunID {
			t.Errorf("the re-sync was answered by run %d, want the fast path from run %d", res.ResyncUnchangedSince, res.RunID)
		}
		if res.ResyncFullChanges != 0 || res.ResyncFull.Rows != 2000 {
			t.Errorf("the full re-sync planned %d changes for %d rows, want none for 2000", res.ResyncFullChanges, res.ResyncFull.Rows)
		}

		f, err := os.Open(res.Report)
		if err != nil {
			t.Fatalf("the report was not written: %v", err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2001 || res.ReportLines != 2000 {
			t.Errorf("the report has %d lines (%d said), want a header and 2000 rows", len(recs), res.ReportLines)
		}

		names := map[string]bool{}
		for _, s := range res.Stages {
			names[s.Name] = true
			if s.Rows != 2000 {
				t.Errorf("stage %s counts %d rows, want 2000", s.Name, s.Rows)
			}
		}
		for _, want := range []string{"load", "validate", "plan", "apply", "report"} {
			if !names[want] {
				t.Errorf("no stage %q among %v", want, names)
			}
		}
		if res.Load.Store.Rows == 0 || res.Load.Plain.Rows == 0 || res.Load.Full.Rows != smallState.Users+smallState.Numbers {
			t.Errorf("load comparison %+v: want the company's objects and all %d users and numbers", res.Load, smallState.Users+smallState.Numbers)
		}
		if res.Store == "postgres" {
			fl := res.Floor
			if fl == nil {
				t.Fatal("no floor on PostgreSQL")
			}
			// The floor writes what the plan writes: one table row per change.
			if fl.Rows != res.Changes {
				t.Errorf("the floor wrote %d rows, the plan has %d changes", fl.Rows, res.Changes)
			}
			copied := map[string]int{}
			for _, s := range fl.Steps {
				copied[s.What] = s.Rows
			}
			for _, table := range []string{"COPY users", "COPY devices", "COPY device_lines"} {
				if copied[table] < x.New {
					t.Errorf("floor step %s wrote %d rows, want at least %d: steps %v", table, copied[table], x.New, fl.Steps)
				}
			}
			if res.Ratio <= 0 {
				t.Errorf("no end to end / floor ratio")
			}
		} else if res.Floor != nil {
			t.Error("a floor on SQLite: the floor is PostgreSQL's")
		}
	})
}

// A second run on the same state makes a new roster from what is live then,
// and an XLSX roster in sync mode (leavers deprovisioned, their ports freed)
// goes through the same pipeline and, on PostgreSQL, the same floor.
func TestRunAgainXLSXSync(t *testing.T) {
	stores(t, func(t *testing.T, db string) {
		ctx := context.Background()
		o := bench.Options{DB: db, Roster: gen.RosterSpec{Company: "c0002", Rows: 300, New: 0.5, Changes: 0.1, Leavers: 0.02, Seed: 4}}
		first, err := bench.Run(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		o.Format, o.Mode = "xlsx", plan.Sync
		o.Roster.Rows, o.Roster.New = 1000, 0.1
		second, err := bench.Run(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		if first.Statuses[plan.StatusCreated] != 150 || second.Statuses[plan.StatusCreated] != 100 {
			t.Errorf("created %d then %d rows, want 150 then 100", first.Statuses[plan.StatusCreated], second.Statuses[plan.StatusCreated])
		}
		// c0002 has 1,150 users now; the second roster names 900 of them.
		if second.Expect.Absent != 250 || second.Summary.Deprovision != 250 {
			t.Errorf("sync: %d users left off, %d deprovisioned; want 250 and 250", second.Expect.Absent, second.Summary.Deprovision)
		}
		if second.ResyncChanges != 0 {
			t.Errorf("the re-sync planned %d changes, want none", second.ResyncChanges)
		}
		if fl := second.Floor; second.Store == "postgres" && (fl == nil || fl.Rows != second.Changes) {
			t.Errorf("the sync's floor %+v does not write its %d changes", fl, second.Changes)
		}
	})
}

// The run as the CLI's unattended apply makes it, each slice applied as it
// is planned: every row planned, applied and reported as whole, in one run
// the re-sync's fast path then answers for; on PostgreSQL, the floor of
// the same rows (planned before the run), the ratio that of this run.
func TestRunSmallInSlices(t *testing.T) {
	stores(t, func(t *testing.T, db string) {
		o := bench.Options{DB: db, Dir: t.TempDir(), SliceRows: 500,
			Roster: gen.RosterSpec{Company: "c0001", Rows: 2000, New: 0.9, Changes: 0.05, Leavers: 0.01, Moves: 0.01, Mistakes: 0.01, Seed: 1}}
		res, err := bench.Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		x := res.Expect
		if res.Statuses[plan.StatusCreated] != x.New || res.Statuses[plan.StatusInvalid] != x.Mistakes || res.Summary.Move != x.Moves {
			t.Errorf("statuses %v, summary %+v; want %d created, %d invalid, %d moves", res.Statuses, res.Summary, x.New, x.Mistakes, x.Moves)
		}
		if res.Summary.Create < 3*x.New || res.Applied != res.Changes || res.RunID == 0 {
			t.Errorf("applied %d of %d changes (run %d)", res.Applied, res.Changes, res.RunID)
		}
		if res.ResyncChanges != 0 || res.ResyncUnchangedSince != res.RunID || res.ResyncFullChanges != 0 {
			t.Errorf("re-sync: %d changes, answered by run %d (want %d); full: %d changes", res.ResyncChanges, res.ResyncUnchangedSince, res.RunID, res.ResyncFullChanges)
		}
		if res.ReportLines != 2000 {
			t.Errorf("the report has %d lines, want 2000", res.ReportLines)
		}
		names := map[string]bool{}
		for _, s := range res.Stages {
			names[s.Name] = true
		}
		if !names["plan and apply, slice by slice"] || !names["report"] || names["apply"] {
			t.Errorf("stages %v; want the plan and apply slice by slice, no apply of its own", names)
		}
		if res.Store != "postgres" {
			return
		}
		if fl := res.Floor; fl == nil || fl.Rows != res.Changes || res.Ratio <= 0 {
			t.Fatalf("the floor %+v, ratio %.2f: want the run's %d changes written, and a ratio", fl, res.Ratio, res.Changes)
		}
		if want := res.EndToEnd.Wall.Seconds() / res.Floor.Wall.Seconds(); res.Ratio != want {
			t.Errorf("ratio %.3f; want this run's end to end over the floor, %.3f", res.Ratio, want)
		}
	})
}
