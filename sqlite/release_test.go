package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
)

// TestReleaseDatabase: a pbxsync.db written by the release before package
// sqlstore (testdata/release-v4.db, schema 4: the demo company seeded, its
// onboarding applied, reverted and applied again, by the pbxsync of commit
// eb27c0b) opens and migrates without loss: every row of every table is
// there after, and the store reads it as the live state and audit log it
// is.
func TestReleaseDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	b, err := os.ReadFile("testdata/release-v4.db")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	before := tableRows(t, path)
	if len(before["users"]) == 0 || len(before["run_batches"]) == 0 {
		t.Fatalf("the fixture holds no users or no audit log: %v", before)
	}

	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Users) != len(before["users"]) || len(st.Numbers) != len(before["numbers"]) || len(st.Devices) != len(before["devices"]) {
		t.Errorf("Load: %d users, %d numbers, %d devices; the file holds %d, %d, %d",
			len(st.Users), len(st.Numbers), len(st.Devices), len(before["users"]), len(before["numbers"]), len(before["devices"]))
	}
	runs, err := s.Runs(ctx, "acme", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 3 || runs[0].ID != 3 || runs[2].Applied != 22 || runs[2].StartedAt.IsZero() || runs[2].FinishedAt.IsZero() {
		t.Errorf("Runs: %+v", runs)
	}
	rec, err := s.Run(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != plan.RunApplied || len(rec.Outcomes) != 22 || rec.Outcomes[0].Outcome != "applied" {
		t.Errorf("Run 1: outcome %s, %d changes recorded", rec.Outcome, len(rec.Outcomes))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	after := tableRows(t, path)
	for table, rows := range before {
		for _, r := range rows {
			if !slices.Contains(after[table], r) {
				t.Errorf("%s: row %s is gone after Migrate", table, r)
			}
		}
	}
}

// tableRows reads every row of every table of the file, as text.
func tableRows(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tables []string
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := db.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], fmt.Sprintf("%q", vals))
		}
		rows.Close()
	}
	return out
}
