package sqlstore

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
)

// ReadCurrent reads in tx, a batch's transaction, what the changes of the
// batch read without writing (apply.ReadCurrent), locking it where the
// engine locks rows (Dialect.ForShare).
func ReadCurrent(ctx context.Context, tx Q, d Dialect, company string, want apply.Wanted) (*apply.Current, error) {
	cur := &apply.Current{}
	var err error
	if cur.Users, err = versions(ctx, tx, d, Users, company, want.Users); err != nil {
		return nil, err
	}
	if cur.Numbers, err = versions(ctx, tx, d, Numbers, company, want.Numbers); err != nil {
		return nil, err
	}
	st := pbx.NewState(pbx.Company{ID: company})
	l := loader{ctx: ctx, q: tx, company: company}
	for _, r := range []struct {
		want bool
		t    *Table
		load func(*pbx.State) error
	}{{want.Sites, Sites, l.sites}, {want.Groups, HuntGroups, l.hunts}, {want.Groups, AutoAttendants, l.aas}} {
		if !r.want {
			continue
		}
		if fs := d.ForShare(); fs != "" {
			if _, err := tx.Exec(ctx, `SELECT 1 FROM `+r.t.Name+` WHERE company = $1`+fs, company); err != nil {
				return nil, fmt.Errorf("%s: locking the %ss the plan read: %w", d.Name(), r.t.Noun, err)
			}
		}
		if err := r.load(st); err != nil {
			return nil, fmt.Errorf("%s: reading the %ss the plan read: %w", d.Name(), r.t.Noun, err)
		}
	}
	cur.Sites, cur.Hunts, cur.AAs = st.Sites, st.Hunts, st.AAs
	return cur, nil
}

// versions reads the version of each of the company's objects of t whose
// key is one of keys, locking them where the engine does.
func versions(ctx context.Context, tx Q, d Dialect, t *Table, company string, keys []string) (map[string]int64, error) {
	table, key := t.Name, t.Key[0]
	out := make(map[string]int64, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	err := each(ctx, tx, `SELECT `+key+`, version FROM `+table+` WHERE company = $1 AND `+d.In(key, "$2")+d.ForShare(), func(r Rows) error {
		var k string
		var v int64
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		out[k] = v
		return nil
	}, company, d.List(keys))
	if err != nil {
		return nil, fmt.Errorf("%s: reading the %s the plan read: %w", d.Name(), table, err)
	}
	return out, nil
}
