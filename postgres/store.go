// Package postgres is the live-state store of pbxsync on a PostgreSQL server,
// through pgx and its connection pool. It implements importer.Store; the
// storetest package holds the contract it passes, the same as the sqlite
// store's.
//
// Apply holds a row lock on the company (SELECT ... FOR UPDATE) for the
// whole of its transaction, so two runs for one company never interleave,
// while runs for different companies go on side by side.
package postgres

import (
	"context"
	"fmt"
	"os/user"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// DefaultLockTimeout is how long Apply waits for another run to release the
// company before failing with pbx.ErrLocked.
const DefaultLockTimeout = 5 * time.Second

// Store is the live state in a PostgreSQL database. It is safe for
// concurrent use.
type Store struct {
	pool *pgxpool.Pool

	// Who is recorded as the author of every run Apply writes. Open sets it
	// to the name of the operating-system user; a command may set another.
	Who string
	// LockTimeout bounds the wait for the company lock (and any row lock)
	// in Apply; Open sets DefaultLockTimeout.
	LockTimeout time.Duration
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
	return &Store{pool: pool, Who: currentUser(), LockTimeout: DefaultLockTimeout}, nil
}

// Close closes every connection of the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
