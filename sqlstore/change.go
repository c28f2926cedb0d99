package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Applier writes the changes of one batch in its transaction: set-wise
// (setwise.go), or change by change, one statement per change, which names
// the change at fault: the fallback, and the path of small batches.
type Applier struct {
	Q       Q // the batch's transaction
	D       Dialect
	Claims  bool // the claims are tables to write (Engine.ClaimTables)
	Company string
	Plan    *plan.Plan
	After   func(change int)  // tests only: after each change (-3: each set-based statement)
	Scopes  map[string]string // site code -> extension scope, once needed
	// Aborted, when set, is called once a statement broke a rule of the
	// schema, and returns where to explain the failure: PostgreSQL aborts
	// the transaction.
	Aborted func(ctx context.Context) (Q, error)
}

// Change writes change i.
func (a *Applier) Change(ctx context.Context, i int) error {
	ch := &a.Plan.Changes[i]
	if ch.Kind == plan.KindMember || ch.Kind == plan.KindHuntMember {
		return a.member(ctx, i, ch) // no version: see member.go
	}
	t, ok := Tables[ch.Kind]
	if !ok {
		return apply.Fail(ch, "%w: pbxsync knows no kind of object %q; plan again with this version", pbx.ErrInvalid, ch.Kind)
	}
	if ch.Key == "" {
		return apply.Fail(ch, "%w: the change names no object", pbx.ErrInvalid)
	}
	if ch.Action == plan.Rename {
		return a.rename(ctx, i, ch) // rename.go: the key and every row that names it
	}
	if ch.Action == plan.Delete && ch.Kind == plan.KindUser && a.Plan.Mode == plan.Erasing {
		return a.erase(ctx, i, ch) // erase.go: only a plan of pbxsync erase deletes a user
	}
	if t.NoVersion && !a.inventory() {
		return apply.Fail(ch, "%w: a user roster does not change %ss; use a %s file (pbxsync apply --kind)", pbx.ErrInvalid, t.Noun, t.Noun)
	}
	// A delete written: a line's (its fields only record what is cleared), a
	// number's from the inventory, a day-two object's.
	del := ch.Action == plan.Delete && (t.NoVersion || ch.Kind == plan.KindLine || ch.Kind == plan.KindNumber && a.inventory())
	var as []Assign
	var err error
	if !del {
		if as, err = t.Assignments(ch, a.Company); err != nil {
			return apply.Fail(ch, "%w", err)
		}
	}
	switch {
	case del:
		if err = a.write(ctx, i, t, ch, nil, true); err == nil && ch.Kind == plan.KindNumber {
			err = a.release(ctx, i, ch)
		}
	case ch.Action == plan.Create && (ch.Kind != plan.KindNumber || a.inventory()):
		err = a.insert(ctx, i, t, ch, as)
	case apply.Updates(ch.Kind, ch.Action) || t.NoVersion && ch.Action == plan.Update:
		err = a.write(ctx, i, t, ch, as, false)
	case ch.Kind == plan.KindNumber && (ch.Action == plan.Create || ch.Action == plan.Delete):
		return apply.Fail(ch, "%w: numbers are added to and removed from the inventory only by a numbers file (pbxsync apply --kind numbers) or a seed, never by a user roster", pbx.ErrInvalid)
	default:
		return apply.Fail(ch, "%w: pbxsync cannot %s a %s", pbx.ErrInvalid, ch.Action, t.Noun)
	}
	if err == nil && !del {
		err = a.claim(ctx, i, ch)
	}
	if err == nil && (ch.Kind == plan.KindModel || ch.Kind == plan.KindNumber && (del || ch.Action == plan.Create)) {
		err = a.othersChanged(ctx, ch)
	}
	return err
}

// extScope is the extension scope of a user of the company at site (scopes).
func (a *Applier) extScope(ctx context.Context, site any) (string, error) {
	if a.Scopes == nil {
		if err := a.LoadScopes(ctx); err != nil {
			return "", err
		}
	}
	code, _ := site.(string)
	return a.Scopes[code], nil
}

func has(as []Assign, col string) (any, bool) {
	for _, x := range as {
		if x.Col == col {
			return x.Val, true
		}
	}
	return nil, false
}

// scoped adds to a user's columns its extension scope, where they set its
// site (a new user's always).
func (a *Applier) scoped(ctx context.Context, t *Table, cols []Assign, insert bool) ([]Assign, error) {
	site, ok := has(cols, "site")
	if t.Kind != plan.KindUser || !ok && !insert {
		return cols, nil
	}
	scope, err := a.extScope(ctx, site)
	return append(cols, Assign{Col: "ext_scope", Val: scope}), err
}

