package postgres_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestReleaseDatabase: a database written by the release before package
// sqlstore (testdata/release-v5.sql, schema 5: the demo company seeded,
// its onboarding applied, reverted and applied again, by the pbxsync of
// commit eb27c0b, dumped by pg_dump) opens and migrates without loss:
// every row of every table is there after, and the store reads it as the
// live state and audit log it is.
func TestReleaseDatabase(t *testing.T) {
	ctx := context.Background()
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
	before := pgTableRows(t, conn)
	if len(before["users"]) == 0 || len(before["run_batches"]) == 0 {
		t.Fatalf("the dump holds no users or no audit log: %v", before)
	}

	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
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

	after := pgTableRows(t, conn)
	for table, rows := range before {
		for _, r := range rows {
			if !slices.Contains(after[table], r) {
				t.Errorf("%s: row %s is gone after Migrate", table, r)
			}
		}
	}
}

// pgTableRows reads every row of every table of the current schema, as
// JSON text.
func pgTableRows(t *testing.T, conn *pgx.Conn) map[string][]string {
	t.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, table := range tables {
		rows, err := conn.Query(ctx, `SELECT to_jsonb(t)::text FROM `+pgx.Identifier{table}.Sanitize()+` t`)
		if err != nil {
			t.Fatal(err)
		}
		if out[table], err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
