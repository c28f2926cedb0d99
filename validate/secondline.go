package validate

import (
	"fmt"
	"slices"

	"github.com/pbxsync/pbxsync/pbx"
)

// Codes of the second-line column.
const (
	// CodeSecondLineNoPhone: the row gives a second line but no phone.
	CodeSecondLineNoPhone = "second_line.no_phone"
	// CodeSecondLineAppearances: the phone has no line appearance for a
	// second line (its model's, or the row's line count).
	CodeSecondLineAppearances = "second_line.appearances"
	// CodeSecondLineOwn: the second line is one of the row's own numbers.
	CodeSecondLineOwn = "second_line.own_number"
)

// checkSecondLine reads the second-line cell: a number that also rings on
// the user's phone as a second line (a shared appearance: the user becomes
// an assigned member of it, DOMAIN's number members). It needs the row's
// phone, whose model has two line appearances or more; where the row gives
// no line count the port gets two, one for each line. The number is parsed
// in the site's region; whether the company has it is a live rule.
func (rc *rowCheck) checkSecondLine() {
	text, _ := rc.text(xSecondLine)
	if text == "" {
		return
	}
	e, f := rc.c.number(text, rc.site.Region)
	if f != nil {
		rc.ps.fault(rc.cell(xSecondLine), text, f)
		return
	}
	if slices.Contains(rc.row.Numbers, e) || slices.Contains(rc.row.OutboundOnly, e) {
		rc.ps.add(rc.cell(xSecondLine), CodeSecondLineOwn, string(e), pbx.ErrConflict,
			fmt.Sprintf("number %s is also among the row's own or outbound-only numbers; a second line shares another number", e),
			"give the second line a number that is not on the row's number or outbound-only cells")
		return
	}
	d := rc.row.Device
	if d == nil {
		if mac, _ := rc.text(xMAC); mac == "" { // a faulty phone is reported as such
			rc.ps.add(rc.cell(xSecondLine), CodeSecondLineNoPhone, string(e), pbx.ErrInvalid,
				fmt.Sprintf("the row gives second line %s but no phone to put it on", e),
				"give the user's phone (MAC and model) on the row, or clear the second line")
		}
		return
	}
	most := 0
	if m := rc.c.st.Models[d.Model]; m != nil {
		most = m.MaxLines
	}
	lines, given := rc.text(xLines)
	switch {
	case most > 0 && most < 2:
		rc.ps.add(rc.cell(xSecondLine), CodeSecondLineAppearances, string(e), pbx.ErrInvalid,
			fmt.Sprintf("model %s has %d line appearance per port: no room for second line %s", d.Model, most, e),
			"put the second line on a phone whose model has two line appearances or more, or clear it")
		return
	case given && lines != "" && d.Lines < 2:
		rc.ps.add(rc.cell(xLines), CodeSecondLineAppearances, lines, pbx.ErrInvalid,
			fmt.Sprintf("the row gives the phone %s line appearance, and second line %s needs a second one", lines, e),
			"enter 2 or more line appearances, or leave the cell empty (the phone then gets 2)")
		return
	}
	d.Lines = max(d.Lines, 2)
	rc.row.SecondLine = e
}
