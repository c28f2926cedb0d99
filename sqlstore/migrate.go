package sqlstore

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered step of an engine's schema (migrations/NNN_what.sql).
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the migrations of fsys in version order.
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

// SchemaVersion is the version of the newest of the migrations of fsys.
func SchemaVersion(fsys fs.FS) (int, error) {
	ms, err := Migrations(fsys)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].Version, nil
}

// Migrator is an engine's schema: its migrations and how it runs them.
type Migrator struct {
	D      Dialect
	FS     fs.FS                                            // migrations/NNN_what.sql
	Read   Q                                                // reads without writing
	Exists string                                           // the query of how many tables schema_migrations there are (0 or 1)
	Create string                                           // the statement that creates schema_migrations if it is not there
	Step   func(ctx context.Context, f func(Q) error) error // runs f in a transaction only one migrator holds at a time
	After  func(ctx context.Context) error                  // if set, runs once migrations have run
}

// Pending returns how many of the migrations the database has not had,
// read without writing; empty when it has no schema at all.
func (m Migrator) Pending(ctx context.Context) (n int, empty bool, err error) {
	ms, err := Migrations(m.FS)
	if err != nil {
		return 0, false, fmt.Errorf("%s: %w", m.D.Name(), err)
	}
	var tables int
	if err := m.Read.QueryRow(ctx, m.Exists).Scan(&tables); err != nil {
		return 0, false, fmt.Errorf("%s: reading the schema version: %w", m.D.Name(), err)
	}
	if tables == 0 {
		return len(ms), true, nil
	}
	done := map[int]bool{}
	err = each(ctx, m.Read, `SELECT version FROM schema_migrations`, func(r Rows) error {
		var v int
		err := r.Scan(&v)
		done[v] = true
		return err
	})
	if err != nil {
		return 0, false, fmt.Errorf("%s: reading the schema version: %w", m.D.Name(), err)
	}
	for _, m := range ms {
		if !done[m.Version] {
			n++
		}
	}
	return n, false, nil
}

// Migrate runs every migration not yet recorded in schema_migrations, each
// in its own Step. A current schema is only read, never written: a command
// that only reads is not held up by a writer.
func (m Migrator) Migrate(ctx context.Context) error {
	if n, _, err := m.Pending(ctx); err != nil || n == 0 {
		return err
	}
	ms, err := Migrations(m.FS)
	if err != nil {
		return fmt.Errorf("%s: %w", m.D.Name(), err)
	}
	if err := m.Step(ctx, func(q Q) error { _, err := q.Exec(ctx, m.Create); return err }); err != nil {
		return fmt.Errorf("%s: creating schema_migrations: %w", m.D.Name(), err)
	}
	for _, mg := range ms {
		if err := m.Step(ctx, func(q Q) error { return MigrateOne(ctx, q, mg) }); err != nil {
			return fmt.Errorf("%s: migration %s: %w", m.D.Name(), mg.Name, err)
		}
	}
	if m.After != nil {
		return m.After(ctx)
	}
	return nil
}

// MigrateOne runs m in tx (a Step) unless schema_migrations records it.
func MigrateOne(ctx context.Context, tx Q, m Migration) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil || n > 0 {
		return err
	}
	// One statement at a time: Citus runs DDL on distributed tables only
	// so (a CREATE INDEX or a foreign key sent with other statements is
	// refused), and an error names the statement at fault.
	for _, stmt := range Statements(m.SQL) {
		if _, err := tx.Exec(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n\tin: %s", err, firstLine(stmt))
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.Version)
	return err
}

// Statements splits a migration at each ';' that is not inside a comment,
// a quoted string or identifier, or a dollar-quoted body ($tag$ ... $tag$),
// dropping the comments. Hand-written: a full SQL parser (pg_query) is cgo,
// and migrations are our own files.
func Statements(sql string) []string {
	var (
		out []string
		cur strings.Builder
	)
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for i := 0; i < len(sql); {
		open, end, keep := "", "", true // a region from open to end, dropped unless keep
		switch c := sql[i]; {
		case strings.HasPrefix(sql[i:], "--"):
			open, end, keep = "--", "\n", false
		case strings.HasPrefix(sql[i:], "/*"):
			open, end, keep = "/*", "*/", false
		case c == '\'' || c == '"':
			open, end = sql[i:i+1], sql[i:i+1]
		case c == '$':
			open, _ = dollarTag(sql[i:])
			end = open
		case c == ';':
			flush()
			i++
			continue
		}
		if open == "" {
			cur.WriteByte(sql[i])
			i++
			continue
		}
		n := len(sql) - i
		if j := strings.Index(sql[i+len(open):], end); j >= 0 {
			n = len(open) + j + len(end)
			if end == "\n" {
				n-- // a line comment's newline stays
			}
		}
		if keep {
			cur.WriteString(sql[i : i+n])
		}
		i += n
	}
	flush()
	return out
}

// dollarTag returns the opening tag of a dollar-quoted string at the start
// of s ($$ or $name$), if there is one ($1 is a parameter, not a tag).
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1], true
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9':
		default:
			return "", false
		}
	}
	return "", false
}

// firstLine is the start of a statement, to name it in an error.
func firstLine(stmt string) string {
	line, _, _ := strings.Cut(stmt, "\n")
	if len(line) > 100 {
		line = line[:100] + "..."
	}
	return line
}
