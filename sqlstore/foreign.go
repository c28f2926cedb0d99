package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// loadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to companies other than st's, so that
// validation can report them as held elsewhere, reading in q (a read
// transaction). Objects of st's own company are left as they are. Each
// kind is one query, its keys one parameter (Dialect.Lookup).
func loadForeign(ctx context.Context, q Q, d Dialect, st *pbx.State, keys pbx.Keys) error {
	co := st.Company.ID
	l := loader{ctx: ctx, q: q, company: co}
	emails := make([]string, len(keys.Emails))
	for i, e := range keys.Emails {
		emails[i] = strings.ToLower(e)
	}
	if len(keys.Users) > 0 || len(emails) > 0 {
		err := l.each(d.Lookup(userColumns, "users", "user_id", "$2")+" UNION "+d.Lookup(userColumns, "users", "lower(email)", "$3"),
			func(r Rows) error {
				x, err := scanUser(r)
				if err == nil {
					st.Users[x.ID] = x
				}
				return err
			}, co, d.List(strs(keys.Users)), d.List(emails))
		if err != nil {
			return fmt.Errorf("%s: loading other companies' users: %w", d.Name(), err)
		}
	}
	if len(keys.Numbers) > 0 {
		err := l.each(d.Lookup(numberColumns, "numbers", "e164", "$2"), func(r Rows) error {
			x, err := scanNumber(r)
			if err == nil {
				st.Numbers[x.E164] = x
			}
			return err
		}, co, d.List(strs(keys.Numbers)))
		if err != nil {
			return fmt.Errorf("%s: loading other companies' numbers: %w", d.Name(), err)
		}
	}
	if len(keys.MACs) > 0 {
		err := l.each(d.Lookup(deviceColumns, "devices", "mac", "$2"), func(r Rows) error {
			x, err := scanDevice(r)
			if err == nil {
				st.Devices[x.MAC] = x
			}
			return err
		}, co, d.List(strs(keys.MACs)))
		if err != nil {
			return fmt.Errorf("%s: loading other companies' devices: %w", d.Name(), err)
		}
	}
	return nil
}

// strs converts typed keys to plain strings.
func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
