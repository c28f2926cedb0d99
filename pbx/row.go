package pbx

import (
	"encoding/json"
	"iter"
	"strconv"
	"strings"
)

// Field is a roster field pbxsync understands. Mapping profiles map a file's
// columns to these names.
type Field string

const (
	FUserID       Field = "user_id"
	FFirstName    Field = "first_name"
	FLastName     Field = "last_name"
	FEmail        Field = "email"
	FExtension    Field = "extension"
	FStationType  Field = "station_type"
	FVoiceEnabled Field = "voice_enabled"
	FCallerID     Field = "caller_id"
	FExternalID   Field = "external_id"
	FSite         Field = "site"
	FNumber       Field = "number"       // one or more numbers assigned to the user
	FNumberLabel  Field = "number_label" // the number's "phone name"
	FSMS          Field = "sms"
	FOutboundOnly Field = "outbound_only" // numbers the user may show as caller ID only
	FMAC          Field = "mac"
	FModel        Field = "model"
	FPort         Field = "port"
	FLines        Field = "lines"
	FStreet       Field = "e911_street"
	FCity         Field = "e911_city"
	FRegion       Field = "e911_region"
	FPostal       Field = "e911_postal"
	FCountry      Field = "e911_country"
	FStatus       Field = "status"      // the HR status: active, leaver, or kept as is (leave of absence)
	FExitDate     Field = "exit_date"   // the HR exit (termination) date
	FHuntGroups   Field = "hunt_groups" // the hunt groups the user belongs to, by id or name
	FTarget       Field = "target"      // what a row's number rings when it is not a user: a hunt group or an auto attendant
	FSecondLine   Field = "second_line" // a second line on the user's phone: a shared appearance of another number
)

// fieldOrder is every roster field, in the order reports show them.
var fieldOrder = [...]Field{
	FUserID, FFirstName, FLastName, FEmail, FExtension, FStationType, FVoiceEnabled,
	FCallerID, FExternalID, FSite, FNumber, FNumberLabel, FSMS, FOutboundOnly,
	FMAC, FModel, FPort, FLines, FStreet, FCity, FRegion, FPostal, FCountry,
	FStatus, FExitDate, FHuntGroups, FTarget, FSecondLine,
}

// Fields lists every roster field, in the order reports show them.
var Fields = fieldOrder[:]

// numFields is the number of roster fields; a fieldSet holds them all.
const numFields = len(fieldOrder)

const _ = uint64(1) << (64 - numFields) // compile error when fields outgrow a fieldSet

// fieldIndexOf is the position of f in fieldOrder. A switch, which the
// compiler turns into a search by length and bytes, is about twice as fast as
// a map here, and validation asks it for every field of every row.
// TestFieldIndex holds it to fieldOrder.
func fieldIndexOf(f Field) (int, bool) {
	switch f {
	case FUserID:
		return 0, true
	case FFirstName:
		return 1, true
	case FLastName:
		return 2, true
	case FEmail:
		return 3, true
	case FExtension:
		return 4, true
	case FStationType:
		return 5, true
	case FVoiceEnabled:
		return 6, true
	case FCallerID:
		return 7, true
	case FExternalID:
		return 8, true
	case FSite:
		return 9, true
	case FNumber:
		return 10, true
	case FNumberLabel:
		return 11, true
	case FSMS:
		return 12, true
	case FOutboundOnly:
		return 13, true
	case FMAC:
		return 14, true
	case FModel:
		return 15, true
	case FPort:
		return 16, true
	case FLines:
		return 17, true
	case FStreet:
		return 18, true
	case FCity:
		return 19, true
	case FRegion:
		return 20, true
	case FPostal:
		return 21, true
	case FCountry:
		return 22, true
	case FStatus:
		return 23, true
	case FExitDate:
		return 24, true
	case FHuntGroups:
		return 25, true
	case FTarget:
		return 26, true
	case FSecondLine:
		return 27, true
	}
	return -1, false
}

// KnownField reports whether f is a roster field.
func KnownField(f Field) bool { _, ok := fieldIndexOf(f); return ok }

// Cell is where a value came from: the file, sheet, row as the user sees it
// (1-based, header included), and column (0-based index and header text).
type Cell struct {
	File   string `json:"file,omitempty"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row"`
	Col    int    `json:"col"` // 0-based; -1 when the problem is the whole row
	Header string `json:"header,omitempty"`
}

