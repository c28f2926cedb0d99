package plan

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// A row with numbers, a target and no user (pbx.Row.TargetRef) routes its
// numbers to a hunt group or an auto attendant: each number's target
// becomes the group, its routing the group's ("hg:sales", "aa:main"; a
// number from the pool remembers the routing it had, as for a user), its
// holiday routing untouched. A number taken from a user is a move, shown as
// one; from a user or group the roster does not name it is a conflict
// unless --take, as for a user's row.

// planRouted plans the numbers of a row that routes them to its target.
func (b *builder) planRouted(r *pbx.Row) {
	if r.TargetRef == "" {
		return
	}
	t, ok := b.st.TargetByRef(r.TargetRef)
	if !ok {
		return // validation reports it (target.unknown)
	}
	var loc string
	if r.Location != nil {
		loc = b.planLocation(r)
	}
	for _, e := range r.Numbers {
		live := b.st.Numbers[e]
		if live == nil || live.Company != b.st.Company.ID {
			continue // validation reports it
		}
		if o := b.numbers[e]; o != nil && o.n.Target != live.Target && o.n.Target != "" && o.n.Target != t {
			b.conflict(r, pbx.FNumber, CodeNumberTaken, string(e),
				fmt.Sprintf("number %s goes to %s on another row of this roster, and this row routes it to %s", e, describe(o.n.Target), describe(t)),
				"give the number on one row only")
			continue
		}
		if live.Target != t && live.Target != "" && !b.mayTake(r, e, live, "; this row routes it to "+describe(t)) {
			continue
		}
		o := b.number(e, live)
		n := &o.n
		if n.Target != t {
			why := "routed to " + describe(t)
			if live.Target != "" && live.Target != t {
				why = fmt.Sprintf("moved from %s to %s", describe(live.Target), describe(t))
			}
			o.add(why, r.Line)
			n.SMS = false // SMS needs a user assignee (rule 10)
		}
		n.Target = t
		if r.Has(pbx.FNumberLabel) {
			n.Label = r.NumberLabel
		}
		if loc != "" {
			n.Location = loc
		}
		o.add("", r.Line)
	}
}

// routedNumbers are the numbers the rows route to a group: a sync or a
// leaver does not return them to the pool on the way (the row moves them).
func routedNumbers(commons []*pbx.Row) map[pbx.E164]bool {
	var m map[pbx.E164]bool
	for _, r := range commons {
		if r.TargetRef == "" {
			continue
		}
		if m == nil {
			m = map[pbx.E164]bool{}
		}
		for _, e := range r.Numbers {
			m[e] = true
		}
	}
	return m
}
