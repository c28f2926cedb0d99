package roster

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pbxsync/pbxsync/pbx"
)

// maxStrayCols bounds the columns right of the table whose values are
// reported (once each).
const maxStrayCols = 1 << 14 // Excel's column limit

// headerScan is how many non-empty rows are read ahead to find the header
// row when it is not given.
const headerScan = 32

// rawRow is one row as a source yields it, before cleaning.
type rawRow struct {
	row, end int      // first and last line it spans (XLSX: both the sheet row)
	cells    []string // may be reused by the source on its next call
	numeric  []uint64 // the cells stored as numbers (see Record.Numeric); may be reused too
}

// source yields the rows of one file; the table turns them into records.
type source interface {
	next() (rawRow, error) // io.EOF at the end; other errors are *Error
	close() error
}

// table is the Reader shared by CSV and XLSX: it finds the header row and
// turns the rows below it into records.
type table struct {
	file, sheet string
	src         source

	// What the source needs checked.
	ragged    bool // report rows with more or fewer cells than the header (CSV)
	checkUTF8 bool // report cells that are not valid UTF-8 (CSV read as UTF-8)
	encoding  string
	delim     rune

	headers   []string
	headerRow int
	width     int    // columns up to the last named header: the table proper
	strays    []bool // columns right of the table already reported (cell.unheaded, once each)
	hprobs    []*pbx.Problem
	pending   []rawRow  // rows read ahead while finding the header, replayed first
	err       error     // sticky error
	closer    io.Closer // closed by Close after the source
}

// start finds the header row (given or by rule) and records it.
func (t *table) start(headerRow int) error {
	var hdr rawRow
	var err error
	if headerRow > 0 {
		hdr, err = t.givenHeader(headerRow)
	} else {
		hdr, err = t.findHeader()
	}
	if err != nil {
		return err
	}
	t.headerRow = hdr.row
	t.headers = make([]string, len(hdr.cells))
	for i, c := range hdr.cells {
		t.headers[i] = Clean(c)
		if t.headers[i] != "" {
			t.width = i + 1
		}
	}
	t.hprobs = t.headerProblems()
	return nil
}

// givenHeader skips to the row the user named as the header.
func (t *table) givenHeader(n int) (rawRow, error) {
	for {
		rr, err := t.src.next()
		if err == io.EOF {
			return rawRow{}, &Error{File: t.file, Sheet: t.sheet, Msg: fmt.Sprintf("header row %d is past the end of the data", n),
				Hint: "give the row number of the header as the spreadsheet shows it"}
		}
		if err != nil {
			return rawRow{}, err
		}
		if rr.row < n || isEmpty(rr.cells) {
			if rr.end >= n && rr.row < n {
				return rawRow{}, &Error{File: t.file, Sheet: t.sheet, Row: n, Msg: fmt.Sprintf("header row %d is inside a multi-line cell that starts at row %d", n, rr.row),
					Hint: "give the row number where the header row starts"}
			}
			continue
		}
		if rr.row > n {
			return rawRow{}, &Error{File: t.file, Sheet: t.sheet, Row: n, Msg: fmt.Sprintf("header row %d is empty", n),
				Hint: fmt.Sprintf("the next non-empty row is %d; give the row number of the header", rr.row)}
		}
		return copyRow(rr), nil
	}
}

// findHeader applies the rule: the header is the first row with at least
// two non-empty cells whose next row is not empty (title rows above it are
// skipped). If no row within headerScan rows fits, the first row with two
// non-empty cells, else the first non-empty row, is the header. Rows read
// ahead after the header are kept for Next.
func (t *table) findHeader() (rawRow, error) {
	var buf []rawRow
	found := -1
	for len(buf) < headerScan {
		rr, err := t.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rawRow{}, err
		}
		if isEmpty(rr.cells) {
			continue
		}
		buf = append(buf, copyRow(rr))
		if n := len(buf); n >= 2 {
			prev := buf[n-2]
			if filled(prev.cells) >= 2 && rr.row == prev.end+1 {
				found = n - 2
				break
			}
		}
	}
	if found < 0 {
		for i, rr := range buf {
			if filled(rr.cells) >= 2 {
				found = i
				break
			}
		}
	}
	if found < 0 && len(buf) > 0 {
		found = 0
	}
	if found < 0 {
		what := "file"
		if t.sheet != "" {
			what = "sheet"
		}
		return rawRow{}, &Error{File: t.file, Sheet: t.sheet, Msg: "no header row: the " + what + " is empty",
			Hint: "check that this is the right " + what + "; the first row should name the columns"}
	}
	t.pending = buf[found+1:]
	return buf[found], nil
}

