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

// Pending returns how many of the embedded migrations the file has not
// had, read without writing; empty when it has no schema at all.
func (s *Store) Pending(ctx context.Context) (n int, empty bool, err error) {
	ms, err := sqlstore.Migrations(migrations)
	if err != nil {
		return 0, false, fmt.Errorf("sqlite: %w", err)
	}
	return sqlstore.Pending(ctx, &q{x: s.r}, lite, ms, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`)
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
	ms, err := sqlstore.Migrations(migrations)
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
				return fmt.Errorf("migration %s: %w", m.Name, s.lockErr(ctx, err, ""))
			}
			return fmt.Errorf("sqlite: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// A migration runs with foreign keys off (on the writer's one
// connection; SQLite ignores the pragma inside a transaction), so that it
// may build a table anew under the same name (SQLite's way to change a
// primary key), and all of them are checked before it commits.
func (s *Store) migrateOne(ctx context.Context, m sqlstore.Migration) (err error) {
	if _, err := s.w.ExecContext(ctx, `PRAGMA foreign_keys = OFF`); err != nil {
		return err
	}
	defer func() {
		if _, ferr := s.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA foreign_keys = ON`); ferr != nil && err == nil {
			err = ferr
		}
	}()
	tx, err := s.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: one migrator at a time
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := sqlstore.MigrateOne(ctx, &q{x: tx}, m); err != nil {
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
}

// SchemaVersion is the version of the newest schema this build migrates to
// (its newest embedded migration), as `pbxsync version` shows it.
func SchemaVersion() (int, error) { return sqlstore.SchemaVersion(migrations) }
