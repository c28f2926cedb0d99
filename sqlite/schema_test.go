package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestForeignKeysIndexed: every foreign key has an index whose first
// columns are its columns (SQLite looks the referencing rows up when a
// referenced row is deleted or its key updated, and scans without one).
func TestForeignKeysIndexed(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	openSeeded(t, path) // migrated
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list := func(q string, args ...any) [][]any {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]any
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out = append(out, vals)
		}
		return out
	}
	str := func(v any) string {
		switch x := v.(type) {
		case string:
			return x
		case []byte:
			return string(x)
		}
		return ""
	}
	n := 0
	for _, tb := range list(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`) {
		table := str(tb[0])
		// foreign keys: id, seq, table, from, to, ...; group columns by id
		fks := map[int64][]string{}
		for _, r := range list(`SELECT id, "from" FROM pragma_foreign_key_list(?1) ORDER BY id, seq`, table) {
			fks[r[0].(int64)] = append(fks[r[0].(int64)], str(r[1]))
		}
		// index prefixes: every index's columns in order (the primary key included)
		var indexes [][]string
		for _, ix := range list(`SELECT name FROM pragma_index_list(?1)`, table) {
			var cols []string
			for _, c := range list(`SELECT name FROM pragma_index_info(?1) ORDER BY seqno`, str(ix[0])) {
				cols = append(cols, str(c[0]))
			}
			indexes = append(indexes, cols)
		}
		var pk []string
		for _, c := range list(`SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk`, table) {
			pk = append(pk, str(c[0]))
		}
		indexes = append(indexes, pk)
		for _, cols := range fks {
			n++
			want := append([]string(nil), cols...)
			sort.Strings(want)
			found := false
			for _, ix := range indexes {
				if len(ix) < len(cols) {
					continue
				}
				got := append([]string(nil), ix[:len(cols)]...)
				sort.Strings(got)
				if strings.Join(got, ",") == strings.Join(want, ",") {
					found = true
				}
			}
			if !found {
				t.Errorf("foreign key of %s (%s) has no index starting with its columns", table, strings.Join(cols, ", "))
			}
		}
	}
	if n < 10 {
		t.Fatalf("found %d foreign keys; the check does not see the schema", n)
	}
}
