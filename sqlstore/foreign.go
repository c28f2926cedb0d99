package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/pbxsync/pbxsync/pbx"
)

// loadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to other companies, so that validation
// can report them as held elsewhere. Who holds a key is read from its claim,
// the objects then from each holding company: on Citus every query goes to
// the shards of one value or one company, never to all of them.
func loadForeign(ctx context.Context, q Q, d Dialect, st *pbx.State, keys pbx.Keys) error {
	co := st.Company.ID
	emails := make([]string, len(keys.Emails))
	for i, e := range keys.Emails {
		emails[i] = Email(e)
	}
	kinds := []struct {
		what   string
		claims []string // queries of (company, key) of the claims
		args   []any
		cols   string // the object's select list and table, its key column
		table  string
		key    string
		scan   func(Rows) error
	}{
		{"users", []string{
			`SELECT company, user_id FROM login_claims WHERE company <> $1 AND ` + d.In("user_id", "$2"),
			`SELECT company, user_id FROM email_claims WHERE company <> $1 AND ` + d.In("email", "$2"),
		}, []any{d.List(strs(keys.Users)), d.List(emails)}, userColumns, "users", "user_id", scanInto(userFields, into(st.Users, userKey))},
		{"numbers", []string{`SELECT company, e164 FROM number_claims WHERE company <> $1 AND ` + d.In("e164", "$2")},
			[]any{d.List(strs(keys.Numbers))}, numberColumns, "numbers", "e164", scanNumbers(st)},
		{"devices", []string{`SELECT company, mac FROM device_claims WHERE company <> $1 AND ` + d.In("mac", "$2")},
			[]any{d.List(strs(keys.MACs))}, deviceColumns, "devices", "mac", scanInto(deviceFields, into(st.Devices, deviceKey))},
	}
	sizes := [][]int{{len(keys.Users), len(emails)}, {len(keys.Numbers)}, {len(keys.MACs)}}
	for k, kind := range kinds {
		held := map[string][]string{} // company -> keys
		for j, claims := range kind.claims {
			if sizes[k][j] == 0 {
				continue
			}
			err := each(ctx, q, claims, func(r Rows) error {
				var company, key string
				err := r.Scan(&company, &key)
				held[company] = append(held[company], key)
				return err
			}, co, kind.args[j])
			if err != nil {
				return fmt.Errorf("%s: loading other companies' %s: %w", d.Name(), kind.what, err)
			}
		}
		companies := make([]string, 0, len(held))
		for c := range held {
			companies = append(companies, c)
		}
		slices.Sort(companies)
		for _, c := range companies {
			err := each(ctx, q, `SELECT `+kind.cols+` FROM `+kind.table+` WHERE company = $1 AND `+d.In(kind.key, "$2"),
				kind.scan, c, d.List(held[c]))
			if err != nil {
				return fmt.Errorf("%s: loading the %s of company %s: %w", d.Name(), kind.what, c, err)
			}
		}
	}
	return nil
}

func strs[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
