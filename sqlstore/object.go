package sqlstore

import (
	"context"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// inventory reports whether the plan may add numbers to the inventory or
// remove them: a plan of a numbers file or of a seed, or a revert of one.
func (a *Applier) inventory() bool {
	return a.Plan.File != "" && a.Plan.File != plan.FileUsers
}

// object writes change i to a table without a version column (sites, the
// device catalogue, hunt groups, auto attendants).
func (a *Applier) object(ctx context.Context, i int, t *Table, ch *plan.Change) error {
	if !a.inventory() {
		return apply.Fail(ch, "%w: a user roster does not change %ss; use a %s file (pbxsync apply --kind)", pbx.ErrInvalid, t.Noun, t.Noun)
	}
	var as []Assign
	var err error
	if ch.Action != plan.Delete { // a delete's fields say what it saw, not what it sets
		if as, err = t.Assignments(ch, a.Company); err != nil {
			return apply.Fail(ch, "%w", err)
		}
	}
	switch ch.Action {
	case plan.Create:
		err = a.insert(ctx, i, t, ch, as)
	case plan.Update, plan.Delete:
		err = a.write(ctx, i, t, ch, as, ch.Action == plan.Delete)
	default:
		return apply.Fail(ch, "%w: pbxsync cannot %s a %s", pbx.ErrInvalid, ch.Action, t.Noun)
	}
	if err == nil && t.Kind == plan.KindModel {
		return a.othersChanged(ctx, ch)
	}
	return err
}

// othersChanged raises the generation of every other company: their
// rosters read the device catalogue and the inventory of numbers.
func (a *Applier) othersChanged(ctx context.Context, ch *plan.Change) error {
	if _, err := a.Q.Exec(ctx, `UPDATE companies SET generation = generation + 1 WHERE id <> $1`, a.Company); err != nil {
		return apply.Fail(ch, "%s: raising the other companies' generation: %w", a.D.Name(), err)
	}
	return nil
}
