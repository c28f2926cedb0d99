package sqlite

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migration is one numbered schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations returns the embedded migrations in version order. A file
// is named NNN_what.sql; its number is its version.
func loadMigrations() ([]migration, error) {
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
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
		b, err := migrations.ReadFile(f)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Pending returns how many of the embedded migrations the file has not
// had, read without writing; empty when it has no schema at all.
func (s *Store) Pending(ctx context.Context) (n int, empty bool, err error) {
	ms, err := loadMigrations()
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: %w", err)
	}
	var tables int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil {
		return 0, false, fmt.Errorf("sqlite: reading the schema version: %w", err)
	}
	if tables == 0 {
		return len(ms), true, nil
	}
	done := map[int]bool{}
	rows, err := s.r.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: reading the schema version: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return 0, false, fmt.Errorf("sqlite: reading the schema version: %w", err)
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return 0, false, fmt.Errorf("sqlite: reading the schema version: %w", err)
	}
	n = 0
	for _, m := range ms {
		if !done[m.version] {
			n++
		}
	}
	return n, false, nil
}

// Migrate brings the schema to the newest version. It runs every embedded
// migration not yet recorded in schema_migrations, each in its own
// transaction, so running it again does nothing. A file whose schema is
// current is only read (Pending), never written: a command that only
// reads is not held up by a writer of the file.
func (s *Store) Migrate(ctx context.Context) error {
	if n, _, err := s.Pending(ctx); err != nil || n == 0 {
		return err
	}
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`); err != nil {
		return fmt.Errorf("sqlite: creating schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := s.migrateOne(ctx, m); err != nil {
			if busy(err) {
				return fmt.Errorf("migration %s: %w", m.name, s.lockErr(ctx, err, ""))
			}
			return fmt.Errorf("sqlite: migration %s: %w", m.name, err)
		}
	}
	return nil
}

func (s *Store) migrateOne(ctx context.Context, m migration) error {
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one migrator at a time
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version) VALUES (?)`, m.version); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaVersion is the version of the newest schema this build migrates to
// (its newest embedded migration), as `pbxsync version` shows it.
func SchemaVersion() (int, error) {
	ms, err := loadMigrations()
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	return ms[len(ms)-1].version, nil
}
