package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestReleaseDatabase: a database written by the release before package
// sqlstore (the pbxsync of commit eb27c0b: the demo company seeded, its
// onboarding applied, reverted and applied again) opens and migrates
// without loss: every row of every table is there after, and the store
// reads it as the live state and audit log it is. testdata/release-v4.db
// is the pbxsync.db it wrote (schema 4), testdata/release-v5.sql the
// pg_dump of its PostgreSQL database (schema 5; how it was made is said at
// its top).
func TestReleaseDatabase(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "pbxsync.db")
		b, err := os.ReadFile("testdata/release-v4.db")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		cols := columnsBefore(t, db, `SELECT group_concat(name, ', ') FROM pragma_table_info($1)`)
		rows := func() map[string][]string {
			return tableRows(t, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
				func(table string) string { return `SELECT ` + cols(table) + ` FROM ` + table }, db.QueryContext)
		}
		leftUnder(t, db)
		before := rows()
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		checkRelease(t, s, before, rows)
	})
	t.Run("postgres", func(t *testing.T) {
		url := storetest.PostgresSchemaURL(t)
		dump, err := os.ReadFile("testdata/release-v5.sql")
		if err != nil {
			t.Fatal(err)
		}
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var schema string
		if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, strings.ReplaceAll(string(dump), "public.", schema+"."), pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatalf("loading the dump: %v", err)
		}
		if _, err := conn.Exec(ctx, `SELECT set_config('search_path', $1, false)`, schema); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("pgx", url) // only to read every row the same way as SQLite's
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		cols := columnsBefore(t, db, `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`)
		rows := func() map[string][]string {
			return tableRows(t, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`,
				func(table string) string {
					return `SELECT to_jsonb(t)::text FROM (SELECT ` + cols(table) + ` FROM ` + pgx.Identifier{table}.Sanitize() + `) t`
				}, db.QueryContext)
		}
		leftUnder(t, db)
		before := rows()
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		checkRelease(t, s, before, rows)
	})
}

// release is what TestReleaseDatabase asks of a store.
type release interface {
	Migrate(ctx context.Context) error
	Load(ctx context.Context, company string) (*pbx.State, error)
	Runs(ctx context.Context, company string, limit int) ([]plan.Run, error)
	Run(ctx context.Context, id int64) (*plan.RunRecord, error)
}

// checkRelease migrates s, reads the fixture's company and runs back, and
// checks that every row before is still there after.
func checkRelease(t *testing.T, s release, before map[string][]string, rows func() map[string][]string) {
	ctx := context.Background()
	if len(before["users"]) == 0 || len(before["run_batches"]) == 0 {
		t.Fatalf("the fixture holds no users or no audit log: %v", before)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s.Load(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Users) != len(before["users"]) || len(st.Numbers) != len(before["numbers"]) || len(st.Devices) != len(before["devices"]) {
		t.Errorf("Load: %d users, %d numbers, %d devices; the database holds %d, %d, %d",
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
	// Deprovisioned under the release before, with no day recorded: the
	// migration dates it to the day it ran (the hold and retention start
	// then); active users have none.
	for id, u := range st.Users {
		day, err := time.Parse(time.DateOnly, u.DeprovisionedAt)
		switch {
		case id == leaver && (err != nil || time.Since(day) > 48*time.Hour || time.Since(day) < -48*time.Hour):
			t.Errorf("%s, deprovisioned before the migration, has deprovisioned_at %q, want the day it migrated", id, u.DeprovisionedAt)
		case id != leaver && u.DeprovisionedAt != "":
			t.Errorf("%s (%s) has deprovisioned_at %q after the migration", id, u.Status, u.DeprovisionedAt)
		}
	}
	after := rows()
	for table, rs := range before {
		for _, r := range rs {
			if !slices.Contains(after[table], r) {
				t.Errorf("%s: row %s is gone after Migrate", table, r)
			}
		}
	}
}

// leaver is the fixture's user deprovisioned under the release before
// (leftUnder), which recorded no day for it.
const leaver = "kng@acme.example"

// leftUnder deprovisions leaver in the database of the release before, as
// that release did (the status only).
func leftUnder(t *testing.T, db *sql.DB) {
	if _, err := db.Exec(`UPDATE users SET status = 'deprovisioned' WHERE user_id = '` + leaver + `'`); err != nil {
		t.Fatal(err)
	}
}

// columnsBefore returns the select list of a table's columns as they were
// when first asked (before Migrate), read with q ($1: the table): the rows
// of the release before are compared in its columns, a column added since
// being checked on its own.
func columnsBefore(t *testing.T, db *sql.DB, q string) func(table string) string {
	seen := map[string]string{}
	return func(table string) string {
		if c, ok := seen[table]; ok {
			return c
		}
		var c string
		if err := db.QueryRow(q, table).Scan(&c); err != nil {
			t.Fatalf("the columns of %s: %v", table, err)
		}
		seen[table] = c
		return c
	}
}

// tableRows reads every row of every table that tables lists, as text.
func tableRows(t *testing.T, tables string, all func(table string) string,
	query func(ctx context.Context, q string, args ...any) (*sql.Rows, error)) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range strsOf(t, tables, query) {
		out[table] = strsOf(t, all(table), query)
	}
	return out
}

// strsOf is every row of q, as text.
func strsOf(t *testing.T, q string, query func(ctx context.Context, q string, args ...any) (*sql.Rows, error)) []string {
	t.Helper()
	rows, err := query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if len(vals) == 1 {
			out = append(out, fmt.Sprint(vals[0]))
		} else {
			out = append(out, fmt.Sprintf("%q", vals))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
