package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
)

// Fills of marked cells: Excel's own "Bad" and "Neutral" cell styles.
const (
	fillError   = "FFC7CE"
	fillWarning = "FFEB9C"
)

// CommentAuthor is the author of the comments Annotate adds.
const CommentAuthor = "pbxsync"

func annotateXLSX(dst, src string, t *table) error {
	f, err := excelize.OpenFile(src)
	if err != nil {
		return fmt.Errorf("annotating %s: %w", filepath.Base(src), err)
	}
	defer f.Close()
	if err := dropFormulas(f, src); err != nil {
		return fmt.Errorf("annotating %s: %w", filepath.Base(src), err)
	}
	x := &xlsxAnnotator{f: f, t: t, styles: map[styleKey]int{}}
	if err := x.run(); err != nil {
		return fmt.Errorf("annotating %s: %w", filepath.Base(src), err)
	}
	return saveXLSX(f, dst)
}

type xlsxAnnotator struct {
	f      *excelize.File
	t      *table
	styles map[styleKey]int // derived styles, by what they derive from
}

type styleKey struct {
	base int
	fill string
	text bool // Text number format and wrap: a cell Annotate writes
}

func (x *xlsxAnnotator) run() error {
	f, t := x.f, x.t
	rows, err := f.GetRows(t.sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	if t.header < 1 || t.header > len(rows) {
		return fmt.Errorf("sheet %q has no header row %d", t.sheet, t.header)
	}
	hdr := rows[t.header-1]
	col, reuse := isReuse(hdr)
	if !reuse {
		// after the last column any row of the table uses
		for _, r := range rows[t.header-1:] {
			for c := len(r) - 1; c >= col; c-- {
				if r[c] != "" {
					col = c + 1
					break
				}
			}
		}
	}
	statusCol, errorsCol := col+1, col+2 // 1-based

	// The header cells look like the header's last cell.
	lastHdr := 1
	for c := len(hdr); c >= 1; c-- {
		if hdr[c-1] != "" {
			lastHdr = c
			break
		}
	}
	hdrStyle, err := f.GetCellStyle(t.sheet, cellName(lastHdr, t.header))
	if err != nil {
		return err
	}
	sh, eh := columnNames(hdr, col)
	for i, h := range []string{sh, eh} {
		if err := x.setText(cellName(statusCol+i, t.header), h, hdrStyle, ""); err != nil {
			return err
		}
	}
	if !reuse {
		name, _ := excelize.ColumnNumberToName(statusCol)
		if err := f.SetColWidth(t.sheet, name, name, 14); err != nil {
			return err
		}
		name, _ = excelize.ColumnNumberToName(errorsCol)
		if err := f.SetColWidth(t.sheet, name, name, 70); err != nil {
			return err
		}
	}

	// Status and Errors of every row of the table, cleared where a row has
	// no line (an annotated roster annotated again).
	last := max(len(rows), t.lastRow())
	for r := t.header + 1; r <= last; r++ {
		l := t.rows[r]
		if l == nil {
			if reuse && r <= len(rows) && len(rows[r-1]) >= statusCol {
				for _, c := range []int{statusCol, errorsCol} {
					if err := x.setText(cellName(c, r), "", 0, ""); err != nil {
						return err
					}
				}
			}
			continue
		}
		fill := ""
		if bad(string(l.Status)) {
			fill = fillError
		}
		if err := x.setText(cellName(statusCol, r), string(l.Status), 0, fill); err != nil {
			return err
		}
		text := errorsText(l, "\n")
		if err := x.setText(cellName(errorsCol, r), text, 0, ""); err != nil {
			return err
		}
		if err := x.fitRow(r, errorsCol, text); err != nil {
			return err
		}
	}
	// The cells now reach the Errors column and the last row with a line.
	cols := errorsCol
	for _, r := range rows {
		cols = max(cols, len(r))
	}
	if err := f.SetSheetDimension(t.sheet, rangeRef(cols, last)); err != nil {
		return err
	}
	return x.mark()
}

// Row heights for wrapped text: Excel's default row is 15 points high for
// Calibri 11, and a row is at most 409 points.
const (
	lineHeight   = 15.0
	maxRowHeight = 409.0
)

// fitRow makes row r high enough for text wrapped in column col, so that
// printed and in LibreOffice (which does not grow a row by itself on
// opening) the Errors text stays in its row instead of spilling over the
// next ones. A row already higher is left.
func (x *xlsxAnnotator) fitRow(r, col int, text string) error {
	if text == "" {
		return nil
	}
	name, _ := excelize.ColumnNumberToName(col)
	width, err := x.f.GetColWidth(x.t.sheet, name)
	if err != nil {
		return err
	}
	perLine := max(int(width), 10) // characters of Calibri 11 in a line of the column, about
	lines := 0
	for part := range strings.SplitSeq(text, "\n") {
		lines += max(1, (utf8.RuneCountInString(part)+perLine-1)/perLine)
	}
	want := min(maxRowHeight, lineHeight*float64(lines))
	have, err := x.f.GetRowHeight(x.t.sheet, r)
	if err != nil {
		return err
	}
	if have >= want {
		return nil
	}
	return x.f.SetRowHeight(x.t.sheet, r, want)
}

// lastRow is the last row that has a line.
func (t *table) lastRow() int {
	n := 0
	for r := range t.rows {
		n = max(n, r)
	}
	return n
}

// setText writes s as a string cell with the Text number format, derived
// from style base (0: the default).
func (x *xlsxAnnotator) setText(cell, s string, base int, fill string) error {
	if err := x.f.SetCellStr(x.t.sheet, cell, s); err != nil {
		return err
	}
	id, err := x.style(styleKey{base: base, fill: fill, text: true})
	if err != nil {
		return err
	}
	return x.f.SetCellStyle(x.t.sheet, cell, cell, id)
}

// style returns the id of the style k derives from its base style.
func (x *xlsxAnnotator) style(k styleKey) (int, error) {
	if id, ok := x.styles[k]; ok {
		return id, nil
	}
	s, err := x.f.GetStyle(k.base)
	if err != nil {
		return 0, err
	}
	if k.fill != "" {
		s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{k.fill}}
	}
	if k.text {
		s.NumFmt, s.CustomNumFmt, s.DecimalPlaces = numFmtText, nil, nil
		if s.Alignment == nil {
			s.Alignment = &excelize.Alignment{}
		}
		s.Alignment.WrapText, s.Alignment.Vertical = true, "top"
	}
	id, err := x.f.NewStyle(s)
	if err != nil {
		return 0, err
	}
	x.styles[k] = id
	return id, nil
}

