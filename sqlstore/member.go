package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A member (of a number or a hunt group) has no version: it is there or
// not, and a plan only creates and deletes members. A create writes only a
// member not there yet, a delete only one still there with the role (at the
// position) the plan read; the foreign keys, which carry the company, keep
// it inside the company. Neither breaks a rule of the schema (which would
// abort PostgreSQL's transaction): a change that writes nothing is
// explained by memberStale or huntMemberStale. Members are written change by change (apply.OpOf)
// but for a batch's run of number member changes (setwise.go).

// memberSQL are the statements that create and delete a member, and what it
// is for a message.
var memberSQL = map[plan.Kind][3]string{
	plan.KindMember: {`INSERT INTO number_members (company, number, user_id, role) VALUES ($1, $2, $3, $4)
			ON CONFLICT (company, number, user_id) DO NOTHING RETURNING 1`,
		`DELETE FROM number_members WHERE company = $1 AND number = $2 AND user_id = $3 AND role = $4`,
		"number member: members are created and deleted"},
	plan.KindHuntMember: {`INSERT INTO hunt_group_members (company, group_id, user_id, position) VALUES ($1, $2, $3, $4)
			ON CONFLICT (company, group_id, user_id) DO NOTHING RETURNING 1`,
		`DELETE FROM hunt_group_members WHERE company = CAST($1 AS TEXT) AND group_id = CAST($2 AS TEXT)
			AND user_id = CAST($3 AS TEXT) AND position = CAST($4 AS INTEGER)`,
		"hunt group member: members are added and removed"},
}

// member writes member change i, of a number or a hunt group.
func (a *Applier) member(ctx context.Context, i int, ch *plan.Change) error {
	var args []any
	var stale func() error
	if ch.Kind == plan.KindMember {
		e, u, role, err := plan.ReadMember(ch)
		if err != nil {
			return apply.Fail(ch, "%w", err)
		}
		args, stale = []any{a.Company, string(e), string(u), string(role)}, func() error { return a.memberStale(ctx, ch, e, u, role) }
	} else {
		g, u, pos, err := plan.ReadHuntMember(ch)
		if err != nil {
			return apply.Fail(ch, "%w", err)
		}
		args, stale = []any{a.Company, g, string(u), pos}, func() error { return a.huntMemberStale(ctx, ch, g, u, pos) }
	}
	m := memberSQL[ch.Kind]
	query := map[plan.Action]string{plan.Create: m[0], plan.Delete: m[1]}[ch.Action]
	if query == "" {
		return apply.Fail(ch, "%w: pbxsync cannot %s a %s", pbx.ErrInvalid, ch.Action, m[2])
	}
	n, err := a.exec(ctx, i, ch, query, args...)
	if err == nil && n == 0 {
		return stale()
	}
	return err
}

// memberStale explains why a member change wrote nothing.
func (a *Applier) memberStale(ctx context.Context, ch *plan.Change, e pbx.E164, u pbx.UserID, role pbx.MemberRole) error {
	var numCo, userCo, have *string
	read := func(dst **string, query string, args ...any) error {
		var v string
		err := a.Q.QueryRow(ctx, query, args...).Scan(&v)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return nil
		case err != nil:
			return err
		}
		*dst = &v
		return nil
	}
	err := read(&numCo, `SELECT company FROM number_claims WHERE e164 = $1`, string(e))
	if err == nil {
		err = read(&userCo, `SELECT company FROM login_claims WHERE user_id = $1`, string(u))
	}
	if err == nil {
		err = read(&have, `SELECT role FROM number_members WHERE company = $1 AND number = $2 AND user_id = $3`, a.Company, string(e), string(u))
	}
	if err != nil {
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	return apply.MemberFailure(ch, a.Company, e, u, role, numCo, userCo, have)
}

// huntMemberStale explains why a hunt group member change wrote nothing.
func (a *Applier) huntMemberStale(ctx context.Context, ch *plan.Change, g string, u pbx.UserID, pos int) error {
	var (
		group          *int
		userCo, holder *string
		have           *int
	)
	err := a.Q.QueryRow(ctx, `SELECT (SELECT 1 FROM hunt_groups WHERE company = CAST($1 AS TEXT) AND id = CAST($2 AS TEXT)),
		(SELECT company FROM login_claims WHERE user_id = CAST($3 AS TEXT)),
		(SELECT position FROM hunt_group_members WHERE company = CAST($1 AS TEXT) AND group_id = CAST($2 AS TEXT) AND user_id = CAST($3 AS TEXT)),
		(SELECT user_id FROM hunt_group_members WHERE company = CAST($1 AS TEXT) AND group_id = CAST($2 AS TEXT) AND position = CAST($4 AS INTEGER))`,
		a.Company, g, string(u), pos).Scan(&group, &userCo, &have, &holder)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	switch {
	case group == nil:
		return apply.Also(apply.Fail(ch, "%w: company %s has no hunt group %s; plan again", pbx.ErrNotFound, a.Company, g), pbx.ErrStale)
	case ch.Action == plan.Delete && have == nil:
		return apply.Also(apply.Fail(ch, "%w: it is no longer there (the plan saw it at position %d); plan again", pbx.ErrNotFound, pos), pbx.ErrStale)
	case ch.Action == plan.Delete:
		return apply.Fail(ch, "%w: it is at position %d now, the plan saw it at %d; plan again", pbx.ErrStale, *have, pos)
	case userCo == nil:
		return apply.Fail(ch, "%w: user %s does not exist; create the user before adding them to a hunt group", pbx.ErrConflict, u)
	case *userCo != a.Company:
		return apply.Fail(ch, "%w: user %s belongs to company %s, not %s", pbx.ErrConflict, u, *userCo, a.Company)
	case have != nil:
		return apply.Also(apply.Fail(ch, "%w: %s is already a member of hunt group %s (position %d; added since the plan was made); plan again", pbx.ErrConflict, u, g, *have), pbx.ErrStale)
	case holder != nil:
		return apply.Also(apply.Fail(ch, "%w: position %d of hunt group %s is %s's now (added since the plan was made); plan again", pbx.ErrConflict, pos, g, *holder), pbx.ErrStale)
	}
	return apply.Fail(ch, "%w: it was not written; plan again", pbx.ErrStale)
}
