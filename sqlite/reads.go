package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
)

// readCurrent reads in tx what the changes of a batch read without writing
// (apply.ReadCurrent): the batch's write transaction holds the database, so
// nothing changes them before it commits.
func readCurrent(ctx context.Context, tx *sql.Tx, company string, want apply.Wanted) (*apply.Current, error) {
	cur := &apply.Current{}
	var err error
	if cur.Users, err = versions(ctx, tx, "users", "user_id", company, want.Users); err != nil {
		return nil, err
	}
	if cur.Numbers, err = versions(ctx, tx, "numbers", "e164", company, want.Numbers); err != nil {
		return nil, err
	}
	st := pbx.NewState(pbx.Company{ID: company})
	l := loader{ctx: ctx, tx: tx, company: company}
	if want.Sites {
		if err := l.sites(st); err != nil {
			return nil, fmt.Errorf("sqlite: reading the sites the plan read: %w", err)
		}
	}
	if want.Groups {
		if err := l.hunts(st); err != nil {
			return nil, fmt.Errorf("sqlite: reading the hunt groups the plan read: %w", err)
		}
		if err := l.aas(st); err != nil {
			return nil, fmt.Errorf("sqlite: reading the auto attendants the plan read: %w", err)
		}
	}
	cur.Sites, cur.Hunts, cur.AAs = st.Sites, st.Hunts, st.AAs
	return cur, nil
}

// readChunk bounds the keys of one statement of versions.
const readChunk = 500

// versions reads the version of each of the company's objects of table
// whose key column is one of keys.
func versions(ctx context.Context, tx *sql.Tx, table, key, company string, keys []string) (map[string]int64, error) {
	out := make(map[string]int64, len(keys))
	l := loader{ctx: ctx, tx: tx, company: company}
	for len(keys) > 0 {
		n := min(len(keys), readChunk)
		var b strings.Builder
		b.WriteString("SELECT " + key + ", version FROM " + table + " WHERE company = ?1 AND " + key + " IN (")
		args := make([]any, 0, n+1)
		args = append(args, company)
		for i, k := range keys[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("?" + strconv.Itoa(i+2))
			args = append(args, k)
		}
		b.WriteString(")")
		err := l.each(b.String(), func(r *sql.Rows) error {
			var k string
			var v int64
			if err := r.Scan(&k, &v); err != nil {
				return err
			}
			out[k] = v
			return nil
		}, args...)
		if err != nil {
			return nil, fmt.Errorf("sqlite: reading the %s the plan read: %w", table, err)
		}
		keys = keys[n:]
	}
	return out, nil
}
