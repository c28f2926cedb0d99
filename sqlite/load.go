package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// Companies lists the companies in the store, by ID.
func (s *Store) Companies(ctx context.Context) ([]pbx.Company, error) {
	return sqlstore.Companies(ctx, &q{x: s.r}, lite)
}

// Load reads the whole of one company, each object with its version, and the
// whole device catalogue, from one snapshot of the database. A missing
// company wraps pbx.ErrNotFound.
func (s *Store) Load(ctx context.Context, company string) (st *pbx.State, err error) {
	err = s.snapshot(ctx, "loading company "+company, func(tx *sql.Tx) error {
		st, err = sqlstore.Load(ctx, &q{x: tx}, lite, company)
		return err
	})
	return st, err
}

// LoadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to companies other than st's, so that
// validation can report them as held elsewhere. Objects of st's own company
// are left as they are.
func (s *Store) LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	return s.snapshot(ctx, "loading other companies' objects", func(tx *sql.Tx) error {
		return sqlstore.LoadForeign(ctx, &q{x: tx}, lite, st, keys)
	})
}

// snapshot runs read in a read-only transaction: one snapshot of the file.
func (s *Store) snapshot(ctx context.Context, what string, read func(*sql.Tx) error) error {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	defer tx.Rollback()
	return read(tx)
}
