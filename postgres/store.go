// Package postgres is the live-state store of pbxsync on a PostgreSQL server
// (or Citus), through pgx and its connection pool: sqlstore's store over
// PostgreSQL's side of sqlstore.Engine, its lock a row lock (lock.go) that
// runs for different companies do not share.
package postgres

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// DefaultLockWait: see sqlstore.DefaultLockWait.
const DefaultLockWait = sqlstore.DefaultLockWait

// Store is the live state in a PostgreSQL database, safe for concurrent use.
type Store struct {
	sqlstore.Store // Load, Apply, Runs...; the settings Who, LockWait, BatchRows
	pool           *pgxpool.Pool
	claims         atomic.Bool // the claims are tables (Citus), not views: see readLayout
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
	if err := s.readLayout(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// readLayout finds out whether the claims are tables (Citus) or views of
// the objects (migration 011): Open, Migrate and Distribute read it.
func (s *Store) readLayout(ctx context.Context) error {
	var tables bool
	if err := s.pool.QueryRow(ctx, ClaimLayout).Scan(&tables); err != nil {
		return fmt.Errorf("postgres: reading the schema's layout: %w", err)
	}
	s.claims.Store(tables)
	return nil
}

// ClaimLayout is the query that tells whether the claims of the schema in
// the search_path are tables (true) or views or not there yet (false).
const ClaimLayout = `SELECT coalesce((SELECT relkind IN ('r', 'p') FROM pg_class WHERE oid = to_regclass('login_claims')), false)`

func (e engine) ClaimTables() bool { return e.s.claims.Load() }

func (s *Store) Close() error {
	s.pool.Close()
	return nil
}
