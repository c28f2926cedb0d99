package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
)

// readCurrent reads in tx what the changes of a batch read without writing
// (apply.ReadCurrent), its rows locked FOR SHARE first: another
// transaction that would change them waits until this one ends.
func readCurrent(ctx context.Context, tx pgx.Tx, company string, want apply.Wanted) (*apply.Current, error) {
	cur := &apply.Current{}
	var err error
	if cur.Users, err = versions(ctx, tx, "users", `SELECT user_id, version FROM users WHERE company = $1 AND user_id = ANY($2) FOR SHARE`, company, want.Users); err != nil {
		return nil, err
	}
	if cur.Numbers, err = versions(ctx, tx, "numbers", `SELECT e164, version FROM numbers WHERE company = $1 AND e164 = ANY($2) FOR SHARE`, company, want.Numbers); err != nil {
		return nil, err
	}
	st := pbx.NewState(pbx.Company{ID: company})
	l := loader{ctx: ctx, tx: tx, company: company}
	read := func(what, table string, load func(*pbx.State) error) error {
		if _, err := tx.Exec(ctx, `SELECT FROM `+table+` WHERE company = $1 FOR SHARE`, company); err != nil {
			return fmt.Errorf("postgres: locking the %s the plan read: %w", what, err)
		}
		if err := load(st); err != nil {
			return fmt.Errorf("postgres: reading the %s the plan read: %w", what, err)
		}
		return nil
	}
	if want.Sites {
		if err := read("sites", "sites", l.sites); err != nil {
			return nil, err
		}
	}
	if want.Groups {
		if err := read("hunt groups", "hunt_groups", l.hunts); err != nil {
			return nil, err
		}
		if err := read("auto attendants", "auto_attendants", l.aas); err != nil {
			return nil, err
		}
	}
	cur.Sites, cur.Hunts, cur.AAs = st.Sites, st.Hunts, st.AAs
	return cur, nil
}

// versions runs query (company $1, keys $2) for rows of key and version.
func versions(ctx context.Context, tx pgx.Tx, what, query, company string, keys []string) (map[string]int64, error) {
	out := make(map[string]int64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	l := loader{ctx: ctx, tx: tx, company: company}
	err := l.each(query, func(r pgx.Rows) error {
		var k string
		var v int64
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		out[k] = v
		return nil
	}, company, keys)
	if err != nil {
		return nil, fmt.Errorf("postgres: reading the %s the plan read: %w", what, err)
	}
	return out, nil
}
