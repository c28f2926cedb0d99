package validate

import (
	"strings"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

// Checker applies the field and row rules to the rows of one roster against
// one state. It remembers what rows share (parsed numbers: a caller ID is
// often the same on every row; the catalogue's name index; the default site;
// canonical addresses; the rows' Layout), so validating a whole roster
// through one Checker is faster than calling Row for each row.
// A Checker is not safe for concurrent use: give each goroutine its own.
type Checker struct {
	st     *pbx.State
	models map[string]*pbx.DeviceModel // squashed name -> model, built on first need
	// modelByText and stations remember the models and station types as
	// rosters write them ("Yealink T42G", "Standard"): nil for unknown ones.
	modelByText map[string]*pbx.DeviceModel
	stations    map[string]string
	addresses   map[addressKey]addressCanon // memo of canonical addresses, bounded by maxMemo
	lastAddress struct {                    // the last address asked about
		key   addressKey
		canon addressCanon
	}
	numbers     map[numberKey]parsedNumber // memo of parsed numbers, bounded by maxMemo
	fast        fastNumbers                // the fast path of number parsing
	defaultSite *pbx.Site                  // st.Site(""), looked up on first need
	layouts     pbx.Layouts                // shared by the rows: where their fields came from
	lastKey     layoutKey                  // the key of lastLayout, the last row's
	lastLayout  *pbx.Layout                // the Layout of the last row
	holders     map[string]string          // who holds each extension (extHolders), built on first need

	// Allocate makes blank number and extension cells ask for one from the
	// pool, as a cell "auto" does (alloc.go).
	Allocate pbx.Allocate
}

// New returns a Checker for rows of st's company. It reads st.Company,
// st.Sites and st.Models, and to restore the leading zeros a workbook
// dropped from an extension, who holds it (st.Users, st.Hunts, st.AAs).
func New(st *pbx.State) *Checker { return &Checker{st: st} }

// Row applies the field and row rules to one mapped row. st gives the
// company (plan/SMS), its sites (region, extension length, reserved ranges,
// own dial plan) and the device catalogue (st.Models); it does not look at
// users, numbers or devices. It returns the canonical row — nil when any
// problem blocks it, or when the row is left out whole with a warning (a
// phone or a number with no user: leftout.go) — and every problem found,
// warnings included.
func Row(st *pbx.State, m *mapping.Mapped) (*pbx.Row, []*pbx.Problem) {
	return New(st).Row(m)
}

// Row applies the field and row rules to one mapped row; see the package
// function Row.
func (c *Checker) Row(m *mapping.Mapped) (*pbx.Row, []*pbx.Problem) {
	row, ps := c.Check(m)
	if problems(ps).blocking() {
		return nil, ps
	}
	return row, ps
}

// Check is Row that returns the row whatever its problems: each value a
// field rule could not accept is left out of it (and the field marked
// pbx.Row.Faulty), every other value is there, canonical. Roster, Live and
// Held take such rows too, so that a row is checked against the other rows
// and the live state in the same pass as its values, and a value repeated
// from an invalid row is found; only rows without a blocking problem may be
// planned.
//
// A row that is nothing but a part pbxsync leaves out (a phone with no
// owner, a number with no user: leftout.go) has no row: Check returns nil and
// the warnings that say so.
func (c *Checker) Check(m *mapping.Mapped) (*pbx.Row, []*pbx.Problem) {
	left, skip, common := leftOut(m) // leftout.go: warnings, and a phone with no owner skipped
	if skip {
		return nil, left
	}
	rc := rowCheck{c: c, m: m, ps: left}
	key := &c.lastKey // updated in place: the Layout is rebuilt when it changed
	changed := key.file != m.File || key.sheet != m.Sheet || c.lastLayout == nil
	key.file, key.sheet = m.File, m.Sheet
	var has fxSet
	for x := range fx(pbx.NumFields) {
		v := m.Values.Pos(int(x))
		if v == nil {
			continue
		}
		rc.has |= 1 << x
		rc.texts[x] = strings.TrimSpace(v.Text)
		switch x {
		case xNumber:
			rc.parts[0] = v.Parts
		case xOutboundOnly:
			rc.parts[1] = v.Parts
		case xHuntGroups:
			rc.parts[2] = v.Parts
		}
		if v.Text == "" && len(v.Parts) == 0 && leftAloneWhenEmpty.has(x) {
			continue // an empty cell leaves the live value as it is
		}
		has |= 1 << x
		if col := (layoutCol{v.Cell.Col, v.Cell.Header}); key.cols[x] != col {
			key.cols[x], changed = col, true
		}
	}
	if has != key.has {
		key.has, changed = has, true
	}
	if changed {
		c.lastLayout = c.newLayout(key)
	}
	blk := &rowBlock{row: pbx.Row{Line: m.Row, Layout: c.lastLayout}}
	rc.blk, rc.row = blk, &blk.row
	rc.tf = rc.textFields()
	rc.failed = rc.tf.check()

	if common { // commonarea.go: a phone and its number, no user
		rc.checkCommonArea()
		return rc.row, rc.ps
	}
	rc.checkSite()
	rc.checkUserID()
	rc.checkEmail()
	rc.checkTexts()
	rc.checkChoices()
	rc.checkStatus()
	rc.checkNumbers()
	rc.checkExtension() // after the numbers: it may be derived from the first
	rc.checkCallerID()
	rc.checkHuntGroups() // huntgroup.go
	rc.checkTarget()     // target.go: only a row with no user routes its numbers to a target
	rc.checkDevice()
	rc.checkSecondLine() // secondline.go: after the device, whose line appearances it needs
	rc.checkLocation()
	rc.checkRowRules()

	for _, p := range rc.ps {
		if p.Blocking() && p.Cell.Col >= 0 {
			rc.faultyAt(p.Cell.Col)
		}
	}
	return rc.row, rc.ps
}

// faultyAt marks the fields of the row read from column col as faulty.
func (rc *rowCheck) faultyAt(col int) {
	for x := range fx(pbx.NumFields) {
		if v := rc.m.Values.Pos(int(x)); v != nil && v.Cell.Col == col {
			rc.row.SetFaulty(x.field())
		}
	}
}

// layoutKey is what a row's pbx.Layout is made of: the file, the sheet, and
// the column and header of each field the row carries (cols of the others
// are left as they were). Rows of one file share it, so the Checker builds a
// Layout only when it changes.
type layoutKey struct {
	file, sheet string
	has         fxSet
	cols        [pbx.NumFields]layoutCol
}

type layoutCol struct {
	col    int
	header string
}

// newLayout returns the shared Layout of the rows whose key is k.
func (c *Checker) newLayout(k *layoutKey) *pbx.Layout {
	var l pbx.Layout
	l.File, l.Sheet = k.file, k.sheet
	for x := range fx(pbx.NumFields) {
		if k.has.has(x) {
			l.Set(x.field(), k.cols[x].col, k.cols[x].header)
		}
	}
	return c.layouts.Intern(&l)
}

// rowBlock is a validated row and what most rows have besides: one
// allocation instead of four (the row, its device, its address, its first
// number), for a roster's worth of rows.
type rowBlock struct {
	row pbx.Row
	dev pbx.RowDevice
	loc pbx.Address
	num [1]pbx.E164
}

// rowCheck is the work on one row: what was found so far and the row being built.
type rowCheck struct {
	c      *Checker
	blk    *rowBlock
	m      *mapping.Mapped
	site   *pbx.Site
	row    *pbx.Row
	ps     problems
	tf     textFields     // the validator's input, with the normalisers' results
	failed []fieldFailure // from the validator tags

	has   fxSet                 // the fields the file has a column for
	texts [pbx.NumFields]string // their trimmed texts
	parts [3][]string           // the parts of the number, outbound-only and hunt-group cells, when split

	numbersGiven int    // non-empty values in the number column, valid or not
	firstNumber  string // the first valid number as the file gave it
}

// text returns the trimmed text of field x, and whether the file has a column for it.
func (rc *rowCheck) text(x fx) (string, bool) {
	return rc.texts[x], rc.has.has(x)
}

// cell is the cell of field x, or the whole row when the file has no column for it.
func (rc *rowCheck) cell(x fx) pbx.Cell { return fieldCell(rc.m, x.field()) }

// tagFailed returns the validator tag that failed for field x, or "".
func (rc *rowCheck) tagFailed(x fx) string {
	for _, ff := range rc.failed {
		if ff.field == x.field() {
			return ff.tag
		}
	}
	return ""
}

// textFields gathers the fields the validator tags check.
func (rc *rowCheck) textFields() textFields {
	t := &rc.texts
	return textFields{
		UserID:      t[xUserID],
		Email:       t[xEmail],
		FirstName:   t[xFirstName],
		LastName:    t[xLastName],
		NumberLabel: t[xNumberLabel],
		ExternalID:  t[xExternalID],
		Street:      t[xStreet],
		City:        t[xCity],
		MAC:         t[xMAC],
	}
}

// leftAloneWhenEmpty are the user's attributes that an empty cell leaves as
// they are in the live state, like a missing column: a blank "Voice Enabled"
// in an HR export must not turn a user's voice service off.
const leftAloneWhenEmpty = fxSet(1<<xFirstName | 1<<xLastName | 1<<xEmail | 1<<xStationType |
	1<<xVoiceEnabled | 1<<xCallerID | 1<<xExternalID | 1<<xSite | 1<<xSMS | 1<<xNumberLabel)

// Check applies the field and row rules to one mapped row and returns the
// row whatever its problems; see Checker.Check.
func Check(st *pbx.State, m *mapping.Mapped) (*pbx.Row, []*pbx.Problem) {
	return New(st).Check(m)
}
