package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// HintLeadingZeros is the hint for a value a spreadsheet stripped of its leading zeros.
const HintLeadingZeros = "Excel may have dropped leading zeros: format the column as Text and re-enter"

// checkExtension checks the extension the row gives against its site, or
// derives one from the row's first number when it gives none (DOMAIN rule 5).
func (rc *rowCheck) checkExtension() {
	text, _ := rc.text(xExtension)
	if strings.EqualFold(text, "auto") || text == "" && (rc.c.Allocate.Extensions || rc.row.Alloc != nil && rc.row.Alloc.Number) {
		// alloc.go: the number's last digits or the site's next free
		// extension, taken once every row is read; a number from the pool
		// gives its extension the same way.
		rc.alloc().Ext = true
		return
	}
	if text == "" {
		rc.deriveExtension()
		return
	}
	ext, f := canonExtension(text, rc.site)
	if f != nil && f.code == CodeExtensionLeadingZeros {
		if v := rc.m.Values.Pos(int(xExtension)); v != nil && v.Numeric {
			if padded, ok := rc.c.restorable(text, rc.site, rc.row.User.ID); ok {
				rc.ps.warn(rc.cell(xExtension), CodeExtensionZerosRestored, text, pbx.ErrExtension,
					fmt.Sprintf("extension %s was a number in the workbook, which drops leading zeros; read as %s, %s's length", text, padded, siteName(rc.site)),
					HintLeadingZeros)
				rc.row.User.Extension = padded
				return
			}
		}
	}
	if f != nil {
		rc.ps.fault(rc.cell(xExtension), text, f)
		return
	}
	rc.row.User.Extension = ext
}

// restorable returns text padded with zeros to site's extension length,
// and whether that is surely what a spreadsheet stripped: the site's
// extensions have a fixed length, text is all digits and shorter, and the
// padded extension fits the site and is free (no one but the row's user
// has it, nor a hunt group or auto attendant). Where another has it, the
// number may have been meant otherwise: a guess, left to the user.
func (c *Checker) restorable(text string, site *pbx.Site, user pbx.UserID) (pbx.Extension, bool) {
	n := site.ExtLen
	if n == 0 || len(text) >= n || !allDigits(text) {
		return "", false
	}
	padded := pbx.Extension(strings.Repeat("0", n-len(text)) + text)
	if site.CheckExtension(padded) != nil {
		return "", false
	}
	holder, held := c.extHolders()[site.ExtScope()+"/"+string(padded)]
	return padded, !held || user != "" && holder == string(user)
}

// extHolders indexes who holds each extension in the live state, by
// "scope/extension": a user ID, or "" for a hunt group or auto attendant.
// Built on first need.
func (c *Checker) extHolders() map[string]string {
	if c.holders != nil {
		return c.holders
	}
	c.holders = map[string]string{}
	st := c.st
	for _, u := range st.Users {
		if u.Company == st.Company.ID && u.Extension != "" && u.Status != pbx.StatusDeprovisioned {
			c.holders[st.Site(u.Site).ExtScope()+"/"+string(u.Extension)] = string(u.ID)
		}
	}
	var groups []pbx.Extension
	for _, h := range st.Hunts {
		if h.Company == st.Company.ID && h.Extension != "" {
			groups = append(groups, h.Extension)
		}
	}
	for _, a := range st.AAs {
		if a.Company == st.Company.ID && a.Extension != "" {
			groups = append(groups, a.Extension)
		}
	}
	for _, e := range groups { // a group's extension is the company's: taken in every dial plan
		c.holders["/"+string(e)] = ""
		for _, s := range st.Sites {
			c.holders[s.ExtScope()+"/"+string(e)] = ""
		}
	}
	return c.holders
}