// MarshalJSON adds the column's letter ("column": "I") to the cell's fields,
// for readers of reports and plans who think in spreadsheet terms.
func (c Cell) MarshalJSON() ([]byte, error) {
	type plain Cell
	return json.Marshal(struct {
		plain
		Column string `json:"column,omitempty"`
	}{plain(c), c.ColLetter()})
}

// ColLetter returns the spreadsheet letter of the column: 0 -> A, 26 -> AA.
func (c Cell) ColLetter() string { return ColumnLetter(c.Col) }

// ColumnLetter converts a 0-based column index to its spreadsheet letters.
func ColumnLetter(i int) string {
	if i < 0 {
		return ""
	}
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// String renders "roster.xlsx:Sheet1!C7 (MAC)" or "roster.csv:7:C (MAC)".
func (c Cell) String() string {
	s := c.File
	if c.Sheet != "" {
		s += ":" + c.Sheet + "!"
	} else if s != "" {
		s += ":"
	}
	if c.Col >= 0 {
		s += c.ColLetter()
	}
	s += strconv.Itoa(c.Row)
	if c.Header != "" {
		s += " (" + c.Header + ")"
	}
	return s
}

// Row is the desired state that one valid roster row asks for: a user, the
// numbers assigned to them, their device, and the E911 location of the
// numbers. A field the roster had no column for is absent from Has and must
// be left alone; a present but empty field means "no value".
type Row struct {
	Line   int     // row number as the user sees it
	Layout *Layout // where each field the row carries came from; shared with other rows

	User         User   // ID, names, e-mail, extension, station type, ...
	Numbers      []E164 // assigned to the user; the first is the primary
	OutboundOnly []E164 // caller-ID access only
	// HuntGroups are the hunt groups the user belongs to, as the roster
	// names them (a group's id or name; State.HuntGroupByRef finds it).
	HuntGroups  []string
	NumberLabel string
	SMS         bool
	Device      *RowDevice
	Location    *Address
	ExtDerived  bool // the extension came from the number (rule 5), not from the roster
	// HRStatus is what the row's status column says of the person ("": the
	// roster has no status column, which is HRActive); ExitDate is their
	// exit date, "2027-03-31", or "".
	HRStatus HRStatus
	ExitDate string
	// SecondLine is a number that appears as a second line on the user's
	// phone (Device): the user becomes an assigned member of it, and the
	// phone's port has the line appearances for it. "" for none.
	SecondLine E164
	// TargetRef is what the row's numbers ring instead of a user, as the
	// roster names it ("huntgroup:sales", "autoattendant:main", or a
	// group's or attendant's id or name; State.TargetByRef finds it), on a
	// row with no user (CommonArea, no Device).
	TargetRef string
	// CommonArea is a row of a phone with a number and no user (a lobby,
	// a fax, a meeting room): its device's line rings Numbers[0], and
	// User is empty.
	CommonArea bool
	// Alloc is what the row asks to be taken from the company's pool (a
	// number or extension cell "auto", or --allocate for blank cells), and
	// what was taken for it; nil when it asks for nothing.
	Alloc *Alloc

	// faulty are the fields whose values validation could not accept: they
	// are left out of the row (zero), and so out of the cross-row and
	// live-state checks that need them. A row with any is never planned.
	faulty fieldSet
}

// SetFaulty records that the value of field f could not be accepted.
func (r *Row) SetFaulty(f Field) {
	if i, ok := fieldIndexOf(f); ok {
		r.faulty |= 1 << i
	}
}

// Faulty reports whether the value of field f could not be accepted (and is
// left out of the row).
func (r *Row) Faulty(f Field) bool {
	i, ok := fieldIndexOf(f)
	return ok && r.faulty&(1<<i) != 0
}

// AnyFaulty reports whether any field's value could not be accepted.
func (r *Row) AnyFaulty() bool { return r.faulty != 0 }

// NamedNumbers calls f with every number the row names: those assigned to
// its user, the outbound-only ones, its second line and a caller ID given
// as a number (a number may come twice). These are the numbers the row's
// checks and plan look up in the live state.
func (r *Row) NamedNumbers(f func(E164)) {
	for _, n := range r.Numbers {
		f(n)
	}
	for _, n := range r.OutboundOnly {
		f(n)
	}
	if r.SecondLine != "" {
		f(r.SecondLine)
	}
	if strings.HasPrefix(r.User.CallerID, "+") {
		f(E164(r.User.CallerID))
	}
}

// RowDevice is the phone or ATA port a row gives its user.
type RowDevice struct {
	MAC   MAC
	Model string
	Port  int
	Lines int
}

// Has reports whether the row carries field f (the roster had a column for
// it, and for a user attribute, a value in it).
func (r *Row) Has(f Field) bool { return r.Layout.Has(f) }

// Cell returns the cell field f of the row came from, and whether the row
// carries f.
func (r *Row) Cell(f Field) (Cell, bool) { return r.Layout.Cell(f, r.Line) }

// CellOr returns the cell of field f or, when the row does not carry f, the
// whole row (column -1) in the row's file and sheet.
func (r *Row) CellOr(f Field) Cell {
	if c, ok := r.Cell(f); ok {
		return c
	}
	c := Cell{Row: r.Line, Col: -1}
	if r.Layout != nil {
		c.File, c.Sheet = r.Layout.File, r.Layout.Sheet
	}
	return c
}

// Cells yields the fields the row carries and their cells, in the order of
// Fields.
func (r *Row) Cells() iter.Seq2[Field, Cell] {
	return func(yield func(Field, Cell) bool) {
		if r.Layout == nil {
			return
		}
		for i, f := range fieldOrder {
			if r.Layout.has&(1<<i) != 0 && !yield(f, r.Layout.cell(i, r.Line)) {
				return
			}
		}
	}
}

// SetCell records that field f of the row comes from cell c (c.Row is
// ignored: it is the row's Line). The row gets its own copy of its Layout,
// so rows sharing the old one are unchanged: for building rows by hand (tests,
// seeds), not in loops over a roster, which build one Layout per file.
func (r *Row) SetCell(f Field, c Cell) {
	l := r.Layout.clone()
	if l.File == "" && l.Sheet == "" {
		l.File, l.Sheet = c.File, c.Sheet
	}
	l.Set(f, c.Col, c.Header)
	r.Layout = l
}

// DropCell makes the row no longer carry field f (it will be left alone),
// on the row's own copy of its Layout.
func (r *Row) DropCell(f Field) {
	l := r.Layout.clone()
	l.Drop(f)
	r.Layout = l
}

// NumFields is the number of roster fields: FieldIndex is below it.
const NumFields = numFields

// FieldIndex returns the position of f in Fields, for arrays indexed by
// field; ok is false for an unknown field.
func FieldIndex(f Field) (i int, ok bool) { return fieldIndexOf(f) }

// HRStatus is a person's state in an HR export, as pbxsync acts on it.
type HRStatus string

const (
	HRActive HRStatus = "active" // provisioned as the row says
	HRLeaver HRStatus = "leaver" // deprovisioned (on the exit date, when the row has one)
	HRKeep   HRStatus = "keep"   // kept as they are, nothing changed (leave of absence, parental leave)
)

// Leaves reports whether the row's person has left by today ("2026-12-07").
// The exit date is their last day: they leave the day after it. A row
// leaves when its status says leaver and its exit date, if any, is before
// today, or when its exit date is before today whatever an active status
// says (HR systems often keep "Active" until the payroll run after the
// last day). A kept person (HRKeep) never leaves.
func (r *Row) Leaves(today string) bool {
	switch {
	case r.HRStatus == HRKeep:
		return false
	case r.HRStatus == HRLeaver:
		return r.ExitDate == "" || r.ExitDate < today
	}
	return r.ExitDate != "" && r.ExitDate < today
}

// LeavesLater reports whether the row's person leaves after today: they
// stay active through r.ExitDate.
func (r *Row) LeavesLater(today string) bool {
	return r.HRStatus != HRKeep && r.ExitDate != "" && r.ExitDate >= today
}

// Alloc is a row's request for a number and an extension from the pool,
// and the allocator's picks (validate.Allocate).
type Alloc struct {
	Number bool   // a free number of the pool
	Area   string // of this area code ("650"); "" for one of the row's site
	Ext    bool   // an extension: the number's last digits, else the site's next free one

	// Set by the allocator. PickedNumber and PickedExt are what it took
	// from the pool, "" where the row's user keeps the one they hold (a
	// re-sync picks nothing new); NumberWhy and ExtWhy say how each was
	// chosen, for the plan: "from the pool (area code 650)".
	PickedNumber      E164
	PickedExt         Extension
	NumberWhy, ExtWhy string
}

// Allocate is which blank cells of a roster take from the pool, as a cell
// "auto" does (pbxsync --allocate numbers,extensions).
type Allocate struct {
	Numbers    bool `json:"numbers,omitempty"`
	Extensions bool `json:"extensions,omitempty"`
}
