package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A number member (table number_members) has no version: it is there with
// its role or not at all, and a plan only creates and deletes members. The
// optimistic check is on that: a create writes only a member that is not
// there yet, a delete only one still there with the role the plan read; both
// only on a number of the plan's company, a create only for a user of it.

const (
	memberInsert = `INSERT INTO number_members (number, user_id, role) SELECT $1::text, $2::text, $3::text
		WHERE (SELECT company FROM numbers WHERE e164 = $1::text) = $4::text
		AND (SELECT company FROM users WHERE user_id = $2::text) = $4::text
		ON CONFLICT DO NOTHING`
	memberDelete = `DELETE FROM number_members WHERE number = $1::text AND user_id = $2::text AND role = $3::text
		AND (SELECT company FROM numbers WHERE e164 = $1::text) = $4::text`

	// The set-based statements: one per run of creates or deletes, the
	// members given as arrays, each number and user found by its primary key.
	memberSetInsert = `WITH w AS (INSERT INTO number_members (number, user_id, role)
		SELECT t.number, t.user_id, t.role FROM unnest($2::text[], $3::text[], $4::text[]) AS t (number, user_id, role)
		WHERE (SELECT company FROM numbers WHERE e164 = t.number) = $1::text
		AND (SELECT company FROM users WHERE user_id = t.user_id) = $1::text
		ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM w`
	memberSetDelete = `WITH w AS (DELETE FROM number_members m
		USING unnest($2::text[], $3::text[], $4::text[]) AS t (number, user_id, role)
		WHERE m.number = t.number AND m.user_id = t.user_id AND m.role = t.role
		AND (SELECT company FROM numbers WHERE e164 = m.number) = $1::text
		RETURNING 1) SELECT count(*) FROM w`
)

// member writes the number member change i.
func (a *applier) member(ctx context.Context, i int, ch *plan.Change) error {
	e, u, role, err := plan.ReadMember(ch)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	var b sqlb
	switch ch.Action {
	case plan.Create:
		b.WriteString(memberInsert)
	case plan.Delete:
		b.WriteString(memberDelete)
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

// setMembers writes one group of member creates or deletes with one
// statement; apply.ErrSetwise when it wrote fewer than the group (the
// per-change path says which and why).
func (a *applier) setMembers(ctx context.Context, r *setRun, g []setRow) error {
	nums, users, roles := make([]string, len(g)), make([]string, len(g)), make([]string, len(g))
	for i, row := range g {
		nums[i], users[i], roles[i] = row.Keys[0].Val.(string), row.Keys[1].Val.(string), row.Sets[0].Val.(string)
	}
	q := memberSetInsert
	if r.Op == apply.OpDelete {
		q = memberSetDelete
	}
	var n int64
	if err := a.tx.QueryRow(ctx, q, a.company, nums, users, roles).Scan(&n); err != nil {
		return a.setErr(err)
	}
	if n != int64(len(g)) {
		return apply.ErrSetwise
	}
	return nil
}

// memberStale explains why a member change wrote nothing: its number or
// user is missing or another company's, or the member is not as the plan
// saw it.
func (a *applier) memberStale(ctx context.Context, ch *plan.Change, e pbx.E164, u pbx.UserID, role pbx.MemberRole) error {
	var numCo, userCo, have *string
	err := a.q.QueryRow(ctx, `SELECT (SELECT company FROM numbers WHERE e164 = $1::text), (SELECT company FROM users WHERE user_id = $2::text),
		(SELECT role FROM number_members WHERE number = $1::text AND user_id = $2::text)`, string(e), string(u)).Scan(&numCo, &userCo, &have)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("postgres: %s: %w", apply.ObjectName(ch), err)
	}
	return apply.MemberFailure(ch, a.company, e, u, role, numCo, userCo, have)
}