// canonExtension returns the canonical form of text as an extension of site
// (leading zeros kept), or what is wrong with it: not 2 to 8 digits, not the
// site's length (with the leading-zeros hint when zeros in front would make
// it fit), or in one of the site's reserved ranges.
func canonExtension(text string, site *pbx.Site) (pbx.Extension, *fault) {
	ext, err := pbx.ParseExtension(text)
	if r, ok := reservedRange(site, text); ok { // "911" is the emergency number, not "0911" short of a zero
		return "", &fault{CodeExtensionReserved,
			fmt.Errorf("%w: %q is in the reserved range %s-%s of %s", pbx.ErrExtension, text, r.From, r.To, siteName(site)),
			fmt.Sprintf("extension %q is reserved on %s (%s)", text, siteName(site), reservedList(site)),
			"choose an extension outside the reserved ranges"}
	}
	if n := site.ExtLen; n > 0 && len(text) < n && allDigits(text) {
		padded := pbx.Extension(strings.Repeat("0", n-len(text)) + text)
		if site.CheckExtension(padded) == nil {
			return "", &fault{CodeExtensionLeadingZeros,
				fmt.Errorf("%w: %q has %d digits; %s uses %d", pbx.ErrExtension, text, len(text), siteName(site), n),
				fmt.Sprintf("extension %q has %d digits but %s uses %d: was it %s?", text, len(text), siteName(site), n, padded),
				HintLeadingZeros}
		}
	}
	if err != nil {
		return "", &fault{CodeExtensionInvalid, err, err.Error(), "write the extension as 2 to 8 digits, e.g. 4021"}
	}
	return ext, siteFault(ext, site)
}

// siteFault checks a well-formed extension against the site's length and
// reserved ranges.
func siteFault(ext pbx.Extension, site *pbx.Site) *fault {
	if n := site.ExtLen; n > 0 && len(ext) != n {
		return &fault{CodeExtensionLength,
			fmt.Errorf("%w: %q has %d digits; %s uses %d", pbx.ErrExtension, ext, len(ext), siteName(site), n),
			fmt.Sprintf("extension %q has %d digits but %s uses %d", ext, len(ext), siteName(site), n),
			fmt.Sprintf("give the extension %d digits", n)}
	}
	if err := site.CheckExtension(ext); err != nil {
		return &fault{CodeExtensionReserved, err,
			fmt.Sprintf("extension %q is reserved on %s (%s)", ext, siteName(site), reservedList(site)),
			"choose an extension outside the reserved ranges"}
	}
	return nil
}

// deriveExtension gives the row the last digits of its first number as its
// extension (DOMAIN rule 5): as many digits as the site's extensions have,
// 4 when the site sets no length. One that does not fit the site is reported
// on the number's cell.
func (rc *rowCheck) deriveExtension() {
	if len(rc.row.Numbers) == 0 {
		return
	}
	n := rc.site.ExtLen
	if n == 0 {
		n = 4
	}
	num := rc.row.Numbers[0]
	ext, err := pbx.ParseExtension(num.Last(n))
	var f *fault
	if err != nil {
		f = &fault{CodeExtensionInvalid, err, err.Error(), ""}
	} else {
		f = siteFault(ext, rc.site)
	}
	if f != nil {
		rc.ps.add(rc.cell(xNumber), CodeExtensionDerived, rc.firstNumber, f.err,
			fmt.Sprintf("the row has no extension and the one taken from the last %d digits of %s, %q, does not fit: %s", n, num, num.Last(n), f.msg),
			"enter an extension for this user in the extension column")
		return
	}
	rc.row.User.Extension = ext
	rc.row.ExtDerived = true
}

// reservedRange returns the reserved range of site that holds ext, compared
// as numbers of the same length as the range's bounds.
func reservedRange(site *pbx.Site, ext string) (pbx.ExtRange, bool) {
	for _, r := range site.Reserved {
		if len(r.From) == len(ext) && ext >= r.From && ext <= r.To {
			return r, true
		}
	}
	return pbx.ExtRange{}, false
}

// reservedList renders a site's reserved ranges: "911, 9000-9999".
func reservedList(site *pbx.Site) string {
	parts := make([]string, len(site.Reserved))
	for i, r := range site.Reserved {
		if r.From == r.To {
			parts[i] = r.From
		} else {
			parts[i] = r.From + "-" + r.To
		}
	}
	return strings.Join(parts, ", ")
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
