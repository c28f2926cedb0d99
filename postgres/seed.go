package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// Seed loads a company's starting state in one transaction (see
// sqlstore.SeedItems); all the upserts go to the server in one batch.
func (s *Store) Seed(ctx context.Context, sd *pbx.Seed) error {
	if sd == nil || sd.Company.ID == "" {
		return fmt.Errorf("%w: seed: the company has no id", pbx.ErrInvalid)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		scopes, err := sqlstore.SeedScopes(ctx, q{tx}, sd)
		if err != nil {
			return err
		}
		emails, err := sqlstore.SeedEmails(ctx, q{tx}, pg, sd, s.claims.Load())
		if err != nil {
			return err
		}
		items, err := sqlstore.SeedItems(sd, scopes, emails)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, it := range items {
			b.Queue(it.SQL, it.Args...)
		}
		br := tx.SendBatch(ctx, b)
		defer br.Close()
		for _, it := range items {
			tag, err := br.Exec()
			if err := it.Check(pg, tag.RowsAffected(), err); err != nil {
				return err
			}
		}
		if err := br.Close(); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, sqlstore.SeedGeneration); err != nil {
			return fmt.Errorf("postgres: seed: raising the generation: %w", err)
		}
		return nil
	})
}
