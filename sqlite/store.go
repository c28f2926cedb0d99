// Package sqlite is the embedded live-state store of pbxsync: the whole PBX
// state and the audit log of runs in one SQLite file, through the pure-Go
// driver modernc.org/sqlite. It implements importer.Store; the storetest
// package holds the contract it passes, the same as the postgres store's.
//
// The file is opened in WAL mode with foreign keys enforced. Writes go through
// a single connection whose transactions begin IMMEDIATE, so one writer holds
// the database at a time and another waits up to the busy timeout; reads use a
// pool of read-only connections and see the last committed state.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os/user"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DefaultBusyTimeout is how long a write waits for another writer (another
// pbxsync process on the same file); Apply then fails with pbx.ErrLocked.
const DefaultBusyTimeout = 5 * time.Second

// Store is the live state in one SQLite file. It is safe for concurrent use.
type Store struct {
	w *sql.DB // the one writer: MaxOpenConns 1, BEGIN IMMEDIATE
	r *sql.DB // readers

	// Who is recorded as the author of every run Apply writes. Open sets it
	// to the name of the operating-system user; a command may set another
	// (e.g. from a --who flag) before applying.
	Who string
	// BusyTimeout bounds Apply's wait for another writer; Open sets
	// DefaultBusyTimeout.
	BusyTimeout time.Duration
}

// Open opens (creating if need be) the SQLite database in the file at path.
// It does not create or upgrade the schema: call Migrate for that.
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
	s := &Store{w: w, r: r, Who: currentUser(), BusyTimeout: DefaultBusyTimeout}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	return errors.Join(s.r.Close(), s.w.Close())
}

func currentUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