// insert creates the object of a create change (at version 1 where
// versioned); a line only on a device of the plan's company.
func (a *Applier) insert(ctx context.Context, i int, t *Table, ch *plan.Change, as []Assign) error {
	keys, err := KeyCols(t, ch.Key)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	if t.Kind == plan.KindLine {
		if err := a.lineDevice(ctx, ch, keys[0].Val.(string)); err != nil {
			return err
		}
	}
	cols := append(keys, as...)
	if _, ok := has(cols, "company"); t.Company && !ok {
		cols = append(cols, Assign{Col: "company", Val: a.Company})
	}
	if cols, err = a.scoped(ctx, t, cols, true); err != nil {
		return err
	}
	if !t.NoVersion {
		cols = append(cols, Assign{Col: "version", Val: int64(1)})
	}
	var b SQL
	names, vals := make([]string, len(cols)), make([]string, len(cols))
	for j, c := range cols {
		names[j], vals[j] = c.Col, b.Arg(c.Val)
	}
	fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES (%s)", t.Name, strings.Join(names, ", "), strings.Join(vals, ", "))
	_, err = a.exec(ctx, i, ch, b.String(), b.Args...)
	return err
}

// write sets as on the object of change ch, or deletes it (del), if it is
// as the plan saw it: at the version the plan saw (raising it), or, in a
// table without versions, with every value the change names as it was.
func (a *Applier) write(ctx context.Context, i int, t *Table, ch *plan.Change, as []Assign, del bool) error {
	keys, err := KeyCols(t, ch.Key)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	var b SQL
	if del {
		b.WriteString("DELETE FROM " + t.Name)
	} else {
		if as, err = a.scoped(ctx, t, as, false); err != nil {
			return err
		}
		var sets []string
		for _, c := range as {
			sets = append(sets, c.Col+" = "+b.Arg(c.Val))
		}
		if !t.NoVersion {
			sets = append(sets, "version = version + 1")
		}
		b.WriteString("UPDATE " + t.Name + " SET " + strings.Join(sets, ", "))
	}
	var conds []string
	for _, k := range keys {
		conds = append(conds, t.Name+"."+k.Col+" = "+b.Arg(k.Val))
	}
	if !t.NoVersion {
		conds = append(conds, t.Name+".version = "+b.Arg(ch.Version))
	} else {
		for _, f := range ch.Fields.All() {
			was, err := t.Cols[f.Field].AppendValues(nil, f.Before)
			if err != nil {
				return apply.Fail(ch, "%w: field %q: %v", pbx.ErrInvalid, f.Field, err)
			}
			for _, w := range was {
				conds = append(conds, t.Name+"."+w.Col+" = "+b.Arg(w.Val))
			}
		}
	}
	if t.Company {
		conds = append(conds, t.Name+".company = "+b.Arg(a.Company))
	}
	b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	n, err := a.exec(ctx, i, ch, b.String(), b.Args...)
	switch {
	case err != nil || n > 0:
		return err
	case t.NoVersion:
		return apply.Fail(ch, "%w: it is not as the plan saw it (changed or removed since); plan again", pbx.ErrStale)
	}
	return a.stale(ctx, t, ch, keys)
}

// exec runs a change's statement and returns the rows it wrote (those it
// returns when it has a RETURNING clause: see Counted); an error becomes
// the change's failure.
func (a *Applier) exec(ctx context.Context, i int, ch *plan.Change, query string, args ...any) (n int64, err error) {
	if strings.Contains(query, "RETURNING") {
		n, err = Counted(ctx, a.Q, query, args...)
	} else {
		n, err = a.Q.Exec(ctx, query, args...)
	}
	if err != nil {
		return 0, a.failed(ctx, i, ch, err)
	}
	return n, nil
}

// failed turns the error of change i's statement into the change's
// failure, a broken rule of the schema in domain words.
func (a *Applier) failed(ctx context.Context, i int, ch *plan.Change, err error) error {
	if a.D.LockTimeout(err) {
		return fmt.Errorf("%w: %s: a row it needs stayed locked by another session longer than the lock timeout: %v",
			pbx.ErrLocked, apply.ObjectName(ch), err)
	}
	if c := a.D.ConstraintOf(err); c.Kind != 0 {
		if a.Aborted != nil {
			q, err := a.Aborted(ctx)
			if err != nil {
				return fmt.Errorf("%s: rolling back: %w", a.D.Name(), err)
			}
			a.Q = q
		}
		return a.describe(ctx, i, c)
	}
	return fmt.Errorf("%s: %s: %w", a.D.Name(), apply.ObjectName(ch), err)
}

// inventory reports whether the plan may change the inventory of numbers
// and the objects of day-two files (sites, the device catalogue, hunt
// groups, auto attendants): a plan of a numbers file or of a seed, or a
// revert of one; a user roster's never.
func (a *Applier) inventory() bool {
	return a.Plan.File != "" && a.Plan.File != plan.FileUsers
}

// othersChanged raises the generation of every other company: their
// rosters read the device catalogue and the inventory of numbers.
func (a *Applier) othersChanged(ctx context.Context, ch *plan.Change) error {
	if _, err := a.Q.Exec(ctx, `UPDATE companies SET generation = generation + 1 WHERE id <> $1`, a.Company); err != nil {
		return apply.Fail(ch, "%s: raising the other companies' generation: %w", a.D.Name(), err)
	}
	return nil
}
