package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/roster"
)

// wantDemo is what the demo roster's rows get (rows of the CSV file; the
// workbook's are two further down, under a title and a blank row): the
// status, and for an invalid row the problem code and its column.
var wantDemo = map[int]struct{ status, code, col string }{
	2:  {"created", "", ""},
	3:  {"created", "", ""},
	4:  {"created", "", ""},
	5:  {"created", "", ""},
	6:  {"created", "", ""},
	7:  {"invalid", "mac.multicast", "I"},
	8:  {"invalid", "number.invalid", "E"},
	9:  {"invalid", "extension.reserved", "F"},
	10: {"invalid", "duplicate.user_id", "D"},
	11: {"invalid", "number.unknown", "E"},
	12: {"invalid", "number.scientific", "E"},
	13: {"created", "", ""},
}

// planDemo runs the real pipeline (read, map, validate, plan) on a roster
// against the demo company.
func planDemo(t *testing.T, s importer.Store, path string) (*plan.Plan, *importer.Checked) {
	t.Helper()
	p, c, err := importer.Plan(context.Background(), s, importer.Source{Path: path}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, c
}

func annotate(t *testing.T, src string, p *plan.Plan, c *importer.Checked) string {
	t.Helper()
	dst := report.AnnotatedName(filepath.Join(t.TempDir(), filepath.Base(src)))
	if err := report.Annotate(dst, src, report.Annotation{Lines: report.Lines(p), Problems: c.Problems}); err != nil {
		t.Fatal(err)
	}
	return dst
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAnnotateXLSX annotates the demo workbook (given a second sheet and a
// formatted cell, as site teams' workbooks have) with the problems the
// pipeline finds, and reads the copy back with excelize.
func TestAnnotateXLSX(t *testing.T) {
	const sheet = "Site survey"
	src := filepath.Join(t.TempDir(), "onboarding.xlsx")
	copyFile(t, filepath.Join(demo, "onboarding.xlsx"), src)
	f, err := excelize.OpenFile(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.NewSheet("Notes")
	must(t, err)
	must(t, f.SetCellValue("Notes", "A1", "Survey done on"))
	must(t, f.SetCellValue("Notes", "B1", 45731.5))
	custom := "yyyy-mm-dd hh:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	must(t, err)
	must(t, f.SetCellStyle("Notes", "B1", "B1", dateStyle))
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}})
	must(t, err)
	must(t, f.SetCellStyle(sheet, "A3", "O3", bold)) // the header, bold with a border
	must(t, f.SetCellStyle(sheet, "I9", "I9", bold)) // the bad MAC cell, styled: keeps its style under the fill
	must(t, f.AddComment(sheet, excelize.Comment{Cell: "E10", Author: "Site lead", Text: "Frank's number: check with HR"}))
	must(t, f.Save())
	must(t, f.Close())

	s := demoStore(t)
	p, c := planDemo(t, s, src)
	dst := annotate(t, src, p, c)

	orig, err := excelize.OpenFile(src)
	must(t, err)
	defer orig.Close()
	got, err := excelize.OpenFile(dst)
	must(t, err)
	defer got.Close()

	if l := got.GetSheetList(); strings.Join(l, "|") != sheet+"|Notes" {
		t.Errorf("sheets %v, want [%s Notes]", l, sheet)
	}
	if v, _ := got.GetCellValue("Notes", "B1"); v != "2025-03-15 12:00" {
		t.Errorf("Notes!B1 = %q, want the date as formatted before", v)
	}
	if v, _ := got.GetCellValue(sheet, "A1"); v != "Acme Corp - San Francisco HQ - phone site survey" {
		t.Errorf("the title row changed: A1 = %q", v)
	}

	// Every cell of the original table is as it was, value and style, but
	// for the fill of the marked cells.
	marked := map[string]bool{}
	for row, w := range wantDemo {
		if w.col != "" {
			marked[fmt.Sprintf("%s%d", w.col, row+2)] = true
		}
	}
	for r := 1; r <= 15; r++ {
		for col := 1; col <= 15; col++ {
			cell, _ := excelize.CoordinatesToCellName(col, r)
			ov, _ := orig.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			gv, _ := got.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
			if ov != gv {
				t.Errorf("%s: value %q became %q", cell, ov, gv)
			}
			ost, gs := style(t, orig, sheet, cell), style(t, got, sheet, cell)
			if marked[cell] {
				if len(gs.Fill.Color) != 1 || !strings.HasSuffix(strings.ToUpper(gs.Fill.Color[0]), "FFC7CE") || gs.Fill.Pattern != 1 {
					t.Errorf("%s: fill %+v, want solid FFC7CE", cell, gs.Fill)
				}
				gs.Fill = ost.Fill
			}
			if summary(ost) != summary(gs) {
				t.Errorf("%s: style %s became %s", cell, summary(ost), summary(gs))
			}
		}
	}

	// Status and Errors after the last column, O.
	for _, h := range []struct{ cell, want string }{{"P3", "Status"}, {"Q3", "Errors"}} {
		if v, _ := got.GetCellValue(sheet, h.cell); v != h.want {
			t.Errorf("%s = %q, want %q", h.cell, v, h.want)
		}
	}
	if s := style(t, got, sheet, "P3"); s.Font == nil || !s.Font.Bold {
		t.Error("the Status header does not look like the rest of the header (bold)")
	}
	comments, err := got.GetComments(sheet)
	must(t, err)
	byCell := map[string]excelize.Comment{}
	for _, c := range comments {
		byCell[c.Cell] = c
	}
	for row, w := range wantDemo {
		r := row + 2
		status, _ := got.GetCellValue(sheet, fmt.Sprintf("P%d", r))
		errs, _ := got.GetCellValue(sheet, fmt.Sprintf("Q%d", r))
		if status != w.status {
			t.Errorf("row %d: Status %q, want %q", r, status, w.status)
		}
		if w.code == "" {
			if errs != "" {
				t.Errorf("row %d: Errors %q, want none", r, errs)
			}
			continue
		}
		if !strings.HasPrefix(errs, w.col+" (") || !strings.Contains(errs, w.code+": ") {
			t.Errorf("row %d: Errors %q, want %s in column %s", r, errs, w.code, w.col)
		}
		if typ, _ := got.GetCellType(sheet, fmt.Sprintf("Q%d", r)); typ == excelize.CellTypeUnset {
			t.Errorf("row %d: Errors is not a string cell", r)
		}
		cell := fmt.Sprintf("%s%d", w.col, r)
		cm, ok := byCell[cell]
		if !ok {
			t.Errorf("%s: no comment", cell)
			continue
		}
		text := commentText(cm)
		pr := problemAt(c, r, w.code)
		if pr == nil {
			t.Fatalf("row %d: the pipeline found no %s", r, w.code)
		}
		if !strings.Contains(text, w.code+": "+pr.Message) || (pr.Hint != "" && !strings.Contains(text, "fix: "+pr.Hint)) {
			t.Errorf("%s: comment %q lacks the problem %q and its fix %q", cell, text, pr.Message, pr.Hint)
		}
	}
	if s := style(t, got, sheet, "P9"); len(s.Fill.Color) == 0 {
		t.Error("the Status of an invalid row is not filled")
	}
	if s := style(t, got, sheet, "P4"); len(s.Fill.Color) != 0 {
		t.Error("the Status of a created row is filled")
	}
	// The site lead's comment is kept, pbxsync's problem after it.
	if cm := byCell["E10"]; cm.Author != "Site lead" || !strings.HasPrefix(commentText(cm), "Frank's number: check with HR") ||
		!strings.Contains(commentText(cm), "number.invalid") {
		t.Errorf("E10's comment %+v: want the site lead's text, then pbxsync's", cm)
	}

	// The annotated workbook reads and checks as the original did: the new
	// columns are ignored, the same problems on the same cells.
	_, again := planDemo(t, s, dst)
	if !sameProblems(c, again) {
		t.Errorf("the annotated workbook checks differently:\n%s\nwant\n%s", problemList(again), problemList(c))
	}
	if strings.Join(again.Unknown, "|") != "Status|Errors" {
		t.Errorf("columns ignored in the annotated workbook: %v, want Status and Errors", again.Unknown)
	}
}

// TestAnnotateXLSXAgain fixes the MAC in an annotated workbook and
// annotates it again: the columns are reused, the fixed cell loses its
// fill and comment, the others keep theirs.
func TestAnnotateXLSXAgain(t *testing.T) {
	const sheet = "Site survey"
	s := demoStore(t)
	src := filepath.Join(demo, "onboarding.xlsx")
	p, c := planDemo(t, s, src)
	first := annotate(t, src, p, c)

	f, err := excelize.OpenFile(first)
	must(t, err)
	must(t, f.SetCellValue(sheet, "I9", "80:5E:C0:11:22:06"))
	must(t, f.Save())
	must(t, f.Close())

	p, c = planDemo(t, s, first)
	second := filepath.Join(t.TempDir(), "onboarding.annotated.xlsx")
	must(t, report.Annotate(second, first, report.Annotation{Lines: report.Lines(p), Problems: c.Problems}))
	got, err := excelize.OpenFile(second)
	must(t, err)
	defer got.Close()
	rows, _ := got.GetRows(sheet)
	if len(rows[2]) != 17 {
		t.Errorf("header %v: want 17 columns (Status and Errors reused)", rows[2])
	}
	if v, _ := got.GetCellValue(sheet, "P9"); v != "created" {
		t.Errorf("the fixed row's Status is %q, want created", v)
	}
	if v, _ := got.GetCellValue(sheet, "Q9"); v != "" {
		t.Errorf("the fixed row's Errors is %q, want empty", v)
	}
	if s := style(t, got, sheet, "I9"); len(s.Fill.Color) != 0 {
		t.Errorf("the fixed cell keeps its fill %+v", s.Fill)
	}
	comments, _ := got.GetComments(sheet)
	cells := map[string]bool{}
	for _, cm := range comments {
		cells[cm.Cell] = true
	}
	if cells["I9"] || !cells["E10"] || !cells["F11"] {
		t.Errorf("comments on %v: want none on I9, one on E10 and F11", cells)
	}
}

// TestAnnotateCSV annotates the demo CSV roster: every line as it was,
// then its Status and Errors; read back, it checks as the original did.
func TestAnnotateCSV(t *testing.T) {
	s := demoStore(t)
	src := filepath.Join(demo, "onboarding.csv")
	p, c := planDemo(t, s, src)
	dst := annotate(t, src, p, c)
	b, err := os.ReadFile(dst)
	must(t, err)
	orig, err := os.ReadFile(src)
	must(t, err)
	ol, gl := lines(string(orig)), lines(string(b))
	if len(ol) != len(gl) {
		t.Fatalf("%d lines, want %d", len(gl), len(ol))
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	must(t, err)
	origRecs, err := csv.NewReader(bytes.NewReader(orig)).ReadAll()
	must(t, err)
	for i, or := range origRecs {
		// every cell as it was, neutralised as every CSV pbxsync writes
		for j, v := range or {
			if recs[i][j] != report.SafeCell(v) {
				t.Errorf("line %d, field %d: %q, want %q", i+1, j+1, recs[i][j], report.SafeCell(v))
			}
		}
	}
	if h := recs[0][15:]; len(h) != 2 || h[0] != "Status" || h[1] != "Errors" {
		t.Errorf("new header cells %q", h)
	}
	for row, w := range wantDemo {
		rec := recs[row-1]
		if rec[15] != w.status {
			t.Errorf("row %d: Status %q, want %q", row, rec[15], w.status)
		}
		if w.code == "" && rec[16] != "" || w.code != "" && (!strings.HasPrefix(rec[16], w.col+" (") || !strings.Contains(rec[16], w.code+": ")) {
			t.Errorf("row %d: Errors %q, want %q in column %q", row, rec[16], w.code, w.col)
		}
	}
	_, again := planDemo(t, s, dst)
	if !sameProblems(c, again) {
		t.Errorf("the annotated roster checks differently:\n%s\nwant\n%s", problemList(again), problemList(c))
	}
}

// TestAnnotateCSVLayout keeps what the file is made of: a byte order mark,
// the "sep=" line, a title, ";" as the delimiter, every field quoted, CRLF
// line ends, a field over two lines, an empty line and a short row.
func TestAnnotateCSVLayout(t *testing.T) {
	in := "\xEF\xBB\xBFsep=;\r\n" +
		"Acme site survey;;\r\n" +
		"\"User ID\";\"First Name\";\"Note\"\r\n" +
		"\"ann@acme.example\";\"Ann\";\"desk by the\r\nwindow\"\r\n" +
		"\r\n" +
		"\"bob@acme.example\";\"=Bob\"\r\n" +
		"\"cat@acme.example\";\"Cat\";\"\"\r\n"
	lines := []report.Line{
		{Row: 4, Key: "ann@acme.example", Status: plan.StatusCreated},
		{Row: 6, Key: "bob@acme.example", Status: plan.StatusInvalid, Messages: messages(pbx.Problem{
			Cell: pbx.Cell{Row: 6, Col: 1, Header: "First Name"}, Code: "name.formula", Value: "=Bob",
			Message: `"=Bob" looks like a formula`, Hint: "write the name as text"})},
		{Row: 7, Key: "cat@acme.example", Status: plan.StatusUnchanged}, // rows as a spreadsheet counts them: the note's line break is no row
	}
	want := "\xEF\xBB\xBFsep=;\r\n" +
		"Acme site survey;;\r\n" +
		"\"User ID\";\"First Name\";\"Note\";\"Status\";\"Errors\"\r\n" +
		"\"ann@acme.example\";\"Ann\";\"desk by the\r\nwindow\";\"created\";\"\"\r\n" +
		"\r\n" +
		"\"bob@acme.example\";\"'=Bob\";;\"invalid\";\"B (First Name) name.formula: \"\"=Bob\"\" looks like a formula (fix: write the name as text)\"\r\n" +
		"\"cat@acme.example\";\"Cat\";\"\";\"unchanged\";\"\"\r\n"
	got := annotateText(t, "survey.csv", []byte(in), lines)
	if string(got) != want {
		t.Errorf("annotated:\n%q\nwant\n%q", got, want)
	}
	// It reads back as the roster it was, plus two columns.
	rd, err := roster.NewCSV(bytes.NewReader(got), "survey.csv", roster.Options{})
	must(t, err)
	if h := strings.Join(rd.Headers(), "|"); h != "User ID|First Name|Note|Status|Errors" {
		t.Errorf("headers %s", h)
	}
	var recs []roster.Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		recs = append(recs, rec)
	}
	if len(recs) != 3 || recs[0].Row != 4 || recs[0].Values[2] != "desk by the\nwindow" || recs[1].Row != 6 || recs[1].Values[3] != "invalid" {
		t.Errorf("annotated roster reads back as %+v", recs)
	}
}

// TestAnnotateCSVEncodings writes the copy in the original's encoding.
func TestAnnotateCSVEncodings(t *testing.T) {
	lines := []report.Line{{Row: 2, Key: "zoe@acme.example", Status: plan.StatusInvalid, Messages: messages(pbx.Problem{
		Cell: pbx.Cell{Row: 2, Col: 2, Header: "Extension"}, Code: "extension.invalid", Value: "x1", Message: `"x1" is not an extension`})}}
	plain := "User ID,Name,Extension\nzoe@acme.example,Zoë,x1\n"
	wantPlain := "User ID,Name,Extension,Status,Errors\nzoe@acme.example,Zoë,x1,invalid,\"C (Extension) extension.invalid: \"\"x1\"\" is not an extension\"\n"

	t.Run("windows-1252", func(t *testing.T) {
		in, err := charmap.Windows1252.NewEncoder().Bytes([]byte(plain))
		must(t, err)
		want, err := charmap.Windows1252.NewEncoder().Bytes([]byte(wantPlain))
		must(t, err)
		if got := annotateText(t, "hr.csv", in, lines); !bytes.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("utf-16le", func(t *testing.T) {
		enc := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
		in, err := enc.Bytes([]byte(plain))
		must(t, err)
		want, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(wantPlain))
		must(t, err)
		if got := annotateText(t, "hr.csv", in, lines); !bytes.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
	t.Run("utf-8 no BOM, tab, ragged", func(t *testing.T) {
		in := "User ID\tName\tExtension\nzoe@acme.example\tZoë\tx1\tstray note\n"
		want := "User ID\tName\tExtension\t\tStatus\tErrors\n" +
			"zoe@acme.example\tZoë\tx1\tstray note\tinvalid\t\"C (Extension) extension.invalid: \"\"x1\"\" is not an extension\"\n"
		if got := annotateText(t, "hr.tsv", []byte(in), lines); string(got) != want {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func TestAnnotateRefuses(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "r.csv")
	must(t, os.WriteFile(src, []byte("User ID\nann@acme.example\n"), 0o644))
	if err := report.Annotate(src, src, report.Annotation{}); err == nil {
		t.Error("Annotate overwrote the roster itself")
	}
	if err := report.Annotate(filepath.Join(dir, "r.xlsx"), src, report.Annotation{}); err == nil {
		t.Error("Annotate wrote a CSV roster to an .xlsx file")
	}
	if got := report.AnnotatedName("in/site survey.xlsx"); got != "in/site survey.annotated.xlsx" {
		t.Errorf("AnnotatedName = %q", got)
	}
}

func annotateText(t *testing.T, name string, in []byte, lines []report.Line) []byte {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, name)
	must(t, os.WriteFile(src, in, 0o644))
	dst := report.AnnotatedName(src)
	must(t, report.Annotate(dst, src, report.Annotation{Lines: lines}))
	got, err := os.ReadFile(dst)
	must(t, err)
	return got
}

// messages turns problems into a line's messages, as Lines does.
func messages(ps ...pbx.Problem) []report.Message {
	p := &plan.Plan{}
	rp := plan.RowPlan{Line: ps[0].Cell.Row}
	for i := range ps {
		if ps[i].Severity == "" {
			ps[i].Severity = pbx.SevError
		}
		rp.Problems = append(rp.Problems, &ps[i])
	}
	p.Rows = []plan.RowPlan{rp}
	return report.Lines(p)[0].Messages
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func style(t *testing.T, f *excelize.File, sheet, cell string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	must(t, err)
	s, err := f.GetStyle(id)
	must(t, err)
	return s
}

// summary is what a style shows, for comparison.
func summary(s *excelize.Style) string {
	font := ""
	if s.Font != nil {
		font = fmt.Sprintf("bold=%v", s.Font.Bold)
	}
	custom := ""
	if s.CustomNumFmt != nil {
		custom = *s.CustomNumFmt
	}
	return fmt.Sprintf("numfmt=%d/%s font=%s border=%v fill=%v align=%v", s.NumFmt, custom, font, s.Border, s.Fill, s.Alignment)
}

func commentText(c excelize.Comment) string {
	s := c.Text
	for _, r := range c.Paragraph {
		s += r.Text
	}
	return s
}

func problemAt(c *importer.Checked, row int, code string) *pbx.Problem {
	for _, p := range c.Problems {
		if p.Cell.Row == row && p.Code == code {
			return p
		}
	}
	return nil
}

func problemList(c *importer.Checked) string {
	var b strings.Builder
	for _, p := range c.Problems {
		fmt.Fprintf(&b, "%d%s %s %s\n", p.Cell.Row, p.Cell.ColLetter(), p.Code, p.Value)
	}
	return b.String()
}

func sameProblems(a, b *importer.Checked) bool {
	return problemList(a) == problemList(b) && a.Total == b.Total && len(a.Invalid) == len(b.Invalid)
}

// TestAnnotateCSVAgain annotates an annotated roster: its Status and
// Errors columns are rewritten, not added again; a roster with a Status
// column of its own gets "pbxsync Status" and "pbxsync Errors".
func TestAnnotateCSVAgain(t *testing.T) {
	in := "User ID,Status\nann@acme.example,active\nbob@acme.example,leaver\n"
	bad := []report.Line{
		{Row: 2, Key: "ann@acme.example", Status: plan.StatusInvalid, Messages: messages(pbx.Problem{
			Cell: pbx.Cell{Row: 2, Col: 0, Header: "User ID"}, Code: "user_id.unknown", Message: "no such user"})},
		{Row: 3, Key: "bob@acme.example", Status: plan.StatusDeprovisioned},
	}
	first := annotateText(t, "hr.csv", []byte(in), bad)
	want := "User ID,Status,pbxsync Status,pbxsync Errors\n" +
		"ann@acme.example,active,invalid,A (User ID) user_id.unknown: no such user\n" +
		"bob@acme.example,leaver,deprovisioned,\n"
	if string(first) != want {
		t.Fatalf("first annotation:\n%s\nwant\n%s", first, want)
	}
	good := []report.Line{{Row: 2, Key: "ann@acme.example", Status: plan.StatusUpdated}}
	second := annotateText(t, "hr.annotated.csv", first, good)
	want = "User ID,Status,pbxsync Status,pbxsync Errors\n" +
		"ann@acme.example,active,updated,\n" +
		"bob@acme.example,leaver,,\n"
	if string(second) != want {
		t.Errorf("second annotation:\n%s\nwant\n%s", second, want)
	}
}

// TestAnnotateNeutralisesFormulas: the annotated copy runs nothing when it
// is opened. In a CSV copy every cell a spreadsheet would run as a formula
// gets the apostrophe report.SafeCell puts on --report's cells (an E.164
// number and a value that merely contains = stay as they are), and the
// copy reads back as the original values; a workbook copy carries no
// formula (<f>) of the input, in any sheet, only its last value as text.
func TestAnnotateNeutralisesFormulas(t *testing.T) {
	lines := []report.Line{{Row: 2, Key: "ann@acme.example", Status: plan.StatusCreated}}
	in := "User ID,First Name,Last Name,Note,Phone\n" +
		"ann@acme.example,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",+cmd|' /C calc'!A0,@SUM(1),+14155550101\n" +
		"bob@acme.example,-2+3,'Brien,a=1,\"=1+2\"\n"
	got := annotateText(t, "hr.csv", []byte(in), lines)
	recs, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
	must(t, err)
	want := [][]string{
		{"User ID", "First Name", "Last Name", "Note", "Phone", "Status", "Errors"},
		{"ann@acme.example", "'=HYPERLINK(\"http://evil.example\",\"x\")", "'+cmd|' /C calc'!A0", "'@SUM(1)", "+14155550101", "created", ""},
		{"bob@acme.example", "'-2+3", "'Brien", "a=1", "'=1+2", "", ""},
	}
	if fmt.Sprint(recs) != fmt.Sprint(want) {
		t.Errorf("annotated copy:\n%q\nwant\n%q", recs, want)
	}
	rd, err := roster.NewCSV(bytes.NewReader(got), "hr.csv", roster.Options{})
	must(t, err)
	orig, err := csv.NewReader(strings.NewReader(in)).ReadAll()
	must(t, err)
	for i := 1; ; i++ {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		must(t, err)
		for j, v := range orig[i] {
			if rec.Values[j] != v {
				t.Errorf("row %d column %d reads back as %q, want %q", i+1, j+1, rec.Values[j], v)
			}
		}
	}

	t.Run("xlsx", func(t *testing.T) {
		src := filepath.Join(t.TempDir(), "survey.xlsx")
		f := excelize.NewFile()
		must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"User ID", "First Name", "Last Name"}))
		must(t, f.SetSheetRow("Sheet1", "A2", &[]any{"ann@acme.example", "Ann", "Lee"}))
		must(t, f.SetCellFormula("Sheet1", "B2", `HYPERLINK("http://evil.example","Ann")`))
		must(t, f.SetSheetRow("Sheet1", "A3", &[]any{"bob@acme.example", "=Bob", "Kay"}))
		_, err := f.NewSheet("Totals")
		must(t, err)
		must(t, f.SetCellFormula("Totals", "A1", `WEBSERVICE("http://evil.example")`))
		must(t, f.SaveAs(src))
		must(t, f.Close())
		dst := report.AnnotatedName(src)
		must(t, report.Annotate(dst, src, report.Annotation{Lines: lines}))
		if n := countFormulas(t, src); n != 2 {
			t.Fatalf("the input has %d formulas, want 2", n)
		}
		if n := countFormulas(t, dst); n != 0 {
			t.Errorf("the annotated copy carries %d formulas of the input", n)
		}
		g, err := excelize.OpenFile(dst)
		must(t, err)
		defer g.Close()
		for _, c := range []struct{ sheet, cell string }{{"Sheet1", "B2"}, {"Totals", "A1"}} {
			if fm, _ := g.GetCellFormula(c.sheet, c.cell); fm != "" {
				t.Errorf("%s!%s keeps the formula %q", c.sheet, c.cell, fm)
			}
			if typ, _ := g.GetCellType(c.sheet, c.cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("%s!%s is of type %v, want a string cell", c.sheet, c.cell, typ)
			}
		}
		if v, _ := g.GetCellValue("Sheet1", "B3"); v != "=Bob" {
			t.Errorf("Sheet1!B3 = %q: a string cell is kept as it was", v)
		}
	})
}

// countFormulas counts the formula elements of a workbook's worksheets.
func countFormulas(t *testing.T, path string) int {
	t.Helper()
	z, err := zip.OpenReader(path)
	must(t, err)
	defer z.Close()
	n := 0
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := zf.Open()
		must(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		must(t, err)
		n += strings.Count(string(b), "<f>") + strings.Count(string(b), "<f ")
	}
	return n
}
