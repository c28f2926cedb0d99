package validate

import (
	"strings"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

// Checker applies the field and row rules to the rows of one roster against
// one state. It remembers what rows share (parsed numbers: a caller ID is
// often the same on every row; the catalogue's name index), so validating a
// whole roster through one Checker is faster than calling Row for each row.
// A Checker is not safe for concurrent use: give each goroutine its own.
type Checker struct {
	st     *pbx.State
	models map[string]*pbx.DeviceModel // squashed name -> model, built on first need
	// modelByText and stations remember the models and station types as
	// rosters write them ("Yealink T42G", "Standard"): nil for unknown ones.
	modelByText map[string]*pbx.DeviceModel
	stations    map[string]string
	numbers     map[numberKey]parsedNumber // memo of parsed numbers, bounded by maxMemo
	fast        fastNumbers                // the fast path of number parsing
	layouts     pbx.Layouts                // shared by the rows: where their fields came from
}

// New returns a Checker for rows of st's company. It reads st.Company,
// st.Sites and st.Models only.
func New(st *pbx.State) *Checker { return &Checker{st: st} }

// Row applies the field and row rules to one mapped row. st gives the
// company (plan/SMS), its sites (region, extension length, reserved ranges,
// own dial plan) and the device catalogue (st.Models); it does not look at
// users, numbers or devices. It returns the canonical row — nil when any
// problem blocks it — and every problem found, warnings included.
func Row(st *pbx.State, m *mapping.Mapped) (*pbx.Row, []*pbx.Problem) {
	return New(st).Row(m)
}

// Row applies the field and row rules to one mapped row; see the package
// function Row.
func (c *Checker) Row(m *mapping.Mapped) (*pbx.Row, []*pbx.Problem) {
	var l pbx.Layout
	l.File, l.Sheet = m.File, m.Sheet
	for f, v := range m.Values.All() {
		if v.Text == "" && len(v.Parts) == 0 && leftAloneWhenEmpty[f] {
			continue // an empty cell leaves the live value as it is
		}
		cell := cellOf(m, v)
		l.Set(f, cell.Col, cell.Header)
	}
	blk := &rowBlock{row: pbx.Row{Line: m.Row, Layout: c.layouts.Intern(&l)}}
	rc := rowCheck{c: c, m: m, row: &blk.row, blk: blk}
	rc.tf = rc.textFields()
	rc.failed = rc.tf.check()

	rc.checkSite()
	rc.checkUserID()
	rc.checkEmail()
	rc.checkTexts()
	rc.checkChoices()
	rc.checkNumbers()
	rc.checkExtension() // after the numbers: it may be derived from the first
	rc.checkCallerID()
	rc.checkDevice()
	rc.checkLocation()
	rc.checkRowRules()

	if rc.ps.blocking() {
		return nil, rc.ps
	}
	return rc.row, rc.ps
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

	numbersGiven int    // non-empty values in the number column, valid or not
	firstNumber  string // the first valid number as the file gave it
}

// text returns the trimmed text of field f, and whether the file has a column for f.
func (rc *rowCheck) text(f pbx.Field) (string, bool) {
	v, ok := rc.m.Values.Get(f)
	return strings.TrimSpace(v.Text), ok
}

// cell is the cell of field f, or the whole row when the file has no column for it.
func (rc *rowCheck) cell(f pbx.Field) pbx.Cell { return fieldCell(rc.m, f) }

// tagFailed returns the validator tag that failed for field f, or "".
func (rc *rowCheck) tagFailed(f pbx.Field) string {
	for _, ff := range rc.failed {
		if ff.field == f {
			return ff.tag
		}
	}
	return ""
}

// textFields gathers the fields the validator tags check.
func (rc *rowCheck) textFields() textFields {
	get := func(f pbx.Field) string { s, _ := rc.text(f); return s }
	return textFields{
		UserID:      get(pbx.FUserID),
		Email:       get(pbx.FEmail),
		FirstName:   get(pbx.FFirstName),
		LastName:    get(pbx.FLastName),
		NumberLabel: get(pbx.FNumberLabel),
		ExternalID:  get(pbx.FExternalID),
		Street:      get(pbx.FStreet),
		City:        get(pbx.FCity),
		MAC:         get(pbx.FMAC),
	}
}

// leftAloneWhenEmpty are the user's attributes that an empty cell leaves as
// they are in the live state, like a missing column: a blank "Voice Enabled"
// in an HR export must not turn a user's voice service off.
var leftAloneWhenEmpty = map[pbx.Field]bool{
	pbx.FFirstName: true, pbx.FLastName: true, pbx.FEmail: true, pbx.FStationType: true,
	pbx.FVoiceEnabled: true, pbx.FCallerID: true, pbx.FExternalID: true, pbx.FSite: true,
	pbx.FSMS: true, pbx.FNumberLabel: true,
}