// mark fills every cell a message points at, keeping the rest of its
// style, and puts the problems in a comment on it.
func (x *xlsxAnnotator) mark() error {
	f, sheet := x.f, x.t.sheet
	comments, err := f.GetComments(sheet)
	if err != nil {
		return err
	}
	existing := map[string]excelize.Comment{}
	for _, c := range comments {
		existing[c.Cell] = c
	}
	if err := x.unmark(existing); err != nil {
		return err
	}
	for _, ref := range x.t.sortedRefs() {
		ms := x.t.marks[ref]
		cell := cellName(ref.col+1, ref.row)
		base, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			return err
		}
		fill := fillWarning
		for _, m := range ms {
			if m.Severity != pbx.SevWarning {
				fill = fillError
			}
		}
		id, err := x.style(styleKey{base: base, fill: fill})
		if err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
			return err
		}
		if err := x.comment(cell, commentText(ms), existing); err != nil {
			return err
		}
	}
	return nil
}

// comment puts text in the comment of cell. A comment pbxsync wrote before
// is replaced; someone else's is kept, with pbxsync's text after it.
func (x *xlsxAnnotator) comment(cell, text string, existing map[string]excelize.Comment) error {
	c := excelize.Comment{Cell: cell, Author: CommentAuthor, Width: 320,
		Height: uint(30 + 15*(strings.Count(text, "\n")+len(text)/50))}
	c.Paragraph = []excelize.RichTextRun{
		{Text: CommentAuthor + ":\n", Font: &excelize.Font{Bold: true}},
		{Text: text},
	}
	if old, ok := existing[cell]; ok {
		if err := x.f.DeleteComment(x.t.sheet, cell); err != nil {
			return err
		}
		if keep, _ := theirs(old); len(keep) > 0 {
			c.Author = old.Author
			c.Paragraph = append(append(keep, excelize.RichTextRun{Text: "\n"}), c.Paragraph...)
		}
	}
	return x.f.AddComment(x.t.sheet, c)
}

// theirs is the part of a comment someone else wrote: all of it but what
// pbxsync added after it in an earlier annotation.
// ours says whether pbxsync wrote any of it.
func theirs(c excelize.Comment) (runs []excelize.RichTextRun, ours bool) {
	if c.Author == CommentAuthor {
		return nil, true
	}
	runs = c.Paragraph
	if len(runs) == 0 && c.Text != "" {
		runs = []excelize.RichTextRun{{Text: c.Text}}
	}
	for i, r := range runs {
		if r.Text == CommentAuthor+":\n" {
			return runs[:max(i-1, 0)], true // and the line break before it
		}
	}
	return runs, false
}

// unmark takes away what an earlier annotation left on cells that have no
// problem now: pbxsync's comment, and its fill.
func (x *xlsxAnnotator) unmark(existing map[string]excelize.Comment) error {
	f, sheet := x.f, x.t.sheet
	for cell, c := range existing {
		col, row, err := excelize.CellNameToCoordinates(cell)
		if err != nil {
			continue
		}
		if _, marked := x.t.marks[cellRef{row, col - 1}]; marked {
			continue
		}
		keep, ours := theirs(c)
		if !ours {
			continue
		}
		if err := f.DeleteComment(sheet, cell); err != nil {
			return err
		}
		delete(existing, cell)
		if len(keep) > 0 {
			if err := f.AddComment(sheet, excelize.Comment{Cell: cell, Author: c.Author, Paragraph: keep}); err != nil {
				return err
			}
		}
		base, err := f.GetCellStyle(sheet, cell)
		if err != nil {
			return err
		}
		s, err := f.GetStyle(base)
		if err != nil {
			return err
		}
		if len(s.Fill.Color) == 1 && (isFill(s.Fill.Color[0], fillError) || isFill(s.Fill.Color[0], fillWarning)) {
			s.Fill = excelize.Fill{}
			id, err := f.NewStyle(s)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
				return err
			}
		}
	}
	return nil
}

func isFill(color, want string) bool { return strings.HasSuffix(strings.ToUpper(color), want) }

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// samePath reports whether two paths name the same file.
func samePath(a, b string) (bool, error) {
	aa, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	bb, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	if aa == bb {
		return true, nil
	}
	sa, err := os.Stat(a)
	if err != nil {
		return false, nil // dst does not exist yet
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
