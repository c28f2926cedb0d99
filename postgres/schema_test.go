package postgres_test

import (
	"context"
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
