package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// lockMigrations takes the advisory lock that serialises the migrators of
// one schema (the first of the search_path) until the end of tx; migrators
// of other schemas of the same database go on side by side.
const lockMigrations = `SELECT pg_advisory_xact_lock(hashtext('pbxsync migrations ' || current_schema()))`

// Pending returns how many of the embedded migrations the database has
// not had, read without writing; empty when it has no schema at all.
func (s *Store) Pending(ctx context.Context) (n int, empty bool, err error) {
	ms, err := sqlstore.Migrations(migrations)
	if err != nil {
		return 0, false, fmt.Errorf("postgres: %w", err)
	}
	return sqlstore.Pending(ctx, q{s.pool}, pg, ms, `SELECT count(to_regclass('schema_migrations'))`)
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
	ms, err := sqlstore.Migrations(migrations)
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
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, lockMigrations); err != nil {
				return err
			}
			return sqlstore.MigrateOne(ctx, q{tx}, m)
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
	}
	return s.readLayout(ctx)
}

// SchemaVersion is the version of the newest schema this build migrates to
// (its newest embedded migration), as `pbxsync version` shows it.
func SchemaVersion() (int, error) { return sqlstore.SchemaVersion(migrations) }
