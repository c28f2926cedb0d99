package postgres

import (
	"context"
	"embed"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrator is the schema in the first schema of the search_path, each
// migration under an advisory lock of that schema's migrators.
func (s *Store) migrator() sqlstore.Migrator {
	return sqlstore.Migrator{D: pg, FS: migrations, Read: q{s.pool},
		Exists: `SELECT count(to_regclass('schema_migrations'))`,
		Create: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now())`,
		Step: func(ctx context.Context, f func(sqlstore.Q) error) error {
			return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
				if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('pbxsync migrations ' || current_schema()))`); err != nil {
					return err
				}
				return f(q{tx})
			})
		},
		After: s.readLayout, // the claims' layout may have changed
	}
}

// SchemaVersion is the version of the newest schema this build migrates to.
func SchemaVersion() (int, error) { return sqlstore.SchemaVersion(migrations) }
