package sqlstore

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A number member (table number_members) has no version: it is there with
// its role or not at all, and a plan only creates and deletes members. The
// optimistic check is on that: a create writes only a member that is not
// there yet, a delete only one still there with the role the plan read; both
// only on a number of the plan's company, a create only for a user of it.

// member writes the number member change i.
func (a *Applier) member(ctx context.Context, i int, ch *plan.Change) error {
	e, u, role, err := plan.ReadMember(ch)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	var b sqlb
	switch ch.Action {
	case plan.Create:
		b.WriteString(`INSERT INTO number_members (number, user_id, role) SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT)
			WHERE (SELECT company FROM numbers WHERE e164 = CAST($1 AS TEXT)) = CAST($4 AS TEXT) AND (SELECT company FROM users WHERE user_id = CAST($2 AS TEXT)) = CAST($4 AS TEXT)
			ON CONFLICT DO NOTHING`)
	case plan.Delete:
		b.WriteString(`DELETE FROM number_members WHERE number = CAST($1 AS TEXT) AND user_id = CAST($2 AS TEXT) AND role = CAST($3 AS TEXT)
			AND (SELECT company FROM numbers WHERE e164 = CAST($1 AS TEXT)) = CAST($4 AS TEXT)`)
	default:
		return apply.Fail(ch, "%w: pbxsync cannot %s a number member: members are created and deleted", pbx.ErrInvalid, ch.Action)
	}
	b.args = []any{string(e), string(u), string(role), a.Company}
	n, err := a.exec(ctx, i, ch, &b)
	if err != nil {
		return err
	}
	if n == 0 {
		return a.memberStale(ctx, ch, e, u, role)
	}
	return nil
}

// memberStale explains why a member change wrote nothing: its number or
// user is missing or another company's, or the member is not as the plan
// saw it.
func (a *Applier) memberStale(ctx context.Context, ch *plan.Change, e pbx.E164, u pbx.UserID, role pbx.MemberRole) error {
	var numCo, userCo, have *string
	err := a.Q.QueryRow(ctx, `SELECT (SELECT company FROM numbers WHERE e164 = CAST($1 AS TEXT)), (SELECT company FROM users WHERE user_id = CAST($2 AS TEXT)),
		(SELECT role FROM number_members WHERE number = CAST($1 AS TEXT) AND user_id = CAST($2 AS TEXT))`, string(e), string(u)).Scan(&numCo, &userCo, &have)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
	}
	return apply.MemberFailure(ch, a.Company, e, u, role, numCo, userCo, have)
}
