package mapping

import "github.com/pbxsync/pbxsync/pbx"

// Value is one field of a mapped row: the text the file gave (after the
// profile's transforms) and the cell it came from.
type Value struct {
	Text  string   // trimmed text; "" means the cell was empty (for a multi-value field, the parts joined with "; ")
	Parts []string // for multi-value fields (several numbers in one cell): the parts, each transformed, else nil
	Cell  pbx.Cell // the source cell (for a derived or joined field, the first source column; Col -1 for a profile default)
	// Numeric: the source cell was a number in the workbook, which may
	// have lost leading zeros (set by the reader's caller, see
	// roster.Record.IsNumeric).
	Numeric bool
}

// Mapped is one roster row after mapping: pbx fields to values. A field
// whose column the file does not have is absent from Values (leave it alone);
// a field present with Text "" is an empty cell.
type Mapped struct {
	Row    int // row number as the user sees it
	File   string
	Sheet  string
	Values Values
	// LeftOut holds the row's non-empty cells of columns the profile leaves
	// out (a phone's second line): objects pbxsync does not create yet, which
	// the validator warns about.
	LeftOut []LeftOutValue
}

// Get returns the value of f and whether the file carries f at all.
func (m *Mapped) Get(f pbx.Field) (Value, bool) {
	return m.Values.Get(f)
}
