package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
)

// LoadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to companies other than st's, so that
// validation can report them as held elsewhere. Objects of st's own company
// are left as they are.
func (s *Store) LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	co := st.Company.ID
	emails := make([]string, len(keys.Emails))
	for i, e := range keys.Emails {
		emails[i] = strings.ToLower(e)
	}
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		l := loader{ctx: ctx, tx: tx, company: co}
		if len(keys.Users) > 0 || len(emails) > 0 {
			err := l.each(`SELECT `+userColumns+` FROM users WHERE company <> $1 AND (user_id = ANY($2) OR lower(email) = ANY($3))`,
				func(r pgx.Rows) error {
					x, err := scanUser(r)
					if err == nil {
						st.Users[x.ID] = x
					}
					return err
				}, co, strs(keys.Users), emails)
			if err != nil {
				return fmt.Errorf("postgres: loading other companies' users: %w", err)
			}
		}
		if len(keys.Numbers) > 0 {
			err := l.each(`SELECT `+numberColumns+` FROM numbers WHERE company <> $1 AND e164 = ANY($2)`,
				func(r pgx.Rows) error {
					x, err := scanNumber(r)
					if err == nil {
						st.Numbers[x.E164] = x
					}
					return err
				}, co, strs(keys.Numbers))
			if err != nil {
				return fmt.Errorf("postgres: loading other companies' numbers: %w", err)
			}
		}
		if len(keys.MACs) > 0 {
			err := l.each(`SELECT `+deviceColumns+` FROM devices WHERE company <> $1 AND mac = ANY($2)`,
				func(r pgx.Rows) error {
					x, err := scanDevice(r)
					if err == nil {
						st.Devices[x.MAC] = x
					}
					return err
				}, co, strs(keys.MACs))
			if err != nil {
				return fmt.Errorf("postgres: loading other companies' devices: %w", err)
			}
		}
		return nil
	})
}

// strs converts typed keys to plain strings for a text[] parameter.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
