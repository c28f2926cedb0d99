// Package sqlite is the embedded live-state store of pbxsync: the PBX state
// and the audit log in one SQLite file (WAL, foreign keys enforced), through
// the pure-Go driver modernc.org/sqlite: sqlstore's store over SQLite's side
// of sqlstore.Engine. Writes go through one connection whose transactions
// begin IMMEDIATE, so one writer holds the file at a time and another waits
// up to the busy timeout; reads use a pool of read-only connections. A
// company's lock is a lease on its run (lock.go).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/sqlstore"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultBusyTimeout is how long a write waits for another writer (another
// pbxsync process on the same file); Apply then fails with pbx.ErrLocked.
const DefaultBusyTimeout = 5 * time.Second

// DefaultLockWait: see sqlstore.DefaultLockWait.
const DefaultLockWait = sqlstore.DefaultLockWait

// DefaultStaleLock is the lease of a company lock: how old its heartbeat
// must be for another run to take the lock over, whatever host and process
// it names (a container restarted under a new name, a process id reused).
const DefaultStaleLock = 30 * time.Second

// writerPragmas tune the writer without touching durability (WAL with
// synchronous=NORMAL: a commit survives a crash of the process):
//
//   - cache_size 64 MiB, not 2: an apply batch dirties pages all over the
//     indexes, which a small cache spills to the WAL mid-transaction and
//     reads back again and again.
//   - temp_store: the statement journals and temporary b-trees in memory.
//   - wal_autocheckpoint every 10,000 pages, not 1,000: a checkpoint copies
//     each page once however often the WAL holds it, and batches dirty the
//     same index pages; the WAL grows to about 40 MiB while a large apply
//     runs.
var writerPragmas = []string{"cache_size(-65536)", "temp_store(memory)", "wal_autocheckpoint(10000)"}

// Store is the live state in one SQLite file, safe for concurrent use.
type Store struct {
	sqlstore.Store
	w, r        *sql.DB       // the one writer (MaxOpenConns 1, BEGIN IMMEDIATE), the readers
	BusyTimeout time.Duration // a write's wait for another writer of the file; Open sets DefaultBusyTimeout
	StaleLock   time.Duration // how old a lock's heartbeat must be to be taken over; 0: DefaultStaleLock
}

func (s *Store) staleLock() time.Duration {
	if s.StaleLock > 0 {
		return s.StaleLock
	}
	return DefaultStaleLock
}

// Open opens (creating if need be) the SQLite database in the file at path,
// without migrating it.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: no database file given; name one, e.g. pbxsync.db")
	}
	if strings.ContainsRune(path, '?') {
		return nil, fmt.Errorf("sqlite: database file %q contains '?'; rename it", path)
	}
	busy := strconv.FormatInt(DefaultBusyTimeout.Milliseconds(), 10)
	wq := url.Values{
		"_busy_timeout": {busy},
		"_journal_mode": {"WAL"},
		"_foreign_keys": {"1"},
		"_txlock":       {"immediate"},
		"_synchronous":  {"NORMAL"},
		"_pragma":       writerPragmas,
	}
	w, err := sql.Open("sqlite", path+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	// The first connection switches the file to WAL before any reader opens it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	rq := url.Values{
		"_busy_timeout": {busy},
		"_foreign_keys": {"1"},
		"_query_only":   {"1"},
	}
	r, err := sql.Open("sqlite", path+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: opening %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	s := &Store{w: w, r: r, BusyTimeout: DefaultBusyTimeout}
	s.Store = sqlstore.NewStore(engine{s: s}, s.migrator())
	return s, nil
}

func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}
