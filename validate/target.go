package validate

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// Codes of the target column.
const (
	// CodeTargetUnknown: the target names no hunt group or auto attendant
	// of the company.
	CodeTargetUnknown = "target.unknown"
	// CodeTargetOnUserRow: a row of a user gives a target; the numbers of a
	// user's row are the user's.
	CodeTargetOnUserRow = "target.user_row"
	// CodeTargetWithPhone: a row with no user gives both a phone and a target.
	CodeTargetWithPhone = "target.with_phone"
)

// checkTarget reads the target cell: what the row's numbers ring instead
// of a user. Only a row with no user routes its numbers so (see leftOut):
// on a user's row the numbers are the user's, and a target is an error.
// Whether the company has the target is a live rule (liveTargetRules).
func (rc *rowCheck) checkTarget() {
	text, _ := rc.text(xTarget)
	if text == "" {
		return
	}
	if !rc.row.CommonArea {
		rc.ps.add(rc.cell(xTarget), CodeTargetOnUserRow, text, pbx.ErrInvalid,
			fmt.Sprintf("the row is a user's, whose numbers are assigned to the user; it cannot route them to %q", text),
			"give the number and its target on a row of its own, with no user ID, name or e-mail; or clear the target")
		return
	}
	rc.row.TargetRef = text
}

// liveTargetRules: the row's target is a hunt group or an auto attendant
// of the company.
func liveTargetRules(ps *problems, st *pbx.State, r *pbx.Row) {
	if r.TargetRef == "" {
		return
	}
	if _, ok := st.TargetByRef(r.TargetRef); ok {
		return
	}
	ps.add(rowFieldCell(r, pbx.FTarget), CodeTargetUnknown, r.TargetRef, pbx.ErrNotFound,
		fmt.Sprintf("%q is not a hunt group or auto attendant of company %s (by id or name; a name both have needs its kind); the company has: %s",
			r.TargetRef, st.Company.ID, st.TargetNames()),
		"write huntgroup:ID or autoattendant:ID (or the group's or attendant's name) of one the company has, or add it to the PBX first")
}
