package plan

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// A common-area phone (a lobby, a fax, a meeting room) is a roster row with
// a phone and a number and no user (pbx.Row.CommonArea): its device and a
// line that rings the number, bound to no user. The number stays in the
// company pool (its target none): the line is what rings it.

// splitCommonArea returns the rows of users and the rows of common-area
// phones, each in roster order.
func splitCommonArea(rows []*pbx.Row) (users, commons []*pbx.Row) {
	for _, r := range rows {
		if r.CommonArea {
			commons = append(commons, r)
		}
	}
	if len(commons) == 0 {
		return rows, nil
	}
	users = make([]*pbx.Row, 0, len(rows)-len(commons))
	for _, r := range rows {
		if !r.CommonArea {
			users = append(users, r)
		}
	}
	return users, commons
}

// planCommonArea plans the device and line of a common-area phone, and the
// label and E911 location the row gives its number. A number assigned to a
// user, a hunt group or an auto attendant is a conflict: the phone rings a
// number of the pool.
func (b *builder) planCommonArea(r *pbx.Row) {
	if r.Device == nil || len(r.Numbers) == 0 || r.TargetRef != "" {
		return
	}
	e := r.Numbers[0]
	live := b.st.Numbers[e]
	if live == nil || live.Company != b.st.Company.ID {
		return // validation reports it
	}
	if live.Target != "" {
		b.conflict(r, pbx.FNumber, CodeNumberTaken, string(e),
			fmt.Sprintf("number %s is assigned to %s, and a common-area phone rings a number of the company pool", e, describe(live.Target)),
			"give the phone a free number of the pool, or un-assign this one first")
		return
	}
	if o := b.numbers[e]; o != nil && o.n.Target != "" {
		b.conflict(r, pbx.FNumber, CodeNumberTaken, string(e),
			fmt.Sprintf("number %s goes to %s on this roster, and a common-area phone rings a number of the company pool", e, describe(o.n.Target)),
			"give the phone another number")
		return
	}
	if r.Has(pbx.FNumberLabel) || r.Location != nil {
		o := b.number(e, live)
		if r.Has(pbx.FNumberLabel) {
			o.n.Label = r.NumberLabel
		}
		if r.Location != nil {
			o.n.Location = b.planLocation(r)
		}
		o.add("rings the common-area phone "+r.Device.MAC.String(), r.Line)
	}
	b.planDevice(r)
}
