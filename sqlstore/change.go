package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Applier writes the changes of one batch of a plan inside one
// transaction, one statement per change, which names the change at fault.
// An engine's set-based path (COPY, multi-row VALUES) writes most batches;
// this path is its fallback and writes the small ones.
type Applier struct {
	Q       Q // the batch's transaction
	D       Dialect
	Company string
	Plan    *plan.Plan
	After   func(change int)  // tests only: after each change (-3: each set-based statement)
	Scopes  map[string]string // site code -> extension scope, once the set-based path needs it
	// Aborted, when set, is called once a statement broke a rule of the
	// schema, and returns where to explain the failure: PostgreSQL aborts
	// the transaction (the engine rolls it back and gives the pool).
	Aborted func(ctx context.Context) (Q, error)
}

// Change writes change i (apply.WriteChanges calls it).
func (a *Applier) Change(ctx context.Context, i int) error {
	ch := &a.Plan.Changes[i]
	if ch.Kind == plan.KindMember {
		return a.member(ctx, i, ch) // no version, no company column: see member.go
	}
	if ch.Kind == plan.KindHuntMember {
		return a.huntMember(ctx, i, ch) // no version: see huntmember.go
	}
	t, ok := tables[ch.Kind]
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
	if ch.Action == plan.Delete && ch.Kind == plan.KindLine {
		return a.delete(ctx, i, t, ch) // its fields only record what is cleared
	}
	if t.NoVersion {
		return a.object(ctx, i, t, ch) // object.go: sites, models, hunt groups, auto attendants
	}
	if ch.Kind == plan.KindNumber && ch.Action == plan.Delete && a.inventory() {
		if err := a.delete(ctx, i, t, ch); err != nil {
			return err
		}
		if err := a.release(ctx, i, ch); err != nil {
			return err
		}
		return a.othersChanged(ctx, ch)
	}
	as, err := t.Assignments(ch, a.Company)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	if ch.Action == plan.Create && (ch.Kind != plan.KindNumber || a.inventory()) {
		if err := a.insert(ctx, i, t, ch, as); err != nil {
			return err
		}
		if err := a.claim(ctx, i, ch); err != nil || ch.Kind != plan.KindNumber {
			return err
		}
		return a.othersChanged(ctx, ch)
	}
	if apply.Updates(ch.Kind, ch.Action) {
		if err := a.update(ctx, i, t, ch, as); err != nil {
			return err
		}
		return a.claim(ctx, i, ch)
	}
	if ch.Kind == plan.KindNumber && (ch.Action == plan.Create || ch.Action == plan.Delete) {
		return apply.Fail(ch, "%w: numbers are added to and removed from the inventory only by a numbers file (pbxsync apply --kind numbers) or a seed, never by a user roster", pbx.ErrInvalid)
	}
	return apply.Fail(ch, "%w: pbxsync cannot %s a %s", pbx.ErrInvalid, ch.Action, t.Noun)
}

// sqlb builds a statement and its arguments.
type sqlb struct {
	strings.Builder
	args []any
}

// arg adds an argument and returns its placeholder.
func (b *sqlb) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

// scope is the condition that keeps a statement inside the plan's company.
func (a *Applier) scope(b *sqlb, t *table) string {
	return t.Name + ".company = " + b.arg(a.Company)
}

// extScope is the extension scope of a user of the company at site: the
// site code when the site has its own dial plan, else "". It is a value
// of the statement, not a subquery of it: Citus refuses a subquery inside
// INSERT ... VALUES.
func (a *Applier) extScope(ctx context.Context, site any) (string, error) {
	if a.Scopes == nil {
		if err := a.LoadScopes(ctx); err != nil {
			return "", err
		}
	}
	code, _ := site.(string)
	return a.Scopes[code], nil
}

func has(as []assign, col string) (any, bool) {
	for _, x := range as {
		if x.Col == col {
			return x.Val, true
		}
	}
	return nil, false
}

