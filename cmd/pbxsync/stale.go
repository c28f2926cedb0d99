package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// staleRows lists, one line each, the roster rows of p whose objects
// changed in live since p was read: an object updated (its version is not
// the one p read), gone, or created by someone else. A saved plan is
// refused naming every one of them, not the first the writes meet.
func staleRows(live *pbx.State, p *plan.Plan) []string {
	byRow := map[int][]string{}
	var rows []int
	for i := range p.Changes {
		c := &p.Changes[i]
		v, ok := currentVersion(live, c.Kind, c.Key)
		var why string
		switch {
		case c.Version == 0 && c.Action == plan.Create && ok:
			why = fmt.Sprintf("%s %s exists now (the plan creates it)", c.Kind, c.Key)
		case c.Version > 0 && !ok:
			why = fmt.Sprintf("%s %s no longer exists", c.Kind, c.Key)
		case c.Version > 0 && c.Kind != plan.KindMember && c.Kind != plan.KindHuntMember && v != c.Version:
			why = fmt.Sprintf("%s %s is at version %d, the plan read version %d", c.Kind, c.Key, v, c.Version)
		default:
			continue
		}
		at := c.Rows
		if len(at) == 0 {
			at = []int{0}
		}
		for _, r := range at {
			if _, seen := byRow[r]; !seen {
				rows = append(rows, r)
			}
			byRow[r] = append(byRow[r], why)
		}
	}
	sort.Ints(rows)
	out := make([]string, len(rows))
	for i, r := range rows {
		where := fmt.Sprintf("row %d", r)
		if r == 0 {
			where = "no row"
		}
		out[i] = where + ": " + strings.Join(byRow[r], "; ")
	}
	return out
}

// currentVersion is the version the object of kind and key has in live,
// and whether it is there.
func currentVersion(live *pbx.State, k plan.Kind, key string) (int64, bool) {
	switch k {
	case plan.KindUser:
		if x := live.Users[pbx.UserID(key)]; x != nil {
			return x.Version, true
		}
	case plan.KindNumber:
		if x := live.Numbers[pbx.E164(key)]; x != nil {
			return x.Version, true
		}
	case plan.KindDevice:
		if x := live.Devices[pbx.MAC(key)]; x != nil {
			return x.Version, true
		}
	case plan.KindLine:
		if x := live.Lines[key]; x != nil {
			return x.Version, true
		}
	case plan.KindLocation:
		if x := live.Locations[key]; x != nil {
			return x.Version, true
		}
	case plan.KindMember:
		for _, m := range live.Members {
			if plan.MemberKey(m.Number, m.User) == key {
				return plan.MemberVersion, true
			}
		}
	case plan.KindHuntMember:
		if g, u, err := plan.SplitHuntMemberKey(key); err == nil && live.Hunts[g] != nil {
			if _, ok := live.Hunts[g].Member(u); ok {
				return plan.MemberVersion, true
			}
		}
	}
	return 0, false
}
