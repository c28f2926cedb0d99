package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// Companies lists the companies in the store, by ID.
func (s *Store) Companies(ctx context.Context) ([]pbx.Company, error) {
	return sqlstore.Companies(ctx, q{s.pool}, pg)
}

// Load reads the whole of one company, each object with its version, and the
// whole device catalogue, from one snapshot (a repeatable-read, read-only
// transaction), one query per table. A missing company wraps pbx.ErrNotFound.
func (s *Store) Load(ctx context.Context, company string) (st *pbx.State, err error) {
	err = s.snapshot(ctx, func(tx pgx.Tx) error {
		st, err = sqlstore.Load(ctx, q{tx}, pg, company)
		return err
	})
	return st, err
}

// LoadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to companies other than st's, so that
// validation can report them as held elsewhere. Objects of st's own company
// are left as they are.
func (s *Store) LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	return s.snapshot(ctx, func(tx pgx.Tx) error { return sqlstore.LoadForeign(ctx, q{tx}, pg, st, keys) })
}

// snapshot runs read in a repeatable-read, read-only transaction.
func (s *Store) snapshot(ctx context.Context, read func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, read)
}
