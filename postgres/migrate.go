package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrations embed.FS

// lockMigrations takes the advisory lock that serialises the migrators of
// one schema (the first of the search_path) until the end of tx; migrators
// of other schemas of the same database go on side by side.
const lockMigrations = `SELECT pg_advisory_xact_lock(hashtext('pbxsync migrations ' || current_schema()))`

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

// Pending returns how many of the embedded migrations the database has
// not had, read without writing; empty when it has no schema at all.
func (s *Store) Pending(ctx context.Context) (n int, empty bool, err error) {
	ms, err := loadMigrations()
	if err != nil {
		return 0, false, fmt.Errorf("postgres: %w", err)
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT to_regclass('schema_migrations') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, false, fmt.Errorf("postgres: reading the schema version: %w", err)
	}
	if !exists {
		return len(ms), true, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return 0, false, fmt.Errorf("postgres: reading the schema version: %w", err)
	}
	done, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return 0, false, fmt.Errorf("postgres: reading the schema version: %w", err)
	}
	n = len(ms)
	for _, m := range ms {
		if slices.Contains(done, m.version) {
			n--
		}
	}
	return n, false, nil
}

// Migrate brings the schema (in the first schema of the search_path) to the
// newest version. It runs every embedded migration not yet recorded in
// schema_migrations, each in its own transaction under an advisory lock, so
// running it again, or from two processes at once, is safe. A current
// schema is only read (Pending), never written.
func (s *Store) Migrate(ctx context.Context) error {
	if n, _, err := s.Pending(ctx); err != nil || n == 0 {
		return err
	}
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockMigrations); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: creating schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return migrateOne(ctx, tx, m) }); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.name, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, tx pgx.Tx, m migration) error {
	if _, err := tx.Exec(ctx, lockMigrations); err != nil {
		return err
	}
	var done bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)`, m.version).Scan(&done); err != nil {
		return err
	}
	if done {
		return nil
	}
	// No arguments: the simple protocol runs every statement of the file.
	if _, err := tx.Exec(ctx, m.sql); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version) VALUES ($1)`, m.version)
	return err
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
