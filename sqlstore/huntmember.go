package sqlstore

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// huntMember writes the hunt group member change i, as member.go a number
// member, at its position: a delete only one still at the position the
// plan read. It is written change by change (apply.OpOf).
func (a *Applier) huntMember(ctx context.Context, i int, ch *plan.Change) error {
	g, u, pos, err := plan.ReadHuntMember(ch)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	return a.addOrRemove(ctx, i, ch, "hunt group member: members are added and removed", `INSERT INTO hunt_group_members (company, group_id, user_id, position) VALUES ($1, $2, $3, $4)
			ON CONFLICT (company, group_id, user_id) DO NOTHING RETURNING 1`,
		`DELETE FROM hunt_group_members WHERE company = CAST($1 AS TEXT) AND group_id = CAST($2 AS TEXT)
			AND user_id = CAST($3 AS TEXT) AND position = CAST($4 AS INTEGER)`,
		[]any{a.Company, g, string(u), pos}, func() error { return a.huntMemberStale(ctx, ch, g, u, pos) })
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
