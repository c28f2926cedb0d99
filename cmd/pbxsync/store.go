package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/pbxsync/pbxsync/dsn"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
)

// defaultDB is the embedded store's file when nothing else is named.
const defaultDB = "pbxsync.db"

// storeFlags are the flags every command that reads the live state takes.
type storeFlags struct {
	db      string
	company string
}

func (s *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.db, "db", "", "the store: postgres://..., a key/value string (\"host=... dbname=...\"), sqlite:FILE, or a FILE ending in .db (default: $PBXSYNC_DB, $DATABASE_URL, the PG* environment, else ./"+defaultDB+")")
	fs.StringVar(&s.company, "company", "", "company ID (default: the store's only company)")
}

// dbTarget decides which store to use: the flag's value, else PBXSYNC_DB,
// else DATABASE_URL, else PostgreSQL when PGHOST or PGDATABASE is set, else
// ./pbxsync.db. Every one of them is read by dsn.Parse: a string that names
// no store is refused (saying where it came from), never taken as a file
// name. The target's password is registered for redaction.
func dbTarget(flagValue string) (dsn.Target, error) {
	v, from := flagValue, "--db"
	if v == "" {
		v, from = os.Getenv("PBXSYNC_DB"), "PBXSYNC_DB"
	}
	if v == "" {
		v, from = os.Getenv("DATABASE_URL"), "DATABASE_URL"
	}
	if v == "" {
		if os.Getenv("PGHOST") != "" || os.Getenv("PGDATABASE") != "" {
			addSecret(os.Getenv("PGPASSWORD"))
			return dsn.Target{Kind: dsn.Postgres, Secret: os.Getenv("PGPASSWORD")}, nil
		}
		return dsn.Target{Kind: dsn.SQLite, Conn: defaultDB}, nil
	}
	t, err := dsn.Parse(v)
	if err != nil {
		return t, fmt.Errorf("%s: %w", from, err)
	}
	addSecret(t.Secret)
	if t.Kind == dsn.Postgres {
		addSecret(os.Getenv("PGPASSWORD")) // the driver reads it too
	}
	return t, nil
}

// open opens the store and brings its schema up to date, creating the
// embedded store's file when it does not exist: for init only.
func (s *storeFlags) open(ctx context.Context) (importer.Store, error) {
	t, err := dbTarget(s.db)
	if err != nil {
		return nil, err
	}
	st, err := openTarget(ctx, t)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, dsn.Error(err, t.Secret)
	}
	return st, nil
}

// openExisting opens a store that must exist, for every command but init
// (validate, plan, apply, revert, erase, runs, export): a missing file, or a
// database without pbxsync's schema, is an error that names it, and nothing
// is created. A schema that is current is only read; an older one is brought
// up to date.
func (s *storeFlags) openExisting(ctx context.Context) (importer.Store, error) {
	t, err := dbTarget(s.db)
	if err != nil {
		return nil, err
	}
	if t.Kind == dsn.SQLite {
		if _, err := os.Stat(t.Conn); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: the store %s does not exist; create it with 'pbxsync init --db %s' (with --seed FILE to load a company), or name another with --db",
				pbx.ErrNotFound, t.Conn, t.Conn)
		}
	}
	st, err := openTarget(ctx, t)
	if err != nil {
		return nil, err
	}
	n, empty, err := st.Pending(ctx)
	if err == nil && n > 0 {
		if empty {
			err = fmt.Errorf("%w: the store %s holds no pbxsync schema; create it with 'pbxsync init --db ...' (with --seed FILE to load a company)", pbx.ErrNotFound, t)
		} else {
			err = st.Migrate(ctx)
		}
	}
	if err != nil {
		st.Close()
		return nil, dsn.Error(err, t.Secret)
	}
	return st, nil
}

func openTarget(ctx context.Context, t dsn.Target) (importer.Store, error) {
	var (
		st  importer.Store
		err error
	)
	if t.Kind == dsn.Postgres {
		st, err = postgres.Open(ctx, t.Conn)
	} else {
		st, err = sqlite.Open(ctx, t.Conn)
	}
	return st, dsn.Error(err, t.Secret)
}
