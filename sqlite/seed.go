package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// Seed loads a company's starting state in one transaction (see
// sqlstore.SeedItems), each kind of upsert prepared once.
func (s *Store) Seed(ctx context.Context, sd *pbx.Seed) error {
	if sd == nil || sd.Company.ID == "" {
		return fmt.Errorf("%w: seed: the company has no id", pbx.ErrInvalid)
	}
	conn, err := s.writer(ctx) // with BusyTimeout
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.lockErr(ctx, err, sd.Company.ID)
	}
	defer tx.Rollback()
	x := &q{x: tx, stmts: map[string]*sql.Stmt{}}
	scopes, err := sqlstore.SeedScopes(ctx, x, sd)
	if err != nil {
		return err
	}
	emails, err := sqlstore.SeedEmails(ctx, x, lite, sd, false)
	if err != nil {
		return err
	}
	items, err := sqlstore.SeedItems(sd, scopes, emails)
	if err != nil {
		return err
	}
	for _, it := range items {
		n, err := x.Exec(ctx, it.SQL, it.Args...)
		if err := it.Check(lite, n, err); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, sqlstore.SeedGeneration); err != nil {
		return fmt.Errorf("sqlite: seed: raising the generation: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: seed: committing: %w", err)
	}
	return nil
}
