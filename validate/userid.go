package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// checkUserID requires the user ID and canonicalises it with pbx.ParseUserID.
func (rc *rowCheck) checkUserID() {
	text, ok := rc.text(xUserID)
	if text == "" {
		msg := "the user ID is empty"
		hint := "enter the user's login in e-mail form, e.g. jdoe@acme.example"
		if !ok {
			msg = "the roster has no user ID column"
			hint = "map a column of logins (e-mail form) to user_id"
		}
		rc.ps.add(rc.cell(xUserID), CodeUserIDMissing, "", pbx.ErrUserID, msg, hint)
		return
	}
	id, err := rc.tf.parsed.userID, rc.tf.parsed.userIDErr // from the userid tag
	if err != nil {
		rc.ps.add(rc.cell(xUserID), CodeUserIDInvalid, text, err, err.Error(),
			"write the login in e-mail form, e.g. jdoe@acme.example")
		return
	}
	rc.row.User.ID = id
}

// checkEmail checks the e-mail with validator's email tag and lower-cases its domain.
func (rc *rowCheck) checkEmail() {
	text, _ := rc.text(xEmail)
	if text == "" {
		return
	}
	if rc.tagFailed(xEmail) != "" {
		rc.ps.add(rc.cell(xEmail), CodeEmailInvalid, text, pbx.ErrInvalid,
			fmt.Sprintf("%q is not a valid e-mail address", text),
			"write the address as name@domain, e.g. jane.doe@acme.example")
		return
	}
	rc.row.User.Email = CanonicalEmail(text)
}

// CanonicalEmail returns addr with its domain lower-cased; the local part is
// kept as given.
func CanonicalEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	domain := addr[at+1:]
	if lower := strings.ToLower(domain); lower != domain {
		return addr[:at+1] + lower
	}
	return addr
}
