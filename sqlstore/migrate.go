package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered step of an engine's schema. Each engine holds
// its own migrations (the same schema in its own SQL), NNN_what.sql in a
// directory migrations/ of an embedded file system; a test holds their
// schemas equal.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations of fsys in version order. A file is
// named NNN_what.sql; its number is its version.
func Migrations(fsys fs.FS) ([]Migration, error) {
	files, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	seen := map[int]string{}
	for _, f := range files {
		base := strings.TrimPrefix(f, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive version number, e.g. 002_add_x.sql", base)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s have the same version %d", other, base, v)
		}
		seen[v] = base
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: base, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// SchemaVersion is the version of the newest of the migrations of fsys, as
// `pbxsync version` shows it.
func SchemaVersion(fsys fs.FS) (int, error) {
	ms, err := Migrations(fsys)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].Version, nil
}

// Pending returns how many of ms the database has not had, read in q
// without writing; empty when it has no schema at all. exists is the
// engine's query of whether the table schema_migrations exists (a count).
func Pending(ctx context.Context, q Q, d Dialect, ms []Migration, exists string) (n int, empty bool, err error) {
	var tables int
	if err := q.QueryRow(ctx, exists).Scan(&tables); err != nil {
		return 0, false, fmt.Errorf("%s: reading the schema version: %w", d.Name(), err)
	}
	if tables == 0 {
		return len(ms), true, nil
	}
	done := map[int]bool{}
	err = each(ctx, q, `SELECT version FROM schema_migrations`, func(r Rows) error {
		var v int
		err := r.Scan(&v)
		done[v] = true
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("%s: reading the schema version: %w", d.Name(), err)
	}
	for _, m := range ms {
		if !done[m.Version] {
			n++
		}
	}
	return n, false, nil
}

// MigrateOne runs m in tx, a transaction that only one migrator holds at a
// time, unless schema_migrations records it already; then records it.
func MigrateOne(ctx context.Context, tx Q, m Migration) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil || n > 0 {
		return err
	}
	// No arguments: every statement of the file runs (pgx's simple protocol).
	if _, err := tx.Exec(ctx, m.SQL); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version)
	return err
}
