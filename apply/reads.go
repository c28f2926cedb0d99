package apply

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Current is what a store finds now, inside a batch's transaction, of the
// objects the batch's changes read (plan.Read): what Wanted asks for.
type Current struct {
	Users   map[string]int64     // the company's users asked for, by ID: their version
	Numbers map[string]int64     // the company's numbers asked for, by E.164: their version
	Sites   map[string]*pbx.Site // every site of the company, by code (when asked)
	Hunts   map[string]*pbx.HuntGroup
	AAs     map[string]*pbx.AutoAttendant // every hunt group and auto attendant of the company, by ID (when asked)
}

// Wanted is what CheckReads asks a store to read.
type Wanted struct {
	Users, Numbers []string
	Sites          bool // every site of the company
	Groups         bool // every hunt group and auto attendant of the company
}

// ReadCurrent reads what want asks for in the batch's transaction, holding
// the rows it reads against other writers until the transaction ends
// (PostgreSQL: FOR SHARE; SQLite's write transaction holds the database).
type ReadCurrent func(ctx context.Context, want Wanted) (*Current, error)

// CheckReads checks, before a batch writes anything, that the objects its
// changes read without writing (plan.Read: a user a number is routed to, a
// site's dial plan, an extension found free...) are still as the plan read
// them. A store calls it first thing in each batch's transaction. When one
// moved it returns a *ChangeError for the first change that relies on it
// (and in its Others, every other change of the batch that relies on one),
// wrapping pbx.ErrStale and naming the object and what changed, so that
// the change's rows are left out like those of a change written against a
// stale version (with Options.Atomic, a saved plan: the whole plan is
// refused).
func CheckReads(ctx context.Context, p *plan.Plan, changes []int, read ReadCurrent) error {
	if len(p.Reads) == 0 {
		return nil
	}
	seen := map[int]bool{} // the reads of the batch's changes
	var order []int
	for _, ci := range changes {
		for _, ri := range p.Changes[ci].Reads {
			if ri < 0 || ri >= len(p.Reads) {
				return &ChangeError{Change: ci, Err: fmt.Errorf("%s: %w: the change names read %d, which the plan does not have; plan again",
					ObjectName(&p.Changes[ci]), pbx.ErrInvalid, ri)}
			}
			if !seen[ri] {
				seen[ri] = true
				order = append(order, ri)
			}
		}
	}
	if len(order) == 0 {
		return nil
	}
	var want Wanted
	for _, ri := range order {
		switch r := &p.Reads[ri]; r.Kind {
		case plan.KindUser:
			want.Users = append(want.Users, r.Key)
		case plan.KindNumber:
			want.Numbers = append(want.Numbers, r.Key)
		case plan.KindSite:
			want.Sites = true
		case plan.KindHuntGroup, plan.KindAutoAttendant, plan.KindExtension:
			want.Groups = true
		}
	}
	cur, err := read(ctx, want)
	if err != nil {
		return err
	}
	// In plan order: the first change whose read moved is the one named,
	// every other such change of the batch is in its Others.
	verdict := make(map[int]string, len(order)) // read -> how it moved ("": it holds)
	var refused *ChangeError
	for _, ci := range changes {
		ch := &p.Changes[ci]
		for _, ri := range ch.Reads {
			r := &p.Reads[ri]
			var moved string
			if r.Kind == plan.KindExtension {
				moved = cur.extensionTaken(ch) // a read of each change's own extension
			} else if v, seen := verdict[ri]; seen {
				moved = v
			} else {
				moved = cur.moved(p.Company, r)
				verdict[ri] = moved
			}
			if moved == "" {
				continue
			}
			ce := &ChangeError{Change: ci, Err: fmt.Errorf("%s: %w: it relies on %s (%s): %s; plan again",
				ObjectName(ch), pbx.ErrStale, readName(r, ch), r.Why, moved)}
			if refused == nil {
				refused = ce
			} else {
				refused.Others = append(refused.Others, ce)
			}
			break // one reason a change
		}
	}
	if refused == nil {
		return nil // not a nil *ChangeError in an error
	}
	return refused
}

// extensionTaken says which hunt group or auto attendant has the extension
// change ch gives its user now, or returns "".
func (c *Current) extensionTaken(ch *plan.Change) string {
	e, _ := ch.After(plan.AttrExtension)
	for id, h := range c.Hunts {
		if e != "" && string(h.Extension) == e {
			return "hunt group " + id + " has it now"
		}
	}
	for id, a := range c.AAs {
		if e != "" && string(a.Extension) == e {
			return "auto attendant " + id + " has it now"
		}
	}
	return ""
}

// moved says how r no longer holds in c, or returns "" when it holds.
func (c *Current) moved(company string, r *plan.Read) string {
	switch r.Kind {
	case plan.KindUser, plan.KindNumber:
		vs := c.Users
		if r.Kind == plan.KindNumber {
			vs = c.Numbers
		}
		v, ok := vs[r.Key]
		switch {
		case !ok:
			return fmt.Sprintf("it no longer exists in company %s (the plan read version %d)", company, r.Version)
		case v != r.Version:
			return fmt.Sprintf("it is at version %d now, the plan read version %d", v, r.Version)
		}
	case plan.KindSite:
		st := pbx.State{Company: pbx.Company{ID: company}, Sites: c.Sites}
		if now := plan.SiteState(st.Site(r.Key)); now != r.State {
			return fmt.Sprintf("it is %s now, the plan read %s", now, r.State)
		}
	case plan.KindHuntGroup, plan.KindAutoAttendant:
		var ext pbx.Extension
		var ok bool
		if h := c.Hunts[r.Key]; h != nil && r.Kind == plan.KindHuntGroup {
			ext, ok = h.Extension, true
		} else if a := c.AAs[r.Key]; a != nil && r.Kind == plan.KindAutoAttendant {
			ext, ok = a.Extension, true
		}
		if now := plan.GroupState(ext, ok); now != r.State {
			return fmt.Sprintf("it is %s now, the plan read %s", now, r.State)
		}
	default:
		return fmt.Sprintf("this pbxsync cannot check a read of kind %q", r.Kind)
	}
	return ""
}

// readName names the object of a read of change ch in domain words.
func readName(r *plan.Read, ch *plan.Change) string {
	switch r.Kind {
	case plan.KindUser:
		return "user " + r.Key
	case plan.KindNumber:
		return "number " + r.Key
	case plan.KindSite:
		if r.Key == "" {
			return "the default site"
		}
		return "site " + r.Key
	case plan.KindHuntGroup:
		return "hunt group " + r.Key
	case plan.KindAutoAttendant:
		return "auto attendant " + r.Key
	case plan.KindExtension:
		e, _ := ch.After(plan.AttrExtension)
		return "extension " + e
	}
	return string(r.Kind) + " " + r.Key
}
