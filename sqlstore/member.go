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
// member not there yet, a delete only one still there with the role the
// plan read; the foreign keys, which carry the company, keep it inside the
// company. Neither breaks a rule of the schema (which would abort
// PostgreSQL's transaction): a change that writes nothing is explained by
// memberStale (huntMemberStale).

// member writes the number member change i.
func (a *Applier) member(ctx context.Context, i int, ch *plan.Change) error {
	e, u, role, err := plan.ReadMember(ch)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	return a.addOrRemove(ctx, i, ch, "number member: members are created and deleted", `INSERT INTO number_members (company, number, user_id, role) VALUES ($1, $2, $3, $4)
			ON CONFLICT (company, number, user_id) DO NOTHING RETURNING 1`,
		`DELETE FROM number_members WHERE company = $1 AND number = $2 AND user_id = $3 AND role = $4`,
		[]any{a.Company, string(e), string(u), string(role)}, func() error { return a.memberStale(ctx, ch, e, u, role) })
}

// addOrRemove writes a member change with the statement of its action;
// stale explains a change that wrote nothing.
func (a *Applier) addOrRemove(ctx context.Context, i int, ch *plan.Change, what, create, remove string, args []any, stale func() error) error {
	query := map[plan.Action]string{plan.Create: create, plan.Delete: remove}[ch.Action]
	if query == "" {
		return apply.Fail(ch, "%w: pbxsync cannot %s a %s", pbx.ErrInvalid, ch.Action, what)
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
