package sqlstore

import (
	"context"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// The objects of day-two files besides numbers (sites, the device
// catalogue, hunt groups, auto attendants) have no version column: a
// change to one is checked against the values it read instead. An update
// or a delete names, besides the object's key, every column's value as
// the plan saw it (FieldChange.Before), so one written meanwhile by
// someone else is not overwritten: it matches no row, and the change
// fails as stale.

// inventory reports whether the plan may add numbers to the inventory or
// remove them: a plan of a numbers file or of a seed, or a revert of one;
// a user roster's never.
func (a *Applier) inventory() bool {
	return a.Plan.File != "" && a.Plan.File != plan.FileUsers
}

// object writes change i to a table without a version column.
func (a *Applier) object(ctx context.Context, i int, t *table, ch *plan.Change) error {
	if !a.inventory() {
		return apply.Fail(ch, "%w: a user roster does not change %ss; use a %s file (pbxsync apply --kind)", pbx.ErrInvalid, t.Noun, t.Noun)
	}
	keys, err := columns.KeyCols(t, ch.Key)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	var as []assign
	if ch.Action != plan.Delete { // a delete's fields say what it saw, not what it sets
		if as, err = t.Assignments(ch, a.Company); err != nil {
			return apply.Fail(ch, "%w", err)
		}
	}
	var b sqlb
	switch ch.Action {
	case plan.Create:
		cols := append(keys, as...)
		if t.Company {
			cols = append(cols, assign{Col: "company", Val: a.Company})
		}
		b.WriteString("INSERT INTO " + t.Name + " (")
		vals := ""
		for j, c := range cols {
			if j > 0 {
				b.WriteString(", ")
				vals += ", "
			}
			b.WriteString(c.Col)
			vals += b.arg(c.Val)
		}
		b.WriteString(") VALUES (" + vals + ")")
	case plan.Update, plan.Delete:
		if ch.Action == plan.Update {
			b.WriteString("UPDATE " + t.Name + " SET ")
			for j, c := range as {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(c.Col + " = " + b.arg(c.Val))
			}
		} else {
			b.WriteString("DELETE FROM " + t.Name)
		}
		b.WriteString(" WHERE ")
		for _, k := range keys {
			b.WriteString(k.Col + " = " + b.arg(k.Val) + " AND ")
		}
		for _, f := range ch.Fields.All() {
			var was []assign
			if was, err = t.Cols[f.Field].AppendValues(nil, f.Before); err != nil {
				return apply.Fail(ch, "%w: field %q: %v", pbx.ErrInvalid, f.Field, err)
			}
			b.WriteString(was[0].Col + " = " + b.arg(was[0].Val) + " AND ")
		}
		if t.Company {
			b.WriteString("company = " + b.arg(a.Company))
		} else {
			b.WriteString("1 = 1")
		}
	default:
		return apply.Fail(ch, "%w: pbxsync cannot %s a %s", pbx.ErrInvalid, ch.Action, t.Noun)
	}
	n, err := a.exec(ctx, i, ch, &b)
	if err != nil {
		return err
	}
	if n == 0 {
		return apply.Fail(ch, "%w: it is not as the plan saw it (changed or removed since); plan again", pbx.ErrStale)
	}
	if t.Kind == plan.KindModel {
		return a.othersChanged(ctx, ch)
	}
	return nil
}

// othersChanged raises the generation of every other company: the device
// catalogue and the inventory of numbers are the store's, which other
// companies' rosters read (a model, a number named as another company's).
func (a *Applier) othersChanged(ctx context.Context, ch *plan.Change) error {
	if _, err := a.Q.Exec(ctx, `UPDATE companies SET generation = generation + 1 WHERE id <> $1`, a.Company); err != nil {
		return apply.Fail(ch, "%s: raising the other companies' generation: %w", a.D.Name(), err)
	}
	return nil
}
