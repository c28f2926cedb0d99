package report

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/roster"
)

// Annotation is what Annotate writes into a copy of a roster.
type Annotation struct {
	// Read says how the roster was read: sheet, header row, delimiter and
	// encoding; the same roster.Options as for the check, so that the rows
	// of Lines are the rows of the file.
	Read roster.Options
	// Lines is the per-row report: each line's row gets its status and
	// messages in the Status and Errors columns, and the cells its messages
	// point at are marked.
	Lines []Line
	// Problems are marked on their cells too: those on no row of Lines,
	// such as the header's (a duplicate or empty column name). May be nil.
	Problems []*pbx.Problem
}

// Headers of the columns Annotate adds; "pbxsync Status" and "pbxsync
// Errors" when the roster has a column of either name already.
const (
	StatusHeader = "Status"
	ErrorsHeader = "Errors"
)

// Annotate writes to dst a copy of the roster at src (CSV or XLSX, as the
// user gave it) with two columns added after the last used column of the
// table, Status and Errors, holding each row's status and messages, so the
// people who filled in the roster fix the sheet they know and submit it
// again. In a workbook the cells a message points at are filled (red for
// an error, yellow for a warning) and carry a comment with the problem and
// how to fix it.
//
// Everything else is kept: in a workbook the title rows, the other sheets,
// cell values, formats and styles (a marked cell keeps its style, with the
// fill added); in a CSV file the bytes of every record, the delimiter, the
// line ends, the encoding and its byte order mark. The columns go after the
// last column any row of the table uses, so no value is overwritten; when
// the header already ends with Status and Errors (an annotated roster
// submitted again), those columns are rewritten instead.
//
// dst must have src's extension and must not be src (AnnotateTarget).
func Annotate(dst, src string, a Annotation) error {
	if err := AnnotateTarget(dst, src); err != nil {
		return err
	}
	rd, err := roster.Open(src, a.Read)
	if err != nil {
		return err
	}
	tab := table{sheet: rd.Sheet(), header: rd.HeaderRow(), marks: marksOf(a), rows: map[int]*Line{}}
	var enc string
	var delim rune
	if d, ok := rd.(roster.Detected); ok {
		enc, delim = d.Encoding(), d.Delimiter()
	}
	if err := rd.Close(); err != nil {
		return err
	}
	for i := range a.Lines {
		if l := &a.Lines[i]; l.Row > 0 {
			tab.rows[l.Row] = l
		}
	}
	switch strings.ToLower(filepath.Ext(src)) {
	case ".xlsx", ".xlsm":
		return annotateXLSX(dst, src, &tab)
	}
	return annotateCSV(dst, src, enc, delim, &tab)
}

// AnnotateTarget refuses dst as the annotated copy of the roster src
// when it has not src's extension or is src itself: what Annotate checks
// first, for a command to check before it reads the roster.
func AnnotateTarget(dst, src string) error {
	if strings.ToLower(filepath.Ext(dst)) != strings.ToLower(filepath.Ext(src)) {
		return fmt.Errorf("annotated roster %s: give it the extension of %s (%s)", dst, filepath.Base(src), filepath.Ext(src))
	}
	if same, err := samePath(dst, src); err != nil || same {
		if err == nil {
			err = fmt.Errorf("annotated roster %s: that is the roster itself; name a copy, e.g. %s", dst, AnnotatedName(src))
		}
		return err
	}
	return nil
}

// AnnotatedName is the name Annotate's copy gets by default:
// "site-survey.xlsx" -> "site-survey.annotated.xlsx", beside the roster.
func AnnotatedName(src string) string {
	ext := filepath.Ext(src)
	return strings.TrimSuffix(src, ext) + ".annotated" + ext
}

// table is what Annotate knows of the roster's table.
type table struct {
	sheet  string
	header int           // header row as the user sees it
	rows   map[int]*Line // by row
	marks  map[cellRef][]Message
}

type cellRef struct{ row, col int } // col 0-based

// marksOf gathers the messages that point at a cell, by cell, each once.
func marksOf(a Annotation) map[cellRef][]Message {
	marks := map[cellRef][]Message{}
	add := func(ref cellRef, m Message) {
		for _, have := range marks[ref] {
			if have.Code == m.Code && have.Message == m.Message {
				return
			}
		}
		marks[ref] = append(marks[ref], m)
	}
	for _, l := range a.Lines {
		for _, m := range l.Messages {
			if m.Column == "" {
				continue
			}
			col, err := excelize.ColumnNameToNumber(m.Column)
			row := m.row
			if row == 0 {
				row = l.Row
			}
			if err != nil || row <= 0 {
				continue
			}
			add(cellRef{row, col - 1}, m)
		}
	}
	for _, p := range a.Problems {
		if p.Cell.Row > 0 && p.Cell.Col >= 0 {
			add(cellRef{p.Cell.Row, p.Cell.Col}, messageOf(p))
		}
	}
	return marks
}

// sortedRefs lists the marked cells in sheet order.
func (t *table) sortedRefs() []cellRef {
	refs := make([]cellRef, 0, len(t.marks))
	for r := range t.marks {
		refs = append(refs, r)
	}
	sort.Slice(refs, func(i, j int) bool {
		if refs[i].row != refs[j].row {
			return refs[i].row < refs[j].row
		}
		return refs[i].col < refs[j].col
	})
	return refs
}

// errorsText is the Errors cell of a line: its messages, warnings marked.
func errorsText(l *Line, sep string) string {
	parts := make([]string, len(l.Messages))
	for i, m := range l.Messages {
		parts[i] = m.String()
		if m.Severity == pbx.SevWarning {
			parts[i] = "warning: " + parts[i]
		}
	}
	return strings.Join(parts, sep)
}

// commentText is the comment on a marked cell: each problem and its fix.
func commentText(ms []Message) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString("\n")
		}
		if m.Severity == pbx.SevWarning {
			b.WriteString("warning: ")
		}
		b.WriteString(m.Code + ": " + m.Message)
		if m.Hint != "" {
			b.WriteString("\nfix: " + m.Hint)
		}
	}
	return b.String()
}

// isReuse reports whether a header's last two names are the Status and
// Errors columns of an earlier annotation, and where they start.
func isReuse(headers []string) (int, bool) {
	n := len(headers)
	for n > 0 && strings.TrimSpace(headers[n-1]) == "" {
		n--
	}
	if n < 3 {
		return 0, false
	}
	s, e := roster.Clean(headers[n-2]), roster.Clean(headers[n-1])
	for _, p := range []string{"", altPrefix} {
		if strings.EqualFold(s, p+StatusHeader) && strings.EqualFold(e, p+ErrorsHeader) {
			return n - 2, true
		}
	}
	return 0, false
}

// altPrefix starts the names of the added columns when the roster has a
// Status or Errors column of its own.
const altPrefix = "pbxsync "

// columnNames are the headers of the added columns: Status and Errors,
// unless the roster uses one of the names before col (the added columns).
func columnNames(headers []string, col int) (status, errs string) {
	for _, h := range headers[:min(col, len(headers))] {
		h = roster.Clean(h)
		if strings.EqualFold(h, StatusHeader) || strings.EqualFold(h, ErrorsHeader) {
			return altPrefix + StatusHeader, altPrefix + ErrorsHeader
		}
	}
	return StatusHeader, ErrorsHeader
}

// bad reports whether a status needs someone's attention.
func bad(s string) bool {
	switch s {
	case "invalid", "conflict", "failed":
		return true
	}
	return false
}
