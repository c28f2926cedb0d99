package apply

import (
	"context"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// renameGuard refuses a batch that holds a plan.Rename, naming that change,
// before the store sees it: no store can yet change a user's login in place
// (the key of the user and every row that refers to it: numbers' targets,
// device lines, number members, the audit's references). The row of the
// rename then fails whole, and the user keeps their login and everything
// they hold, rather than a new user being created and the old one
// deprovisioned.
type renameGuard struct {
	Writer
	p *plan.Plan
}

// guardRenames wraps w in a renameGuard when p has a rename.
func guardRenames(p *plan.Plan, w Writer) Writer {
	for i := range p.Changes {
		if p.Changes[i].Action == plan.Rename {
			return renameGuard{w, p}
		}
	}
	return w
}

func (g renameGuard) WriteBatch(ctx context.Context, b Batch) error {
	for _, ci := range b.Changes {
		ch := &g.p.Changes[ci]
		if ch.Action != plan.Rename {
			continue
		}
		to, _ := ch.After(plan.AttrUserID)
		err := Fail(ch, "%w: renaming it to %s (its HR id is on that login's row) is not supported by the store yet; "+
			"nothing of the row was written: change the login by hand, or leave the row's login as it was until pbxsync can rename", pbx.ErrRefused, to)
		err.(*ChangeError).Change = ci
		return err
	}
	return g.Writer.WriteBatch(ctx, b)
}
