package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"

	"github.com/pbxsync/pbxsync/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrator is the file's schema. A migration runs with foreign keys off
// (outside its transaction: SQLite ignores the pragma inside one), so that
// it may build a table anew under the same name, and checks them all
// before it commits.
func (s *Store) migrator() sqlstore.Migrator {
	return sqlstore.Migrator{D: lite, FS: migrations, Read: &q{x: s.r},
		Exists: `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
		Create: `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))`,
		Step: func(ctx context.Context, f func(sqlstore.Q) error) (err error) {
			if _, err := s.w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
				return err
			}
			defer func() {
				if _, ferr := s.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`); ferr != nil && err == nil {
					err = ferr
				}
			}()
			tx, err := s.w.BeginTx(ctx, nil)
			if err != nil {
				return s.lockErr(ctx, err, "")
			}
			defer tx.Rollback()
			if err := f(&q{x: tx}); err != nil {
				return err
			}
			var table, parent string
			var row int64
			switch err := tx.QueryRowContext(ctx, `SELECT "table", rowid, parent FROM pragma_foreign_key_check`).Scan(&table, &row, &parent); {
			case err == nil:
				return fmt.Errorf("row %d of table %s names a row of %s that is not there (foreign key); the migration is not applied", row, table, parent)
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
			return tx.Commit()
		},
	}
}

// SchemaVersion is the version of the newest schema this build migrates to.
func SchemaVersion() (int, error) { return sqlstore.SchemaVersion(migrations) }
