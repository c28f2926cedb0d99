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
//
// The keys go in as arrays, each looked up by its index: a LATERAL
// subquery kept from being flattened into a join by OFFSET 0, whatever the
// statistics say. "= ANY($n)" (and an OR of two) became a filter run on
// every row of the table (3.3 s for 100,000 keys against a 500,000-user
// database); a join, which a bare LATERAL subquery is turned into, a hash
// of the whole table (0.8 s for 9,000 new logins); one index probe per key
// is 0.07 s for those 9,000.
func (s *Store) LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	co := st.Company.ID
	emails := make([]string, len(keys.Emails))
	for i, e := range keys.Emails {
		emails[i] = strings.ToLower(e)
	}
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		l := loader{ctx: ctx, tx: tx, company: co}
		if len(keys.Users) > 0 || len(emails) > 0 {
			err := l.each(`SELECT u.* FROM unnest($2::text[]) AS k(want)
				JOIN LATERAL (SELECT `+userColumns+` FROM users WHERE user_id = k.want AND company <> $1 OFFSET 0) u ON true
				UNION SELECT u.* FROM unnest($3::text[]) AS k(want)
				JOIN LATERAL (SELECT `+userColumns+` FROM users WHERE lower(email) = k.want AND company <> $1 OFFSET 0) u ON true`,
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
			err := l.each(`SELECT n.* FROM unnest($2::text[]) AS k(want)
				JOIN LATERAL (SELECT `+numberColumns+` FROM numbers WHERE e164 = k.want AND company <> $1 OFFSET 0) n ON true`,
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
			err := l.each(`SELECT d.* FROM unnest($2::text[]) AS k(want)
				JOIN LATERAL (SELECT `+deviceColumns+` FROM devices WHERE mac = k.want AND company <> $1 OFFSET 0) d ON true`,
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
