package report_test

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/report"
)

// sheetXML is what a streaming reader relies on in a worksheet part.
type sheetXML struct {
	Dimension struct {
		Ref string `xml:"ref,attr"`
	} `xml:"dimension"`
	Cols []struct {
		Min int `xml:"min,attr"`
		Max int `xml:"max,attr"`
	} `xml:"cols>col"`
	Rows []struct {
		R     int     `xml:"r,attr"`
		Ht    float64 `xml:"ht,attr"`
		Cells []struct {
			R string `xml:"r,attr"`
		} `xml:"c"`
	} `xml:"sheetData>row"`
}

// readSheetXML decodes the worksheet part of sheet.
func readSheetXML(t *testing.T, path, part string) sheetXML {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != part {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		var s sheetXML
		if err := xml.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Fatalf("%s has no part %s", path, part)
	return sheetXML{}
}

// checkReadWhole checks what openpyxl's read-only mode needs to see every
// row of sheet: a <dimension ref> from A1 to the last column and row any
// cell uses, which excelize's streaming reader (Rows) then reads through;
// and what else a spreadsheet program expects: <col> in ascending order,
// the file mode 0644.
func checkReadWhole(t *testing.T, path, sheet string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("%s: mode %v, want -rw-r--r--", filepath.Base(path), st.Mode().Perm())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	part := ""
	for i, name := range f.GetSheetList() {
		if name == sheet {
			part = "xl/worksheets/sheet" + string(rune('1'+i)) + ".xml"
		}
	}
	s := readSheetXML(t, path, part)
	maxRow, maxCol := 0, 0
	for _, r := range s.Rows {
		if len(r.Cells) == 0 {
			continue
		}
		maxRow = max(maxRow, r.R)
		for _, c := range r.Cells {
			col, _, err := excelize.CellNameToCoordinates(c.R)
			if err != nil {
				t.Fatal(err)
			}
			maxCol = max(maxCol, col)
		}
	}
	want, _ := excelize.CoordinatesToCellName(maxCol, maxRow)
	if s.Dimension.Ref != "A1:"+want {
		t.Errorf("%s: <dimension ref=%q>, the cells reach A1:%s", filepath.Base(path), s.Dimension.Ref, want)
	}
	for i := 1; i < len(s.Cols); i++ {
		if s.Cols[i].Min <= s.Cols[i-1].Max {
			t.Errorf("%s: <col> entries out of order: %+v", filepath.Base(path), s.Cols)
			break
		}
	}
	// The streaming reader, bounded by the dimension as openpyxl is.
	_, dimRows, err := excelize.CellNameToCoordinates(strings.TrimPrefix(s.Dimension.Ref[strings.Index(s.Dimension.Ref, ":")+1:], ":"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for rows.Next() && seen < dimRows {
		if _, err := rows.Columns(); err != nil {
			t.Fatal(err)
		}
		seen++
	}
	rows.Close()
	if seen != maxRow {
		t.Errorf("%s: a streaming reader sees %d rows, the sheet has %d", filepath.Base(path), seen, maxRow)
	}
}

// TestWorkbooksReadWhole: every kind of XLSX pbxsync writes (the per-row
// report, the annotated roster, a generated roster) is read whole by a
// streaming reader, with ordered columns, mode 0644.
func TestWorkbooksReadWhole(t *testing.T) {
	dir := t.TempDir()
	rep := filepath.Join(dir, "report.xlsx")
	if err := report.WriteRowsFile(rep, report.Lines(fixturePlan(t))); err != nil {
		t.Fatal(err)
	}
	checkReadWhole(t, rep, "Report")

	st := demoStore(t)
	src := filepath.Join(dir, "onboarding.xlsx")
	copyFile(t, filepath.Join(demo, "onboarding.xlsx"), src)
	p, c := planDemo(t, st, src)
	checkReadWhole(t, annotate(t, src, p, c), "Site survey")

	ro, err := gen.RosterFromStore(context.Background(), st, gen.RosterSpec{Rows: 40, New: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	genPath := filepath.Join(dir, "gen.xlsx")
	if err := ro.WriteFile(genPath); err != nil {
		t.Fatal(err)
	}
	checkReadWhole(t, genPath, gen.Sheet)
}

// TestReportHeaderFont: the report's header names its font and size, the
// font of the rest of the sheet, so no program falls back to a serif.
func TestReportHeaderFont(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := report.WriteRowsFile(path, report.Lines(fixturePlan(t))); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := style(t, f, "Report", "A1")
	if s.Font == nil || s.Font.Family != "Calibri" || s.Font.Size != 11 || !s.Font.Bold {
		t.Errorf("header font %+v, want bold Calibri 11", s.Font)
	}
}

// TestAnnotateRowHeights: a row's Errors text, wrapped in its column,
// gets a row high enough for its lines, so it does not spill over the next
// rows when printed or opened in LibreOffice.
func TestAnnotateRowHeights(t *testing.T) {
	src := filepath.Join(t.TempDir(), "onboarding.xlsx")
	copyFile(t, filepath.Join(demo, "onboarding.xlsx"), src)
	p, c := planDemo(t, demoStore(t), src)
	dst := annotate(t, src, p, c)
	f, err := excelize.OpenFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	const sheet = "Site survey"
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	hdr := rows[2] // under a title and a blank row
	errCol := len(hdr)
	if hdr[errCol-1] != report.ErrorsHeader {
		t.Fatalf("last header %q, want %s", hdr[errCol-1], report.ErrorsHeader)
	}
	name, _ := excelize.ColumnNumberToName(errCol)
	width, err := f.GetColWidth(sheet, name)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for r := 4; r <= len(rows); r++ {
		text, _ := f.GetCellValue(sheet, name+itoa(r))
		if text == "" {
			continue
		}
		lines := 0
		for _, part := range strings.Split(text, "\n") {
			lines += max(1, (len([]rune(part))+int(width)-1)/int(width))
		}
		h, err := f.GetRowHeight(sheet, r)
		if err != nil {
			t.Fatal(err)
		}
		if h < 15*float64(lines) || lines > 1 && h <= 15 {
			t.Errorf("row %d: height %v for %d lines of Errors text %q", r, h, lines, text)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no row has an Errors text")
	}
}

func itoa(n int) string {
	s, _ := excelize.CoordinatesToCellName(1, n)
	return strings.TrimPrefix(s, "A")
}
