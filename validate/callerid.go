package validate

import (
	"fmt"
	"strings"
)

// CallerIDAnonymous is the caller ID that hides the number.
const CallerIDAnonymous = "anonymous"

// checkCallerID canonicalises the caller ID: "" or "own" is the user's own
// number (""), "anonymous" hides it, anything else must be a number and
// becomes its E.164 form. Whether the company has that number is a live rule.
func (rc *rowCheck) checkCallerID() {
	text, _ := rc.text(xCallerID)
	switch {
	case text == "" || strings.EqualFold(text, "own"):
		return
	case strings.EqualFold(text, CallerIDAnonymous):
		rc.row.User.CallerID = CallerIDAnonymous
		return
	}
	e, f := rc.c.number(text, rc.site.Region)
	if f != nil {
		if f.code == CodeNumberInvalid {
			f = &fault{CodeCallerIDInvalid, f.err,
				fmt.Sprintf("caller ID %q is neither own, anonymous nor a valid phone number", text),
				"write own, anonymous, or a number of the company, e.g. +1 415 555 0100"}
		}
		rc.ps.fault(rc.cell(xCallerID), text, f)
		return
	}
	rc.row.User.CallerID = string(e)
}
