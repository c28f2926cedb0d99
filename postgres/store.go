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
	"os"
	"os/user"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// DefaultLockWait is how long Apply waits for another run to release the
// company before failing with pbx.ErrLocked.
const DefaultLockWait = 5 * time.Second

// Where this process runs, recorded with every run.
var (
	hostname, _ = os.Hostname()
	pid         = os.Getpid()
)

// Store is the live state in a PostgreSQL database. It is safe for
// concurrent use.
type Store struct {
	sqlstore.Reads // Companies, Load, LoadForeign, Runs, Run, RunOutcome, UnchangedSince
	pool           *pgxpool.Pool

	// Who is recorded as the author of every run Apply writes. Open sets it
	// to the name of the operating-system user; a command may set another.
	Who string
	// LockWait bounds Apply's wait for the company lock (and for any row
	// another session holds); 0 means DefaultLockWait.
	LockWait time.Duration
	// BatchRows is how many roster rows a batch of Apply holds, each batch
	// its own transaction (unless apply.Options.Atomic makes the whole plan
	// one); 0 means apply.DefaultBatchRows.
	BatchRows int

	hook        sqlstore.Hook // tests only: see export_test.go
	setwiseFrom int           // batches of this many changes or more go set-wise; 0 = setwiseMin
}

func (s *Store) lockWait() time.Duration {
	if s.LockWait > 0 {
		return s.LockWait
	}
	return DefaultLockWait
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
	s := &Store{pool: pool, Who: currentUser(), LockWait: DefaultLockWait}
	s.Reads = sqlstore.Reads{E: engine{s: s}}
	return s, nil
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
