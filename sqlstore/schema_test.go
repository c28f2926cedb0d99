package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// schema is a schema as its engine describes it, in words both engines
// share: per table its columns (name, NOT NULL), primary key, foreign keys
// and indexes (unique or not, their columns; an expression is "(expr)").
// Types are left out: SQLite's are affinities (a boolean is an INTEGER, a
// time TEXT), PostgreSQL's are exact.
type schema map[string][]string

// TestSchemasEqual: the two engines' migrations make one schema: the same
// tables, columns, keys and indexes as each engine describes its own. The
// lock is each engine's own: company_locks is PostgreSQL's row to lock,
// SQLite's lock is a lease on the running run (runs.heartbeat).
func TestSchemasEqual(t *testing.T) {
	ctx := context.Background()
	lite := sqliteSchema(t, ctx)
	url := storetest.PostgresSchemaURL(t)
	storetest.OpenPostgresAt(t, url) // migrated
	pg := postgresSchema(t, ctx, url)
	if len(lite) < 10 {
		t.Fatalf("SQLite describes %d tables; the queries do not see the schema", len(lite))
	}
	for _, table := range union(lite, pg) {
		l, p := lite[table], pg[table]
		if table == "company_locks" && l == nil {
			continue
		}
		if table == "runs" {
			l = runsKey(l)
		}
		for _, x := range p {
			if !slices.Contains(l, x) {
				t.Errorf("%s: PostgreSQL has %s, SQLite not", table, x)
			}
		}
		for _, x := range l {
			if !slices.Contains(p, x) {
				t.Errorf("%s: SQLite has %s, PostgreSQL not", table, x)
			}
		}
	}
}

// runsKey reads SQLite's key of runs as PostgreSQL's: its id is the
// rowid (INTEGER PRIMARY KEY AUTOINCREMENT, SQLite's only way never to
// reuse an id), and a unique index (company, id) is the key the audit
// log's foreign keys name, as PostgreSQL's primary key (company, id) is.
func runsKey(xs []string) []string {
	if !slices.Contains(xs, "primary key (id)") || !slices.Contains(xs, "unique index (company, id)") {
		return xs
	}
	out := []string{"primary key (company, id)"}
	for _, x := range xs {
		if x != "primary key (id)" && x != "unique index (company, id)" {
			out = append(out, x)
		}
	}
	return out
}

func union(a, b schema) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func sqliteSchema(t *testing.T, ctx context.Context) schema {
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	strs := func(q string, args ...any) [][]string {
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		var out [][]string
		for rows.Next() {
			vals := make([]sql.NullString, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(cols))
			for i, v := range vals {
				row[i] = v.String
				if !v.Valid {
					row[i] = "(expr)"
				}
			}
			out = append(out, row)
		}
		return out
	}
	sc := schema{}
	for _, tb := range strs(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name`) {
		table := tb[0]
		var pk []string
		for _, c := range strs(`SELECT name, "notnull", pk FROM pragma_table_info(?1) ORDER BY cid`, table) {
			notNull := c[1] == "1" || c[2] != "0" // a primary key column is NOT NULL in PostgreSQL
			sc[table] = append(sc[table], fmt.Sprintf("column %s not null %v", c[0], notNull))
			if c[2] != "0" {
				pk = append(pk, c[2]+":"+c[0])
			}
		}
		slices.Sort(pk)
		for i := range pk {
			_, pk[i], _ = strings.Cut(pk[i], ":")
		}
		if len(pk) > 0 {
			sc[table] = append(sc[table], "primary key ("+strings.Join(pk, ", ")+")")
		}
		fks := map[string][2][]string{}
		var ids []string
		for _, f := range strs(`SELECT id, "from", "table", coalesce("to", '') FROM pragma_foreign_key_list(?1) ORDER BY id, seq`, table) {
			k := f[0] + " " + f[2]
			if _, ok := fks[k]; !ok {
				ids = append(ids, k)
			}
			v := fks[k]
			v[0], v[1] = append(v[0], f[1]), append(v[1], f[3])
			fks[k] = v
		}
		for _, k := range ids {
			_, ref, _ := strings.Cut(k, " ")
			to := fks[k][1]
			if to[0] == "" { // REFERENCES t: its primary key
				to = nil
				for _, c := range strs(`SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk`, ref) {
					to = append(to, c[0])
				}
			}
			sc[table] = append(sc[table], fmt.Sprintf("foreign key (%s) references %s (%s)", strings.Join(fks[k][0], ", "), ref, strings.Join(to, ", ")))
		}
		for _, ix := range strs(`SELECT name, "unique", origin FROM pragma_index_list(?1)`, table) {
			if ix[2] == "pk" {
				continue
			}
			var cols []string
			for _, c := range strs(`SELECT name FROM pragma_index_info(?1) ORDER BY seqno`, ix[0]) {
				cols = append(cols, c[0])
			}
			sc[table] = append(sc[table], index(ix[1] == "1", cols))
		}
	}
	return sc
}

func index(unique bool, cols []string) string {
	if unique {
		return "unique index (" + strings.Join(cols, ", ") + ")"
	}
	return "index (" + strings.Join(cols, ", ") + ")"
}

func postgresSchema(t *testing.T, ctx context.Context, url string) schema {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	each := func(q string, scan func(pgx.Rows) error) {
		rows, err := conn.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	sc := schema{}
	each(`SELECT table_name, column_name, is_nullable = 'NO' FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`, func(r pgx.Rows) error {
		var table, col string
		var notNull bool
		err := r.Scan(&table, &col, &notNull)
		sc[table] = append(sc[table], fmt.Sprintf("column %s not null %v", col, notNull))
		return err
	})
	colsOf := func(rel, keys string) string {
		return `array(SELECT a.attname FROM unnest(` + keys + `) WITH ORDINALITY k(n, i)
			JOIN pg_attribute a ON a.attrelid = ` + rel + ` AND a.attnum = k.n ORDER BY k.i)::text[]`
	}
	each(`SELECT c.conrelid::regclass::text, c.contype, `+colsOf("c.conrelid", "c.conkey")+`,
			coalesce(c.confrelid::regclass::text, ''), `+colsOf("c.confrelid", "c.confkey")+`
		FROM pg_constraint c WHERE c.connamespace = current_schema()::regnamespace AND c.contype IN ('p', 'f')`, func(r pgx.Rows) error {
		var table, kind, ref string
		var cols, to []string
		if err := r.Scan(&table, &kind, &cols, &ref, &to); err != nil {
			return err
		}
		if kind == "p" {
			sc[table] = append(sc[table], "primary key ("+strings.Join(cols, ", ")+")")
		} else {
			sc[table] = append(sc[table], fmt.Sprintf("foreign key (%s) references %s (%s)", strings.Join(cols, ", "), ref, strings.Join(to, ", ")))
		}
		return nil
	})
	each(`SELECT i.indrelid::regclass::text, i.indisunique,
			array(SELECT CASE WHEN k.n = 0 THEN '(expr)' ELSE a.attname END FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
				LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o)::text[]
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE c.relnamespace = current_schema()::regnamespace AND NOT i.indisprimary`, func(r pgx.Rows) error {
		var table string
		var unique bool
		var cols []string
		err := r.Scan(&table, &unique, &cols)
		sc[table] = append(sc[table], index(unique, cols))
		return err
	})
	return sc
}