// copyRow copies a row whose cells the source may reuse, cleaning them.
func copyRow(rr rawRow) rawRow {
	cells := make([]string, len(rr.cells))
	for i, c := range rr.cells {
		cells[i] = strings.Clone(Clean(c))
	}
	rr.cells = cells
	rr.numeric = slices.Clone(rr.numeric)
	return rr
}

// filled counts the non-empty cells of a row.
func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if Clean(c) != "" {
			n++
		}
	}
	return n
}

// isEmpty reports whether every cell of a row is empty once cleaned.
func isEmpty(cells []string) bool {
	for _, c := range cells {
		if Clean(c) != "" {
			return false
		}
	}
	return true
}

func (t *table) File() string                   { return t.file }
func (t *table) Sheet() string                  { return t.sheet }
func (t *table) Headers() []string              { return t.headers }
func (t *table) HeaderRow() int                 { return t.headerRow }
func (t *table) HeaderProblems() []*pbx.Problem { return t.hprobs }

// Next returns the next non-empty row below the header.
func (t *table) Next() (Record, error) {
	if t.err != nil {
		return Record{}, t.err
	}
	for {
		var rr rawRow
		if len(t.pending) > 0 {
			rr, t.pending = t.pending[0], t.pending[1:]
		} else {
			var err error
			if rr, err = t.src.next(); err != nil {
				var re *Error
				if err != io.EOF && !errors.As(err, &re) {
					err = &Error{File: t.file, Sheet: t.sheet, Msg: "cannot read the file", Err: err}
				}
				t.err = err
				return Record{}, err
			}
		}
		if rec, ok := t.record(rr); ok {
			return rec, nil
		}
	}
}

// record turns a row into a record; false when the row is wholly empty.
func (t *table) record(rr rawRow) (Record, bool) {
	n := len(t.headers)
	rec := Record{Row: rr.row, Values: make([]string, n)}
	nonEmpty := false
	extra, firstExtra := 0, ""
	for i, c := range rr.cells {
		if c = Clean(c); c == "" {
			continue
		}
		nonEmpty = true
		if t.checkUTF8 && !utf8.ValidString(c) {
			rec.Problems = append(rec.Problems, t.encodingProblem(rr.row, i, c))
			c = strings.ToValidUTF8(c, "\ufffd")
		}
		switch {
		case i >= n && t.ragged:
			if extra == 0 {
				firstExtra = c
			}
			extra++
		case i >= t.width:
			// Right of the table (past the last named header): a note, or the
			// overflow of a value that held the delimiter in a column no one
			// reads (FreePBX's voicemail_options). Said once per column.
			if p := t.strayProblem(rr.row, i, c); p != nil {
				rec.Problems = append(rec.Problems, p)
			}
		case t.headers[i] == "":
			// Inside the table: a column whose header was forgotten.
			rec.Problems = append(rec.Problems, t.unheadedProblem(rr.row, i, c))
		default:
			rec.Values[i] = c
		}
	}
	if !nonEmpty {
		return Record{}, false
	}
	for _, w := range rr.numeric {
		if w != 0 {
			rec.Numeric = slices.Clone(rr.numeric)
			break
		}
	}
	if t.ragged && len(rr.cells) != n {
		rec.Problems = append(rec.Problems, t.raggedProblem(rr.row, rr.cells, extra, firstExtra))
	}
	return rec, true
}

func (t *table) encodingProblem(row, col int, v string) *pbx.Problem {
	return t.problem(row, col, pbx.SevError, CodeCellEncoding, v,
		fmt.Sprintf("cell %s%d is not valid %s text", pbx.ColumnLetter(col), row, t.encoding),
		"save the file as \"CSV UTF-8\", or give its encoding (for example windows-1252)")
}

