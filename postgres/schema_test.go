package postgres_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/sqlstore"
	"github.com/pbxsync/pbxsync/storetest"
)

// migratedConn connects to a fresh schema of the test server, migrated;
// the connection is closed when the test ends.
func migratedConn(t *testing.T) *pgx.Conn {
	t.Helper()
	url := storetest.PostgresSchemaURL(t)
	storetest.OpenPostgresAt(t, url) // migrated
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// TestForeignKeysIndexed: every foreign key has an index whose first
// columns are its columns, so that deleting or updating a referenced row
// (and locking it) finds the referencing rows by index: without one on the
// number's target user, removing 100k users takes minutes, not seconds.
func TestForeignKeysIndexed(t *testing.T) {
	ctx := context.Background()
	conn := migratedConn(t)
	rows, err := conn.Query(ctx, `
		SELECT c.conname, c.conrelid::regclass::text,
			array(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k ORDER BY a.attname)::text[],
			EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid
				AND (SELECT array_agg(x ORDER BY x) FROM unnest((i.indkey::int2[])[0:cardinality(c.conkey)-1]) x)
				  = (SELECT array_agg(x ORDER BY x) FROM unnest(c.conkey) x))
		FROM pg_constraint c
		WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	var missing []string
	for rows.Next() {
		var name, table string
		var cols []string
		var indexed bool
		if err := rows.Scan(&name, &table, &cols, &indexed); err != nil {
			t.Fatal(err)
		}
		n++
		if !indexed {
			missing = append(missing, name+" on "+table+" ("+strings.Join(cols, ", ")+")")
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(missing)
	if n < 10 {
		t.Fatalf("found %d foreign keys; the query does not see the schema", n)
	}
	for _, m := range missing {
		t.Errorf("foreign key %s has no index starting with its columns", m)
	}
}

// TestInsertBlanksAreDefaults: the blanks a set-based create writes for the
// columns a plan leaves out are the columns' own defaults, so a create
// written in one COPY with its blanks is the row a plain INSERT would make.
func TestInsertBlanksAreDefaults(t *testing.T) {
	ctx := context.Background()
	conn := migratedConn(t)
	n := 0
	for tb, as := range sqlstore.InsertBlanks {
		for _, a := range as {
			table, col, blank := tb.Name, a.Col, a.Val
			var def *string
			var nullable string
			err := conn.QueryRow(ctx, `SELECT column_default, is_nullable FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`, table, col).Scan(&def, &nullable)
			if err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			switch blank {
			case nil:
				if def != nil || nullable != "YES" {
					t.Errorf("%s.%s: blank NULL, but the column is nullable=%s with default %v", table, col, nullable, deref(def))
				}
			case "":
				if def == nil || *def != "''::text" {
					t.Errorf("%s.%s: blank '', but the column's default is %v", table, col, deref(def))
				}
			default:
				t.Errorf("%s.%s: unexpected blank %v", table, col, blank)
			}
			n++
		}
	}
	if n < 10 {
		t.Errorf("only %d blanks checked", n)
	}
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// TestMigrateAuditOneWay: migration 013 turns a run recorded before
// run_batches (one row per change in run_changes) into one recorded by
// batch, counted from its changes when it was interrupted before runs were
// counted batch by batch: Runs lists it and Run reads it as recorded.
func TestMigrateAuditOneWay(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	s := storetest.OpenPostgresAt(t, url)
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, stmt := range []string{
		`INSERT INTO runs (id, started_at, finished_at, who, company, mode, roster, roster_hash, plan, outcome, host, pid, atomic, changes)
			OVERRIDING SYSTEM VALUE VALUES (900, now(), now(), 'x', 'acme', 'onboard', 'r.csv', '', '{"company":"acme"}', 'interrupted', 'h', 1, false, 3)`,
		`INSERT INTO run_changes (company, run_id, seq, kind, key, action, fields, outcome, error) VALUES
			('acme', 900, 0, 'user', 'a@acme.example', 'create', '[{"field":"first_name","after":"A"}]', 'applied', ''),
			('acme', 900, 2, 'user', 'c@acme.example', 'create', '[]', 'failed', 'it broke'),
			('acme', 900, 1, 'user', 'b@acme.example', 'create', '[]', 'skipped', '')`,
		`DELETE FROM schema_migrations WHERE version = 13`,
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.(interface{ Migrate(context.Context) error }).Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, storetest.Acme, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Applied != 1 || runs[0].Failed != 1 || runs[0].Skipped != 1 {
		t.Errorf("runs after the migration: %+v; want run 900 with 1 applied, 1 failed, 1 skipped", runs)
	}
	rec, err := s.Run(ctx, 900)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, ch := range rec.Plan.Changes {
		line := fmt.Sprint(ch.Key, " ", ch.Action, " ", rec.Outcomes[i].Outcome, " ", rec.Outcomes[i].Error)
		for _, f := range ch.Fields.All() {
			line += " " + f.Field + "=" + f.After
		}
		got = append(got, line)
	}
	want := []string{"a@acme.example create applied  first_name=A", "b@acme.example create skipped ", "c@acme.example create failed it broke"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("run 900 after the migration:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM run_changes`).Scan(&left); err != nil || left != 0 {
		t.Errorf("run_changes holds %d rows after the migration (%v)", left, err)
	}
}
