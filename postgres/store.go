// Package postgres is the live-state store of pbxsync on a PostgreSQL server,
// through pgx and its connection pool. It implements importer.Store; the
// storetest package holds the contract it passes, the same as the sqlite
// store's.
//
// Apply holds the company's lock (a row lock in the company_locks table, see
// lock.go) for the whole run, so two runs for one company never interleave,
// while runs for different companies go on side by side. It writes a plan in
// batches of whole roster rows, each batch one transaction (or the whole plan
// in one with apply.Options.Atomic), and records the run batch by batch in
// the audit log. The batching is package apply's, shared with the sqlite
// store.
package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// DefaultLockWait is how long Apply waits for another run to release the
// company before failing with pbx.ErrLocked.
const DefaultLockWait = sqlstore.DefaultLockWait

// Store is the live state in a PostgreSQL database. It is safe for
// concurrent use.
type Store struct {
	sqlstore.Store // Load, Apply, Runs...; the settings Who, LockWait, BatchRows
	pool           *pgxpool.Pool
}

// Open connects to the database at url, a postgres:// URL or keyword/value
// settings; "" takes everything from the PG* environment variables
// (PGHOST, PGDATABASE...). Settings pgx does not know, such as search_path,
// are passed to the server. It does not create or upgrade the schema: call
// Migrate for that.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading the connection settings: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connecting: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connecting to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	s := &Store{pool: pool}
	s.Store = sqlstore.NewStore(engine{s: s}, s.migrator())
	return s, nil
}

// Close closes every connection of the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
