package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Roster applies the cross-row rules to the rows, valid or not (see
// Checker.Check: a value a field rule refused is not in its row): no user ID,
// e-mail, extension (within its dial plan), assigned number or device port on
// two rows, and no MAC given two models. Every row after the first that
// repeats a value gets a blocking problem naming the first row. A number
// wanted on two rows is a problem on both: which of them should have it is a
// guess pbxsync does not make (the first row's problem names the second).
//
// st gives each row's extension scope: the site code where the site has its
// own dial plan, else the company (DOMAIN rule 5). With a nil st every
// extension is in the company's scope. Roster reads only st.Sites.
func Roster(st *pbx.State, rows []*pbx.Row) []*pbx.Problem { return RosterAt(st, rows, "") }

// RosterAt is Roster on the day today ("2026-12-07"): the row of a person
// who has left by then (pbx.Row.Leaves) is deprovisioned, so the extension,
// numbers and device port it still shows are not theirs any more and no
// duplicate of another row's. With today "" every row counts.
func RosterAt(st *pbx.State, rows []*pbx.Row, today string) []*pbx.Problem {
	d := dups{first: make(map[dupKey]int, 4*len(rows))}
	models := map[pbx.MAC]struct {
		model string
		line  int
	}{}
	for _, r := range rows {
		if r.User.ID != "" { // "": not valid, left out of the rules that need it
			d.check(r, pbx.FUserID, CodeDuplicateUserID, "user ID", string(r.User.ID), string(r.User.ID),
				"each user appears once: merge the rows or remove one")
		}
		if r.User.Email != "" {
			d.check(r, pbx.FEmail, CodeDuplicateEmail, "e-mail", lower(r.User.Email), r.User.Email,
				"each user has an e-mail of their own: fix the e-mail on one of the rows")
		}
		if today != "" && r.Leaves(today) {
			continue
		}
		if r.User.Extension != "" {
			scope := ""
			if st != nil {
				scope = st.Site(r.User.Site).ExtScope()
			}
			f := pbx.FExtension
			if r.ExtDerived {
				f = pbx.FNumber
			}
			key := string(r.User.Extension)
			if scope != "" {
				key = scope + "/" + key
			}
			d.check(r, f, CodeDuplicateExtension, "extension", key, string(r.User.Extension),
				"extensions are unique within a dial plan: give one of the users another extension")
		}
		for _, n := range r.Numbers {
			d.checkBoth(r, pbx.FNumber, CodeDuplicateNumber, "number", string(n), string(n),
				"a number is assigned to one user: remove it from one row (use outbound_only for caller-ID access)")
		}
		if dev := r.Device; dev != nil {
			d.check(r, pbx.FMAC, CodeDuplicateDevicePort, "device port", pbx.LineKey(dev.MAC, dev.Port),
				fmt.Sprintf("%s port %d", dev.MAC, dev.Port),
				"each port of a device carries one user's line: give one row another port or device")
			if dev.Model != "" {
				if m, ok := models[dev.MAC]; !ok {
					models[dev.MAC] = struct {
						model string
						line  int
					}{dev.Model, r.Line}
				} else if m.model != dev.Model {
					d.ps.add(rowFieldCell(r, pbx.FModel), CodeDuplicateMACModel, dev.Model, pbx.ErrDuplicate,
						fmt.Sprintf("MAC %s is a %s here but a %s on row %d", dev.MAC, dev.Model, m.model, m.line),
						"a device has one model: check the MAC and the model on both rows")
				}
			}
		}
	}
	return d.ps
}

// dups remembers the first row of each value.
type dups struct {
	first map[dupKey]int      // -> first row
	rows  map[dupKey]*pbx.Row // checkBoth's first rows, while not yet flagged
	ps    problems
}

// dupKey is a value of one rule: its code and the value's key. The key is
// mostly a string the row holds already, so a roster of a million rows does
// not make millions of new strings.
type dupKey struct{ code, key string }

// check records the row of key, or a duplicate problem when an earlier row has it.
func (d *dups) check(r *pbx.Row, f pbx.Field, code, what, key, shown, hint string) {
	k := dupKey{code, key}
	first, seen := d.first[k]
	if !seen {
		d.first[k] = r.Line
		return
	}
	d.ps.add(rowFieldCell(r, f), code, shown, pbx.ErrDuplicate,
		fmt.Sprintf("%s %s is also on row %d", what, shown, first), hint)
}

// checkBoth is check for a value two rows may not both have, where neither
// row is more right than the other: the first row gets a problem too, once,
// naming the first row that repeats it.
func (d *dups) checkBoth(r *pbx.Row, f pbx.Field, code, what, key, shown, hint string) {
	k := dupKey{code, key}
	first, seen := d.first[k]
	if !seen {
		d.first[k] = r.Line
		if d.rows == nil {
			d.rows = map[dupKey]*pbx.Row{}
		}
		d.rows[k] = r
		return
	}
	if fr := d.rows[k]; fr != nil {
		delete(d.rows, k)
		d.ps.add(rowFieldCell(fr, f), code, shown, pbx.ErrDuplicate,
			fmt.Sprintf("%s %s is also on row %d", what, shown, r.Line), hint)
	}
	d.ps.add(rowFieldCell(r, f), code, shown, pbx.ErrDuplicate,
		fmt.Sprintf("%s %s is also on row %d", what, shown, first), hint)
}

// lower is strings.ToLower without a copy when s has no upper-case letter.
func lower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c >= 0x80 {
			return strings.ToLower(s)
		}
	}
	return s
}
