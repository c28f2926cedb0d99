package postgres_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestForeignKeysIndexed: every foreign key has an index whose first
// columns are its columns, so that deleting or updating a referenced row
// (and locking it) finds the referencing rows by index: without one on the
// number's target user, removing 100k users takes minutes, not seconds.
func TestForeignKeysIndexed(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	storetest.OpenPostgresAt(t, url) // migrated
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
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
