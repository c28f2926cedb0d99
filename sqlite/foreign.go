package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// LoadForeign adds to st the users (by user ID or e-mail), numbers and
// devices named in keys that belong to companies other than st's, so that
// validation can report them as held elsewhere. Objects of st's own company
// are left as they are.
func (s *Store) LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	co := st.Company.ID
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: loading other companies' objects: %w", err)
	}
	defer tx.Rollback()
	l := loader{ctx: ctx, tx: tx, company: co}
	emails := make([]string, len(keys.Emails))
	for i, e := range keys.Emails {
		emails[i] = strings.ToLower(e)
	}
	if len(keys.Users) > 0 || len(emails) > 0 {
		err := l.each(`SELECT `+userColumns+` FROM users WHERE company <> ?1 AND
			(user_id IN (SELECT value FROM json_each(?2)) OR lower(email) IN (SELECT value FROM json_each(?3)))`,
			func(r *sql.Rows) error {
				x, err := scanUser(r)
				if err == nil {
					st.Users[x.ID] = x
				}
				return err
			}, co, jsonList(keys.Users), jsonList(emails))
		if err != nil {
			return fmt.Errorf("sqlite: loading other companies' users: %w", err)
		}
	}
	if len(keys.Numbers) > 0 {
		err := l.each(`SELECT `+numberColumns+` FROM numbers WHERE company <> ?1 AND e164 IN (SELECT value FROM json_each(?2))`,
			func(r *sql.Rows) error {
				x, err := scanNumber(r)
				if err == nil {
					st.Numbers[x.E164] = x
				}
				return err
			}, co, jsonList(keys.Numbers))
		if err != nil {
			return fmt.Errorf("sqlite: loading other companies' numbers: %w", err)
		}
	}
	if len(keys.MACs) > 0 {
		err := l.each(`SELECT `+deviceColumns+` FROM devices WHERE company <> ?1 AND mac IN (SELECT value FROM json_each(?2))`,
			func(r *sql.Rows) error {
				x, err := scanDevice(r)
				if err == nil {
					st.Devices[x.MAC] = x
				}
				return err
			}, co, jsonList(keys.MACs))
		if err != nil {
			return fmt.Errorf("sqlite: loading other companies' devices: %w", err)
		}
	}
	return nil
}

// jsonList encodes keys as a JSON array for json_each.
func jsonList[T ~string](xs []T) string {
	b, _ := json.Marshal(xs)
	return string(b)
}
