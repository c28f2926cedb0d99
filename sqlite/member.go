package sqlite

import (
	"context"
	"database/sql"
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
func (a *applier) member(ctx context.Context, i int, ch *plan.Change) error {
	e, u, role, err := plan.ReadMember(ch)
	if err != nil {
		return apply.Fail(ch, "%w", err)
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
		return apply.Fail(ch, "%w: pbxsync cannot %s a number member: members are created and deleted", pbx.ErrInvalid, ch.Action)
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

// memberStale explains why a member change wrote nothing: its number or
// user is missing or another company's, or the member is not as the plan
// saw it.
func (a *applier) memberStale(ctx context.Context, ch *plan.Change, e pbx.E164, u pbx.UserID, role pbx.MemberRole) error {
	var numCo, userCo, have sql.NullString
	err := a.tx.QueryRowContext(ctx, `SELECT (SELECT company FROM numbers WHERE e164 = ?1), (SELECT company FROM users WHERE user_id = ?2),
		(SELECT role FROM number_members WHERE number = ?1 AND user_id = ?2)`, string(e), string(u)).Scan(&numCo, &userCo, &have)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", apply.ObjectName(ch), err)
	}
	return apply.MemberFailure(ch, a.company, e, u, role, nullStr(numCo), nullStr(userCo), nullStr(have))
}

// nullStr is s, or nil when it is NULL.
func nullStr(s sql.NullString) *string {
	if !s.Valid {
		return nil
	}
	return &s.String
}
