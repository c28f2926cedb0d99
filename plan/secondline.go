package plan

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// A second line (pbx.Row.SecondLine) is a shared appearance of another
// number on the user's phone: the user becomes an assigned member of the
// number (DOMAIN: sees its calls, voicemail and missed calls), and the
// phone's port has the line appearance for it (validate gives it two).
// In a sync, the row's second-line cell is the user's assigned memberships
// of numbers that are not their own: the others end (an empty cell ends
// them all); onboard only adds. A leaver's memberships end (deprovision).

// CodeSecondLineMember: the user has another kind of access to the second
// line's number, or the number is their own.
const CodeSecondLineMember = "second_line.member"

// planSecondLine plans the membership of the row's second line when the
// roster has the column. It runs after every row's numbers are planned.
func (b *builder) planSecondLine(r *pbx.Row) {
	if !r.Has(pbx.FSecondLine) {
		return
	}
	uid, e := r.User.ID, r.SecondLine
	if live := b.st.Numbers[e]; e != "" && live != nil && live.Company == b.st.Company.ID {
		switch role := b.ix.role[memberID{e, uid}]; {
		case b.targetOf(e) == pbx.UserTarget(uid):
			b.conflict(r, pbx.FSecondLine, CodeSecondLineMember, string(e),
				fmt.Sprintf("number %s is assigned to %s; a second line shares another user's or a group's number", e, uid),
				"give the second line another number, or take this one off the user first")
		case role == pbx.RoleAssigned:
		case role != "":
			b.conflict(r, pbx.FSecondLine, CodeSecondLineMember, string(e),
				fmt.Sprintf("%s is an %s member of number %s; a second line would make them an assigned member", uid, role, e),
				"remove the number from the user's outbound-only numbers first (an outbound-only cell without it, in a sync)")
		default:
			o := b.member(e, uid)
			o.role = pbx.RoleAssigned
			what := "their phone"
			if r.Device != nil {
				what = "phone " + r.Device.MAC.String()
			}
			o.add(fmt.Sprintf("second line on %s: %s shares %s (assigned member: its calls, voicemail and missed calls)", what, uid, e), r.Line)
		}
		if d := r.Device; d != nil {
			if l := b.lines[pbx.LineKey(d.MAC, d.Port)]; l != nil && l.live != nil && l.live.Lines < l.l.Lines {
				l.add(fmt.Sprintf("a line appearance for the second line %s", e), r.Line)
			}
		}
	}
	if b.opts.Mode != Sync {
		return
	}
	for _, m := range b.ix.members[uid] {
		if m.Role == pbx.RoleAssigned && m.Number != e && b.targetOf(m.Number) != pbx.UserTarget(uid) {
			b.removeMember(m, "no longer a second line on "+string(uid)+"'s roster row", r.Line)
		}
	}
}
