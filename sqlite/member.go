package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A number member (table number_members) has no version: it is there with
// its role or not at all, and a plan only creates and deletes members. The
// optimistic check is on that: a create writes only a member that is not
// there yet, a delete only one still there with the role the plan read; both
// only on a number of the plan's company, a create only for a user of it.

// member writes the number member change i.
func (a *applier) member(ctx context.Context, i int, ch *plan.Change) error {
	e, u, role, err := memberOf(ch)
	if err != nil {
		return fail(ch, "%w", err)
	}
	var b sqlb
	switch ch.Action {
	case plan.Create:
		b.WriteString(`INSERT INTO number_members (number, user_id, role) SELECT ?1, ?2, ?3
			WHERE (SELECT company FROM numbers WHERE e164 = ?1) = ?4 AND (SELECT company FROM users WHERE user_id = ?2) = ?4
			ON CONFLICT DO NOTHING`)
	case plan.Delete:
		b.WriteString(`DELETE FROM number_members WHERE number = ?1 AND user_id = ?2 AND role = ?3
			AND (SELECT company FROM numbers WHERE e164 = ?1) = ?4`)
	default:
		return fail(ch, "%w: pbxsync cannot %s a number member: members are created and deleted", pbx.ErrInvalid, ch.Action)
	}
	b.args = []any{string(e), string(u), string(role), a.company}
	n, err := a.exec(ctx, i, ch, &b)
	if err != nil {
		return err
	}
	if n == 0 {
		return a.memberStale(ctx, ch, e, u, role)
	}
	return nil
}

// memberOf reads a member change: its number and user from the key, its
// role from its one field (after for a create, before for a delete).
func memberOf(ch *plan.Change) (pbx.E164, pbx.UserID, pbx.MemberRole, error) {
	e, u, err := plan.SplitMemberKey(ch.Key)
	if err != nil {
		return "", "", "", err
	}
	var role string
	for _, f := range ch.Fields {
		if f.Field != plan.AttrRole {
			return "", "", "", fmt.Errorf("%w: a number member has no field %q; the plan may come from another version of pbxsync: plan again",
				pbx.ErrInvalid, f.Field)
		}
		role = f.After
		if ch.Action == plan.Delete {
			role = f.Before
		}
	}
	switch r := pbx.MemberRole(role); r {
	case pbx.RoleOutboundOnly, pbx.RoleAssigned:
		return e, u, r, nil
	case "":
		return "", "", "", fmt.Errorf("%w: the change gives the member no role (%s or %s)", pbx.ErrInvalid, pbx.RoleOutboundOnly, pbx.RoleAssigned)
	}
	return "", "", "", fmt.Errorf("%w: role %q is neither %s nor %s", pbx.ErrInvalid, role, pbx.RoleOutboundOnly, pbx.RoleAssigned)
}

// memberStale explains why a member change wrote nothing: its number or
// user is missing or another company's, or the member is not as the plan
// saw it.
func (a *applier) memberStale(ctx context.Context, ch *plan.Change, e pbx.E164, u pbx.UserID, role pbx.MemberRole) error {
	var numCo, userCo, have sql.NullString
	err := a.tx.QueryRowContext(ctx, `SELECT (SELECT company FROM numbers WHERE e164 = ?1), (SELECT company FROM users WHERE user_id = ?2),
		(SELECT role FROM number_members WHERE number = ?1 AND user_id = ?2)`, string(e), string(u)).Scan(&numCo, &userCo, &have)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", objName(ch), err)
	}
	return memberFailure(ch, a.company, e, u, role, numCo, userCo, have)
}

// memberFailure says in domain words why a member change found the live
// state other than the plan saw it.
func memberFailure(ch *plan.Change, company string, e pbx.E164, u pbx.UserID, role pbx.MemberRole, numCo, userCo, have sql.NullString) error {
	switch {
	case !numCo.Valid:
		return also(fail(ch, "%w: number %s is not in the inventory; numbers are added only by `pbxsync init --seed`", pbx.ErrNotFound, e), pbx.ErrStale)
	case numCo.String != company:
		return fail(ch, "%w: number %s belongs to company %s, not %s", pbx.ErrConflict, e, numCo.String, company)
	case ch.Action == plan.Delete && !have.Valid:
		return also(fail(ch, "%w: it is no longer there (the plan saw it %s); plan again", pbx.ErrNotFound, role), pbx.ErrStale)
	case ch.Action == plan.Delete:
		return fail(ch, "%w: it is %s now, the plan saw it %s; plan again", pbx.ErrStale, have.String, role)
	case !userCo.Valid:
		return fail(ch, "%w: user %s does not exist; create the user before giving them access to a number", pbx.ErrConflict, u)
	case userCo.String != company:
		return fail(ch, "%w: user %s belongs to company %s, not %s", pbx.ErrConflict, u, userCo.String, company)
	case have.Valid && pbx.MemberRole(have.String) == role:
		return fail(ch, "%w: it exists already (added since the plan was made); plan again", pbx.ErrStale)
	case have.Valid:
		return also(fail(ch, "%w: %s is already an %s member of number %s; plan again", pbx.ErrConflict, u, have.String, e), pbx.ErrStale)
	}
	return fail(ch, "%w: it was not written; plan again", pbx.ErrStale)
}
