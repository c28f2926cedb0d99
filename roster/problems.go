package roster

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// Stable problem codes this package reports.
const (
	CodeHeaderDuplicate = "header.duplicate" // two columns with the same name (a warning: mapping reports mapping.ambiguous when a field reads them)
	CodeHeaderEmpty     = "header.empty"     // a column without a name
	CodeRowRagged       = "row.ragged"       // a CSV row with more or fewer cells than the header
	CodeCellUnheaded    = "cell.unheaded"    // a value in a column without a header: an error inside the table, a warning (once per column) right of it
	CodeCellEncoding    = "cell.encoding"    // a cell that is not valid text in the file's encoding
)

// problem builds a problem at one cell of t (col -1: the whole row). It
// wraps pbx.ErrRead.
func (t *table) problem(row, col int, sev pbx.Severity, code, value, msg, hint string) *pbx.Problem {
	cell := pbx.Cell{File: t.file, Sheet: t.sheet, Row: row, Col: col}
	if col >= 0 && col < len(t.headers) {
		cell.Header = t.headers[col]
	}
	return &pbx.Problem{Cell: cell, Severity: sev, Code: code, Value: value, Message: msg, Hint: hint, Err: pbx.ErrRead}
}

// headerProblems finds empty and duplicate names in the header row.
// Duplicates compare case-insensitively, as column mapping does.
func (t *table) headerProblems() []*pbx.Problem {
	var probs []*pbx.Problem
	first := make(map[string]int, len(t.headers))
	for i, h := range t.headers {
		letter := pbx.ColumnLetter(i)
		if h == "" {
			probs = append(probs, t.problem(t.headerRow, i, pbx.SevWarning, CodeHeaderEmpty, "",
				fmt.Sprintf("column %s has no header; its values are not read", letter),
				fmt.Sprintf("type a name in cell %s%d, or delete the column if it holds nothing", letter, t.headerRow)))
			continue
		}
		key := foldKey(h)
		if j, dup := first[key]; dup {
			// A warning: harmless when no field reads the name (FreePBX's old
			// exports repeat busy_dest); mapping reports mapping.ambiguous, an
			// error, when one does.
			probs = append(probs, t.problem(t.headerRow, i, pbx.SevWarning, CodeHeaderDuplicate, h,
				fmt.Sprintf("header %q of column %s repeats column %s", h, letter, pbx.ColumnLetter(j)),
				"rename or delete one of the two columns so each header is unique"))
			continue
		}
		first[key] = i
	}
	return probs
}
