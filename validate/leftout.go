package validate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

// Warnings about what a row describes beyond one user, which pbxsync does not
// create (a phone's further lines as a legacy export lists them, by
// directory number: a Second Line column gives one by its number; a phone
// with no owner and no number, a number with no user): each is reported,
// naming the line or the device, and never dropped without a word. A phone
// with a number and no owner is a common-area phone, which is created.
const (
	// CodeLineLeftOut: a line of the row's phone beyond the user's own (a
	// second directory number, a shared appearance) is not created.
	CodeLineLeftOut = "device.line_left_out"
	// CodeDeviceLeftOut: the row is a phone with no owner and no number
	// (a device tied to an extension), which is not created.
	CodeDeviceLeftOut = "device.no_owner_left_out"
	// CodeNumberLeftOut: the row is a number with no user (an inventory
	// list), which is not taken into the inventory.
	CodeNumberLeftOut = "number.no_owner_left_out"
)

// ErrLeftOut is wrapped by the left-out warnings.
var ErrLeftOut = errors.New("left out: pbxsync does not create it yet")

// ownerFields are the fields that say who a row's user is: a row with none of
// them and a phone or a number describes that phone or number alone.
var ownerFields = []pbx.Field{pbx.FUserID, pbx.FEmail, pbx.FFirstName, pbx.FLastName, pbx.FExternalID}

// leftOut returns the warnings about the parts of m pbxsync leaves out, and
// whether the row is nothing but such a part (a phone with no owner), in
// which case it has nothing to check or plan.
//
// A row with a phone and a number but no owner is a common-area phone (a
// lobby, a fax, a meeting room): common is true, and the row is checked
// and planned as a device whose line rings the number, with no user. So is
// a row with numbers and a target and no owner: its numbers ring a hunt
// group or an auto attendant (target.go).
func leftOut(m *mapping.Mapped) (ps problems, skip, common bool) {
	mac := ""
	if v := m.Values.Pos(int(xMAC)); v != nil {
		mac = strings.TrimSpace(v.Text)
	}
	number := ""
	if v := m.Values.Pos(int(xNumber)); v != nil {
		number = strings.TrimSpace(v.Text)
	}
	target := ""
	if v := m.Values.Pos(int(xTarget)); v != nil {
		target = strings.TrimSpace(v.Text)
	}
	switch {
	case mac == "" && number == "", hasOwner(m):
	case number != "" && (mac != "" || target != ""):
		common = true // a common-area phone, or numbers routed to a group (target.go)
	case mac != "":
		what := "phone " + mac
		if ext := strings.TrimSpace(m.Values.At(pbx.FExtension).Text); ext != "" {
			what += " (extension " + ext + ")"
		}
		ps.warn(fieldCell(m, pbx.FMAC), CodeDeviceLeftOut, mac, ErrLeftOut,
			fmt.Sprintf("%s names no user and no number (a device tied to an extension): pbxsync does not create it, so it is left out", what),
			"nothing to fix: give it a number on this row to make it a common-area phone, or name its user")
		skip = true
	case number != "":
		ps.warn(fieldCell(m, pbx.FNumber), CodeNumberLeftOut, number, ErrLeftOut,
			fmt.Sprintf("number %s names no user: pbxsync takes numbers into the inventory with the company's seed, not from a roster, so it is left out", number),
			"nothing to fix: assign it on a user's row, or add it to the inventory")
		skip = true
	}
	device := "the row's phone"
	if mac != "" && len(m.LeftOut) > 0 {
		device = "phone " + mac
	}
	for _, lo := range m.LeftOut {
		c := lo.Cell
		if c.File == "" {
			c.File, c.Sheet = m.File, m.Sheet
		}
		ps.warn(c, CodeLineLeftOut, lo.Text, ErrLeftOut,
			fmt.Sprintf("%s %s (%s) of %s is left out: pbxsync does not create a phone's further lines from this column", lo.What, lo.Text, lo.Cell.Header, device),
			"nothing to fix: the row's own line is imported; to add this one as a shared line, give its phone number in a Second Line column")
	}
	return ps, skip, common
}

// hasOwner reports whether any field naming the row's user has a value: a
// login derived from nothing ("@acme.example" from an empty name) does not count.
func hasOwner(m *mapping.Mapped) bool {
	for _, f := range ownerFields {
		t := strings.TrimSpace(m.Values.At(f).Text)
		if t != "" && !strings.HasPrefix(t, "@") {
			return true
		}
	}
	return false
}