func (t *table) unheadedProblem(row, col int, v string) *pbx.Problem {
	letter := pbx.ColumnLetter(col)
	return t.problem(row, col, pbx.SevError, CodeCellUnheaded, v,
		fmt.Sprintf("cell %s%d has a value but column %s has no header; the value is not read", letter, row, letter),
		fmt.Sprintf("type a header in cell %s%d, or clear the stray value", letter, t.headerRow))
}

// strayProblem reports the first value in a column right of the table, and
// nil for the later ones: the user needs to hear of the column once, not on
// every row.
func (t *table) strayProblem(row, col int, v string) *pbx.Problem {
	if col < len(t.strays) && t.strays[col] {
		return nil
	}
	if col >= len(t.strays) {
		if col >= maxStrayCols {
			return nil // a sheet this wide has bigger problems; the header says so
		}
		t.strays = append(t.strays, make([]bool, col+1-len(t.strays))...)
	}
	t.strays[col] = true
	letter := pbx.ColumnLetter(col)
	return t.problem(row, col, pbx.SevWarning, CodeCellUnheaded, v,
		fmt.Sprintf("column %s, right of the last named column, has no header but holds values (the first in %s%d); they are not read", letter, letter, row),
		fmt.Sprintf("type a header in cell %s%d if the column matters; otherwise nothing needs doing", letter, t.headerRow))
}

func (t *table) raggedProblem(row int, cells []string, extra int, firstExtra string) *pbx.Problem {
	n := len(t.headers)
	if len(cells) < n {
		if i := t.runTogether(cells); i >= 0 {
			return t.problem(row, i, pbx.SevError, CodeRowRagged, cells[i],
				fmt.Sprintf("row has %d cells but the header has %d: a quote in cell %s%d is not closed the CSV way, so the cells after it ran together",
					len(cells), n, pbx.ColumnLetter(i), row),
				`in CSV a quote inside a quoted value is doubled ("say ""hi""" ), not escaped with a backslash; fix the quotes on this row`)
		}
		return t.problem(row, -1, pbx.SevWarning, CodeRowRagged, "",
			fmt.Sprintf("row has %d cells but the header has %d; the missing cells %s..%s are read as empty",
				len(cells), n, pbx.ColumnLetter(len(cells)), pbx.ColumnLetter(n-1)),
			"check that no value on this row is missing or merged with the one before it")
	}
	if extra == 0 {
		return t.problem(row, -1, pbx.SevWarning, CodeRowRagged, "",
			fmt.Sprintf("row has %d cells but the header has %d; the extra cells are empty and ignored", len(cells), n),
			"remove the trailing delimiters from this row")
	}
	hint := "a value probably contains the delimiter: put that value in double quotes, or remove the extra cells"
	if hasSmartQuotes(cells) {
		hint = "a value in typographic quotes (“…”) holds the delimiter: CSV needs straight double quotes (\"…\") around it"
	}
	return t.problem(row, -1, pbx.SevError, CodeRowRagged, firstExtra,
		fmt.Sprintf("row has %d cells but the header has %d; %d value(s) past column %s are in no column",
			len(cells), n, extra, pbx.ColumnLetter(n-1)),
		hint)
}

// runTogether returns the first cell of a short CSV row that holds a quote
// and the delimiter or a line break: what a quote that was never closed (or
// was escaped with a backslash, `\"`) leaves behind. -1 when none does.
func (t *table) runTogether(cells []string) int {
	if t.delim == 0 {
		return -1
	}
	for i, c := range cells {
		if strings.IndexByte(c, '"') >= 0 && (strings.ContainsRune(c, t.delim) || strings.IndexByte(c, '\n') >= 0) {
			return i
		}
	}
	return -1
}

// hasSmartQuotes reports whether a cell starts or ends with a typographic
// double quote, as word processors and spreadsheets put them.
func hasSmartQuotes(cells []string) bool {
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if strings.HasPrefix(c, "“") || strings.HasPrefix(c, "„") || strings.HasPrefix(c, "”") ||
			strings.HasSuffix(c, "”") || strings.HasSuffix(c, "“") {
			return true
		}
	}
	return false
}

// Close releases the file and any temporary files.
func (t *table) Close() error {
	err := t.src.close()
	if t.closer != nil {
		if cerr := t.closer.Close(); err == nil {
			err = cerr
		}
		t.closer = nil
	}
	return err
}

// foldKey is the form under which header names are compared.
func foldKey(h string) string { return strings.ToLower(h) }
