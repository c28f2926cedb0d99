package main

import (
	"context"
	"flag"
	"os"
	"strings"

	"github.com/pbxsync/pbxsync/importer"
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
	fs.StringVar(&s.db, "db", "", "the store: a file for the embedded store, or postgres://... (default: $PBXSYNC_DB, $DATABASE_URL, the PG* environment, else ./"+defaultDB+")")
	fs.StringVar(&s.company, "company", "", "company ID (default: the store's only company)")
}

// dbTarget decides which store to use, and says so in words.
func dbTarget(flagValue string) (url string, postgresStore bool) {
	v := flagValue
	if v == "" {
		v = os.Getenv("PBXSYNC_DB")
	}
	if v == "" {
		v = os.Getenv("DATABASE_URL")
	}
	if v == "" && (os.Getenv("PGHOST") != "" || os.Getenv("PGDATABASE") != "") {
		return "", true
	}
	if strings.HasPrefix(v, "postgres://") || strings.HasPrefix(v, "postgresql://") {
		return v, true
	}
	if v == "" {
		v = defaultDB
	}
	return v, false
}

// open opens and migrates the store.
func (s *storeFlags) open(ctx context.Context) (importer.Store, error) {
	url, pg := dbTarget(s.db)
	var st importer.Store
	var err error
	if pg {
		st, err = postgres.Open(ctx, url)
	} else {
		st, err = sqlite.Open(ctx, url)
	}
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}
