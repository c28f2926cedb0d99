package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A rename (plan.Rename: a user's login changed under the same HR id)
// changes the key of a user at the version the plan saw and every row that
// names it. The foreign keys that name a user are checked at once and do
// not cascade, so the user is copied under its new login (without its
// unique e-mail and extension), the rows that name it are moved to the
// copy, the old row is deleted and the copy given its e-mail and
// extension, its version raised by one. The change is recorded under the
// old login with its user_id field, which `pbxsync revert` turns back. It
// is written change by change (apply.OpOf): renames are few.

// renameRefs are the columns that name a user by login.
var renameRefs = []struct{ table, col string }{
	{"numbers", "target_user"},
	{"device_lines", "user_id"},
	{"number_members", "user_id"},
	{"hunt_group_members", "user_id"},
}

// userCopyCols are the users table's columns a rename copies as they are.
func userCopyCols() []string {
	var cols []string
	for _, c := range Tables[plan.KindUser].Cols {
		if c.Name != "email" && c.Name != "extension" {
			cols = append(cols, c.Name)
		}
	}
	sort.Strings(cols)
	return append(cols, "ext_scope")
}

// rename writes rename change i (see above).
func (a *Applier) rename(ctx context.Context, i int, ch *plan.Change) error {
	t := Tables[plan.KindUser]
	to, ok := ch.After(plan.AttrUserID)
	if id, err := pbx.ParseUserID(to); ch.Kind != plan.KindUser || !ok || err != nil || string(id) != to {
		return apply.Fail(ch, "%w: a rename names a user and the login it changes to (field %s, a login in its canonical e-mail form), not %q; plan again", pbx.ErrInvalid, plan.AttrUserID, to)
	}
	if to == ch.Key {
		return nil // nothing to change
	}
	keys := []Assign{{Col: "user_id", Val: ch.Key}}
	var email, ext sql.NullString
	err := a.Q.QueryRow(ctx, `SELECT email, extension FROM users WHERE user_id = $1 AND company = $2 AND version = $3`,
		ch.Key, a.Company, ch.Version).Scan(&email, &ext)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return a.stale(ctx, t, ch, keys)
	case err != nil:
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	held, err := holder(ctx, a.Q, plan.KindUser, to)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	case held == a.Company:
		return apply.Fail(ch, "%w: login %s is already another user's; plan again (that user's row decides who keeps it)", pbx.ErrConflict, to)
	case held != "":
		return apply.Fail(ch, "%w: login %s is a user of another company; choose another login", pbx.ErrConflict, to)
	}

	// The claim tables first, where there are: the new login's (its key
	// refuses a holder that came meanwhile), the old one's let go, the
	// e-mail's holder renamed. A claim's key is never updated in place: on
	// Citus it is the column the claim is sharded by.
	cols := strings.Join(userCopyCols(), ", ")
	type stmt struct {
		sql  string
		args []any
	}
	var steps []stmt
	if a.Claims {
		steps = []stmt{
			{`INSERT INTO login_claims (user_id, company) VALUES ($1, $2)`, []any{to, a.Company}},
			{`DELETE FROM login_claims WHERE user_id = $1 AND company = $2`, []any{ch.Key, a.Company}},
			{`UPDATE email_claims SET user_id = $1 WHERE email = $2 AND company = $3`, []any{to, Email(email.String), a.Company}},
		}
	}
	steps = append(steps,
		stmt{`INSERT INTO users (user_id, ` + cols + `, version) SELECT $1, ` + cols + `, version + 1 FROM users WHERE company = $2 AND user_id = $3`,
			[]any{to, a.Company, ch.Key}})
	for _, r := range renameRefs {
		steps = append(steps, stmt{`UPDATE ` + r.table + ` SET ` + r.col + ` = $1 WHERE company = $2 AND ` + r.col + ` = $3`, []any{to, a.Company, ch.Key}})
	}
	steps = append(steps, stmt{`DELETE FROM users WHERE company = $1 AND user_id = $2`, []any{a.Company, ch.Key}},
		stmt{`UPDATE users SET email = $1, extension = $2 WHERE company = $3 AND user_id = $4`, []any{nullable(email), nullable(ext), a.Company, to}})
	for _, st := range steps {
		if _, err := a.exec(ctx, i, ch, st.sql, st.args...); err != nil {
			return err
		}
	}
	return nil
}

func nullable(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}