// insert creates the object of a create change at version 1. A line is
// created only on a device of the plan's company.
func (a *Applier) insert(ctx context.Context, i int, t *table, ch *plan.Change, as []assign) error {
	keys, err := columns.KeyCols(t, ch.Key)
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
		cols = append(cols, assign{Col: "company", Val: a.Company})
	}
	var b sqlb
	b.WriteString("INSERT INTO " + t.Name + " (")
	vals := make([]string, 0, len(cols)+2)
	for j, c := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.Col)
		vals = append(vals, b.arg(c.Val))
	}
	if t.Kind == plan.KindUser {
		site, _ := has(cols, "site")
		scope, err := a.extScope(ctx, site)
		if err != nil {
			return err
		}
		b.WriteString(", ext_scope")
		vals = append(vals, b.arg(scope))
	}
	b.WriteString(", version) VALUES (" + strings.Join(vals, ", ") + ", 1)")
	_, err = a.exec(ctx, i, ch, &b)
	return err
}

// update sets the fields of an update-like change and raises the version,
// if the object still has the version the plan saw.
func (a *Applier) update(ctx context.Context, i int, t *table, ch *plan.Change, as []assign) error {
	keys, err := columns.KeyCols(t, ch.Key)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	var b sqlb
	b.WriteString("UPDATE " + t.Name + " SET ")
	for _, c := range as {
		b.WriteString(c.Col + " = " + b.arg(c.Val) + ", ")
	}
	if site, ok := has(as, "site"); ok && t.Kind == plan.KindUser {
		scope, err := a.extScope(ctx, site)
		if err != nil {
			return err
		}
		b.WriteString("ext_scope = " + b.arg(scope) + ", ")
	}
	b.WriteString("version = version + 1 WHERE ")
	a.where(&b, t, keys, ch.Version)
	n, err := a.exec(ctx, i, ch, &b)
	if err != nil {
		return err
	}
	if n == 0 {
		return a.stale(ctx, t, ch, keys)
	}
	return nil
}

// delete removes the object of a delete change, if it still has the version
// the plan saw.
func (a *Applier) delete(ctx context.Context, i int, t *table, ch *plan.Change) error {
	keys, err := columns.KeyCols(t, ch.Key)
	if err != nil {
		return apply.Fail(ch, "%w", err)
	}
	var b sqlb
	b.WriteString("DELETE FROM " + t.Name + " WHERE ")
	a.where(&b, t, keys, ch.Version)
	n, err := a.exec(ctx, i, ch, &b)
	if err != nil {
		return err
	}
	if n == 0 {
		return a.stale(ctx, t, ch, keys)
	}
	return nil
}

// where writes the condition naming one object at one version in the company.
func (a *Applier) where(b *sqlb, t *table, keys []assign, version int64) {
	for _, k := range keys {
		b.WriteString(t.Name + "." + k.Col + " = " + b.arg(k.Val) + " AND ")
	}
	b.WriteString(t.Name + ".version = " + b.arg(version) + " AND " + a.scope(b, t))
}

// exec runs a change's statement and returns the rows it touched; a broken
// rule of the schema becomes an *apply.ChangeError in domain words.
func (a *Applier) exec(ctx context.Context, i int, ch *plan.Change, b *sqlb) (int64, error) {
	n, err := a.Q.Exec(ctx, b.String(), b.args...)
	if err != nil {
		return 0, a.failed(ctx, i, ch, err)
	}
	return n, nil
}

// failed turns the error of change i's statement into the change's
// failure: a lock waited on too long, a broken rule of the schema in
// domain words, else the engine's error naming the object.
func (a *Applier) failed(ctx context.Context, i int, ch *plan.Change, err error) error {
	{
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
}

// count runs a change's statement, one that returns a row per row it
// wrote (RETURNING), and counts them; errors as exec.
func (a *Applier) count(ctx context.Context, i int, ch *plan.Change, b *sqlb) (int64, error) {
	var n int64
	rows, err := a.Q.Query(ctx, b.String(), b.args...)
	if err == nil {
		for rows.Next() {
			n++
		}
		err = rows.Err()
		rows.Close()
	}
	if err != nil {
		return 0, a.failed(ctx, i, ch, err)
	}
	return n, nil
}
