package plan

import (
	"fmt"
	"slices"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// CodeRevertIrreversible: the run removed a number from the inventory; a
// deleted number cannot be restored.
const CodeRevertIrreversible = "revert.irreversible"

// revertObjects plans the inverse of a run of an object file (or of a
// seed): an object it created is removed (a number only while it is still
// in the pool, unchanged), one it changed is set back, one it removed is
// created again, except a number: deleting a number cannot be undone, and
// the plan says so. A number it routed to a group or attendant goes back
// to where it was. An object changed since the run is a conflict on its
// row, and the row is not reverted. "Changed" is judged by value (the
// values the run left are still there), not by version, so the runs of a
// day can be reverted newest first.
func revertObjects(st *pbx.State, rec *RunRecord) (*Plan, error) {
	p := &Plan{Format: FormatVersion, Company: rec.Company, Mode: Reverting, Roster: rec.Plan.Roster, RosterHash: rec.RosterHash,
		File: rec.Plan.File, CreatedAt: time.Now().UTC()}
	p.Notes = append(p.Notes, fmt.Sprintf("reverts run %d: %s applied by %s on %s at %s",
		rec.ID, orNone(rec.Roster), orNone(rec.Who), orNone(rec.Host), rec.StartedAt.Format(time.RFC3339)))
	// st as the revert leaves it, as far as it matters to the objects:
	// numbers routed back, so a group they routed to is free to go.
	own := *st
	own.Numbers = make(map[pbx.E164]*pbx.Number, len(st.Numbers))
	for e, n := range st.Numbers {
		own.Numbers[e] = n
	}
	own.Hunts = make(map[string]*pbx.HuntGroup, len(st.Hunts))
	for id, g := range st.Hunts {
		own.Hunts[id] = g
	}
	st = &own
	lives := map[Kind]map[string]LiveObject{}
	rows := map[int]*RowPlan{}
	var order []int
	rowOf := func(c *Change, i int) *RowPlan {
		line := -i - 1 // a seed's change is a row of its own
		if len(c.Rows) > 0 {
			line = c.Rows[0]
		}
		r := rows[line]
		if r == nil {
			r = &RowPlan{Line: max(line, 0), Key: string(c.Kind) + " " + c.Key, Status: StatusUnchanged}
			rows[line] = r
			order = append(order, line)
		}
		return r
	}
	changed := func(r *RowPlan, c *Change, why string) {
		r.Status = StatusConflict
		r.Problems = append(r.Problems, &pbx.Problem{Cell: pbx.Cell{Row: r.Line, Col: -1}, Severity: pbx.SevError, Code: CodeRevertChanged,
			Value: c.Key, Message: fmt.Sprintf("%s %s has changed since run %d (%s): the row is not reverted", objectNoun(c.Kind), c.Key, rec.ID, why),
			Hint: "look at it with pbxsync export, and set it by hand or with a file", Err: pbx.ErrStale})
	}
	var out []Change
	var outRow []*RowPlan
	for i := len(rec.Plan.Changes) - 1; i >= 0; i-- {
		c := &rec.Plan.Changes[i]
		if c.Kind == "" || i >= len(rec.Outcomes) || rec.Outcomes[i].Outcome != ChangeApplied {
			continue
		}
		r := rowOf(c, i)
		if lives[c.Kind] == nil {
			lives[c.Kind] = Live(st, c.Kind)
		}
		lo, exists := lives[c.Kind][c.Key]
		noun := objectNoun(c.Kind) + " " + c.Key
		var inv Change
		switch {
		case c.Kind == KindNumber && (c.Action == Assign || c.Action == Move):
			n := st.Numbers[pbx.E164(c.Key)]
			if t, _ := c.After(AttrTarget); n == nil || string(n.Target) != t {
				changed(r, c, "it is not routed where the run left it")
				continue
			}
			fcs := make([]FieldChange, c.Fields.Len())
			for j, f := range c.Fields.All() {
				fcs[j] = FieldChange{Field: f.Field, Before: f.After, After: f.Before}
			}
			a, _ := c.Before(AttrTarget)
			act := Move
			if a == "" {
				act = Unassign
			}
			inv = Change{Action: act, Kind: KindNumber, Key: c.Key, Version: n.Version, Fields: MakeFields(fcs...),
				Reason: fmt.Sprintf("run %d routed it here: it goes back to %s", rec.ID, orPool(a))}
			back := *n
			back.Target = pbx.Target(a)
			st.Numbers[back.E164] = &back
		case c.Action == Create:
			if !exists {
				continue // gone already
			}
			if !sameAfter(c, lo) {
				changed(r, c, "its values are not the ones the run left")
				continue
			}
			if why := inUse(st, c.Kind, c.Key); why != "" {
				changed(r, c, why)
				continue
			}
			fcs := make([]FieldChange, 0, len(ObjectAttrs[c.Kind]))
			for _, a := range ObjectAttrs[c.Kind] {
				fcs = append(fcs, FieldChange{Field: a, Before: lo.Fields[a]})
			}
			inv = Change{Action: Delete, Kind: c.Kind, Key: c.Key, Version: lo.Version, Fields: MakeFields(fcs...),
				Reason: fmt.Sprintf("run %d created the %s: removed", rec.ID, noun)}
		case c.Action == Update:
			if !exists || !sameAfter(c, lo) {
				changed(r, c, "its values are not the ones the run left")
				continue
			}
			fcs := make([]FieldChange, c.Fields.Len())
			for j, f := range c.Fields.All() {
				fcs[j] = FieldChange{Field: f.Field, Before: f.After, After: f.Before}
			}
			inv = Change{Action: Update, Kind: c.Kind, Key: c.Key, Version: lo.Version, Fields: MakeFields(fcs...),
				Reason: fmt.Sprintf("run %d changed the %s: set back", rec.ID, noun)}
		case c.Action == Delete && c.Kind == KindNumber:
			r.Problems = append(r.Problems, &pbx.Problem{Cell: pbx.Cell{Row: r.Line, Col: -1}, Severity: pbx.SevWarning,
				Code: CodeRevertIrreversible, Value: c.Key,
				Message: fmt.Sprintf("run %d removed number %s from the inventory: a deleted number cannot be restored by revert", rec.ID, c.Key),
				Hint:    "buy it again from the carrier, then add it with a numbers file", Err: pbx.ErrRefused})
			p.Notes = append(p.Notes, fmt.Sprintf("%s: number %s was removed from the inventory by run %d and cannot be restored", CodeRevertIrreversible, c.Key, rec.ID))
			continue
		case c.Action == Delete:
			if exists {
				changed(r, c, "it exists again")
				continue
			}
			fcs := make([]FieldChange, 0, c.Fields.Len())
			for _, f := range c.Fields.All() {
				if f.Before != "" {
					fcs = append(fcs, FieldChange{Field: f.Field, After: f.Before})
				}
			}
			inv = Change{Action: Create, Kind: c.Kind, Key: c.Key, Fields: MakeFields(fcs...), Reason: fmt.Sprintf("run %d removed the %s: created again", rec.ID, noun)}
		default:
			continue
		}
		if inv.Action == Delete && inv.Kind == KindNumber {
			delete(st.Numbers, pbx.E164(inv.Key)) // its site is free to go too
		}
		switch inv.Action { // the objects as the revert leaves them, for the changes before
		case Delete:
			delete(lives[c.Kind], c.Key)
		case Create:
			lives[c.Kind][c.Key] = LiveObject{Fields: after(inv.Fields)}
		}
		if inv.Action == Delete && inv.Kind == KindHuntMember {
			leaveGroup(st, c.Key)
		}
		inv.Rows = c.Rows
		out = append(out, inv)
		outRow = append(outRow, r)
	}
	for i, c := range out {
		r := outRow[i]
		if r.Status == StatusConflict {
			continue
		}
		p.Changes = append(p.Changes, c)
		r.Changes = append(r.Changes, len(p.Changes)-1)
		r.Status = StatusUpdated
	}
	if len(p.Changes) == 0 && len(rows) == 0 {
		return nil, fmt.Errorf("%w: run %d wrote nothing (%s): there is nothing to revert", pbx.ErrRefused, rec.ID, rec.Outcome)
	}
	for i := len(order) - 1; i >= 0; i-- {
		p.Rows = append(p.Rows, *rows[order[i]])
	}
	p.Summary = summarise(p)
	return p, nil
}

// sameAfter reports whether a version-less object still has the values a
// change left.
func sameAfter(c *Change, lo LiveObject) bool {
	for _, f := range c.Fields.All() {
		if _, known := lo.Fields[f.Field]; known && lo.Fields[f.Field] != f.After {
			return false
		}
	}
	return true
}

func orPool(t string) string {
	if t == "" {
		return "the pool"
	}
	return t
}

// Before returns the value a change found for field f, and whether it
// records it.
func (c *Change) Before(f string) (string, bool) {
	for _, fc := range c.Fields.All() {
		if fc.Field == f {
			return fc.Before, true
		}
	}
	return "", false
}

// after is the values a change leaves, by field.
func after(fcs Fields) map[string]string {
	m := make(map[string]string, fcs.Len())
	for _, f := range fcs.All() {
		m[f.Field] = f.After
	}
	return m
}

// leaveGroup takes the member of key out of its group in st (a copy of the
// group: st's groups are the caller's own map over the live state's).
func leaveGroup(st *pbx.State, key string) {
	g, u, err := SplitHuntMemberKey(key)
	if err != nil || st.Hunts[g] == nil {
		return
	}
	cp := *st.Hunts[g]
	cp.Members = slices.DeleteFunc(slices.Clone(cp.Members), func(m pbx.HuntMember) bool { return m.User == u })
	st.Hunts[g] = &cp
}
