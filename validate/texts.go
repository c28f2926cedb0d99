package validate

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// freeTexts are the free-text fields: trimmed, no control characters, and
// (per their validator tag) a maximum length.
var freeTexts = []struct {
	field fx
	name  string
	set   func(r *pbx.Row, s string)
}{
	{xFirstName, "first name", func(r *pbx.Row, s string) { r.User.FirstName = s }},
	{xLastName, "last name", func(r *pbx.Row, s string) { r.User.LastName = s }},
	{xNumberLabel, "number label", func(r *pbx.Row, s string) { r.NumberLabel = s }},
	{xExternalID, "external ID", func(r *pbx.Row, s string) { r.User.ExternalID = s }},
	{xStreet, "E911 street", nil}, // the address is built by checkLocation
	{xCity, "E911 city", nil},
}

// checkTexts checks and sets the free-text fields.
func (rc *rowCheck) checkTexts() {
	for _, t := range freeTexts {
		text, ok := rc.text(t.field)
		if !ok {
			continue
		}
		switch rc.tagFailed(t.field) {
		case "max":
			rc.ps.add(rc.cell(t.field), CodeTextTooLong, text, pbx.ErrInvalid,
				fmt.Sprintf("the %s %q is %d characters long", t.name, text, len([]rune(text))),
				fmt.Sprintf("shorten the %s to %d characters", t.name, maxLen(t.field)))
			continue
		case "text":
			rc.ps.add(rc.cell(t.field), CodeTextControl, text, pbx.ErrInvalid,
				fmt.Sprintf("the %s %q holds a control character (tab, line break...)", t.name, text),
				fmt.Sprintf("retype the %s without tabs or line breaks", t.name))
			continue
		}
		if t.set != nil {
			t.set(rc.row, text)
		}
	}
}

// maxLen is the longest text the validator tag of field f allows.
func maxLen(f fx) int {
	if f == xStreet {
		return MaxStreetLen
	}
	return MaxNameLen
}
