package roster

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/xuri/excelize/v2"
)

// sheetRows is the content of one test sheet: row number -> cells.
type sheetRows map[int][]any

// writeXLSX writes a workbook with the given sheets (in order) into dir and
// returns its path. Cells may be excelize.Cell values (styles, formulas with
// cached values); the styles map names styles the rows refer to by
// styleRef.
func writeXLSX(t testing.TB, dir, name string, sheets []string, content map[string]sheetRows) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	date14, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	dmy := "dd/mm/yyyy"
	dateDMY, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &dmy})
	sci, _ := f.NewStyle(&excelize.Style{NumFmt: 11})
	zeros := "000000000000"
	mac, _ := f.NewStyle(&excelize.Style{CustomNumFmt: &zeros})
	styles := map[styleRef]int{sBold: bold, sDate14: date14, sDateDMY: dateDMY, sSci: sci, sMAC: mac}
	for i, sh := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", sh); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(sh); err != nil {
			t.Fatal(err)
		}
		sw, err := f.NewStreamWriter(sh)
		if err != nil {
			t.Fatal(err)
		}
		rows := content[sh]
		nums := make([]int, 0, len(rows))
		for n := range rows {
			nums = append(nums, n)
		}
		slices.Sort(nums)
		for _, n := range nums {
			cells := make([]any, len(rows[n]))
			for j, c := range rows[n] {
				if sc, ok := c.(styled); ok {
					c = excelize.Cell{StyleID: styles[sc.style], Value: sc.value}
				}
				cells[j] = c
			}
			cell, _ := excelize.CoordinatesToCellName(1, n)
			if err := sw.SetRow(cell, cells); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

type styleRef int

const (
	sBold styleRef = iota + 1
	sDate14
	sDateDMY
	sSci
	sMAC
)

// styled is a test cell with a named style.
type styled struct {
	style styleRef
	value any
}

func TestXLSX(t *testing.T) {
	dir := t.TempDir()
	hired := time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC)
	path := writeXLSX(t, dir, "site.xlsx", []string{"Notes", "Users", "Devices"}, map[string]sheetRows{
		"Notes": {1: {"read me"}, 2: {"Users are on sheet 2", "x"}},
		"Users": {
			1: {"Site survey: HQ"},
			2: {"Exported:", "2024-01-05"},
			4: {styled{sBold, "Name"}, styled{sBold, "Phone"}, "MAC", "Hired", "Start", "Total", "Label", "Big", "Sci"},
			5: {"Ann\u00a0Lee ", 14155550100, styled{sMAC, 412345678}, styled{sDate14, hired}, styled{sDateDMY, hired},
				excelize.Cell{Formula: "B5*0+7", Value: 7}, excelize.Cell{Formula: `"Desk "&"1"`, Value: "Desk 1"},
				styled{sBold, 414155550100}, styled{sSci, 14155550100}},
			6: {styled{sBold, nil}, styled{sBold, nil}},
			8: {"Bob", styled{sBold, -14155550100}, "00:04:F2:AB:CD:EF", nil, nil, 2.5, nil, styled{sBold, 123456789012.5}},
		},
		"Devices": {1: {"MAC", "Model"}, 2: {"0004F2ABCDEF", "VVX 450"}},
	})
	r, err := Open(path, Options{Sheet: "Users"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.File() != "site.xlsx" || r.Sheet() != "Users" || r.HeaderRow() != 4 {
		t.Errorf("File, Sheet, HeaderRow = %q, %q, %d", r.File(), r.Sheet(), r.HeaderRow())
	}
	if want := []string{"Name", "Phone", "MAC", "Hired", "Start", "Total", "Label", "Big", "Sci"}; !slices.Equal(r.Headers(), want) {
		t.Errorf("headers %q", r.Headers())
	}
	if len(r.HeaderProblems()) != 0 {
		t.Errorf("header problems %v", r.HeaderProblems())
	}
	if _, ok := r.(Detected); ok {
		t.Errorf("an XLSX reader claims CSV detection")
	}
	recs := readAll(t, r)
	want := []wantRec{
		{5, []string{"Ann Lee", "14155550100", "000412345678", "2023-03-15", "15/03/2023", "7", "Desk 1", "414155550100", "1.42E+10"}, nil},
		{8, []string{"Bob", "-14155550100", "00:04:F2:AB:CD:EF", "", "", "2.5", "", "123456789012.5", ""}, nil},
	}
	if len(recs) != len(want) {
		t.Fatalf("records %+v", recs)
	}
	for i, rec := range recs {
		if rec.Row != want[i].row || !slices.Equal(rec.Values, want[i].values) || len(rec.Problems) != 0 {
			t.Errorf("record %d = row %d %q %v, want row %d %q", i, rec.Row, rec.Values, rec.Problems, want[i].row, want[i].values)
		}
	}
}

func TestXLSXSheetChoice(t *testing.T) {
	path := writeXLSX(t, t.TempDir(), "book.xlsx", []string{"First", "Second", "2"}, map[string]sheetRows{
		"First":  {1: {"a", "b"}, 2: {"first", "1"}},
		"Second": {1: {"a", "b"}, 2: {"second", "2"}},
		"2":      {1: {"a", "b"}, 2: {"named 2", "3"}},
	})
	tests := []struct {
		sheet, want, first string
	}{
		{"", "First", "first"},
		{"Second", "Second", "second"},
		{" second ", "Second", "second"},
		{"1", "First", "first"},
		{"3", "2", "named 2"},
		{"2", "2", "named 2"}, // a sheet named "2" wins over index 2
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			r, err := Open(path, Options{Sheet: tt.sheet})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			recs := readAll(t, r)
			if r.Sheet() != tt.want || len(recs) != 1 || recs[0].Values[0] != tt.first {
				t.Errorf("sheet %q gave %q %+v, want %q", tt.sheet, r.Sheet(), recs, tt.want)
			}
		})
	}
	for _, bad := range []string{"Third", "4", "0"} {
		_, err := Open(path, Options{Sheet: bad})
		var re *Error
		if !errors.Is(err, pbx.ErrRead) || !errors.As(err, &re) || re.File != "book.xlsx" || re.Hint == "" {
			t.Errorf("sheet %q: err = %v, want a pbx.ErrRead *Error", bad, err)
		}
	}
}

func TestXLSXHeaders(t *testing.T) {
	path := writeXLSX(t, t.TempDir(), "h.xlsx", []string{"S"}, map[string]sheetRows{
		"S": {
			1: {"Report"},
			2: {},
			3: {"Name", nil, "Email", "email"},
			4: {"Ann", nil, "a@x.io", "b@x.io"},
			5: {"Bob", "stray", "c@x.io", nil, nil, "note"},
		},
	})
	for _, opts := range []Options{{}, {HeaderRow: 3}} {
		r, err := Open(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r.HeaderRow() != 3 || !slices.Equal(r.Headers(), []string{"Name", "", "Email", "email"}) {
			t.Errorf("header %q at %d", r.Headers(), r.HeaderRow())
		}
		hp := r.HeaderProblems()
		if got := codes(t, hp); !slices.Equal(got, []string{CodeHeaderEmpty, CodeHeaderDuplicate}) {
			t.Errorf("header problems %q", got)
		}
		if hp[0].Cell.Sheet != "S" || hp[0].Cell.Col != 1 || hp[1].Cell.Col != 3 {
			t.Errorf("header problem cells %+v %+v", hp[0].Cell, hp[1].Cell)
		}
		recs := readAll(t, r)
		if len(recs) != 2 || len(recs[0].Problems) != 0 {
			t.Fatalf("records %+v", recs)
		}
		p := recs[1].Problems
		if got := codes(t, p); !slices.Equal(got, []string{CodeCellUnheaded, CodeCellUnheaded}) {
			t.Fatalf("row 5 problems %q", got)
		}
		if p[0].Cell.Col != 1 || p[0].Severity != pbx.SevError || p[0].Value != "stray" ||
			p[1].Cell.Col != 5 || p[1].Severity != pbx.SevWarning || p[1].Cell.Row != 5 {
			t.Errorf("row 5 problems %+v %+v", p[0], p[1])
		}
		r.Close()
	}
	if _, err := Open(path, Options{HeaderRow: 2}); !errors.Is(err, pbx.ErrRead) {
		t.Errorf("empty header row: err = %v", err)
	}
}

// A long sheet streams, and reading it from an io.Reader gives the same
// records as from its file.
func TestXLSXStreams(t *testing.T) {
	const n = 500
	rows := sheetRows{1: {"Name", "Phone"}}
	for i := 2; i <= n+1; i++ {
		rows[i] = []any{"user", styled{sBold, 414155550000 + int64(i)*1000}}
	}
	path := writeXLSX(t, t.TempDir(), "big.xlsx", []string{"S"}, map[string]sheetRows{"S": rows})
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if len(recs) != n || recs[n-1].Row != n+1 || recs[n-1].Values[1] != "414156051000" {
		t.Fatalf("got %d records, last %+v", len(recs), recs[len(recs)-1])
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r, err = NewXLSX(bytes.NewReader(data), "big.xlsx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if again := readAll(t, r); !slices.EqualFunc(again, recs, func(a, b Record) bool {
		return a.Row == b.Row && slices.Equal(a.Values, b.Values)
	}) {
		t.Errorf("NewXLSX read differs from Open")
	}
}

// Shared strings beyond MaxXMLInMemory move to a temporary file, which
// Close removes; the records are the same.
func TestXLSXSharedStringsSpill(t *testing.T) {
	f := excelize.NewFile()
	const n = 300
	f.SetCellValue("Sheet1", "A1", "Email")
	f.SetCellValue("Sheet1", "B1", "Name")
	for i := 2; i <= n+1; i++ {
		f.SetCellValue("Sheet1", fmt.Sprintf("A%d", i), fmt.Sprintf("user%d@acme.example", i))
		f.SetCellValue("Sheet1", fmt.Sprintf("B%d", i), fmt.Sprintf("Zoë Nº%d & <Co>", i))
	}
	path := filepath.Join(t.TempDir(), "sst.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
	read := func(opts Options) ([]Record, *sharedStrings) {
		r, err := Open(path, opts)
		if err != nil {
			t.Fatal(err)
		}
		sst := r.(*table).src.(*xlsxSource).text.sst
		tmp := ""
		if sst.file != nil {
			tmp = sst.file.Name()
		}
		recs := readAll(t, r)
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		if tmp != "" {
			if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Close left %s behind: %v", tmp, err)
			}
		}
		return recs, sst
	}
	inMemory, sst := read(Options{})
	if sst.file != nil || len(sst.ends) != 2*n+2 {
		t.Fatalf("default: spilled %v, %d strings", sst.file != nil, len(sst.ends))
	}
	spilled, sst := read(Options{MaxXMLInMemory: 1 << 10})
	if sst.written <= 1<<10 || sst.data != nil {
		t.Fatalf("1 KiB limit: %d bytes written, %d in memory", sst.written, len(sst.data))
	}
	if len(spilled) != n || !slices.EqualFunc(spilled, inMemory, func(a, b Record) bool { return slices.Equal(a.Values, b.Values) }) {
		t.Fatalf("spilled records differ: %d vs %d", len(spilled), len(inMemory))
	}
	if last := spilled[n-1].Values; last[0] != fmt.Sprintf("user%d@acme.example", n+1) || last[1] != fmt.Sprintf("Zoë Nº%d & <Co>", n+1) {
		t.Errorf("last record %q", last)
	}
}

func TestXLSXErrors(t *testing.T) {
	dir := t.TempDir()
	good := writeXLSX(t, dir, "good.xlsx", []string{"S"}, map[string]sheetRows{"S": {1: {"a", "b"}, 2: {"1", "2"}}})
	empty := writeXLSX(t, dir, "empty.xlsx", []string{"S"}, map[string]sheetRows{"S": {}})
	notZip := filepath.Join(dir, "fake.xlsx")
	if err := os.WriteFile(notZip, []byte("a,b\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	locked := filepath.Join(dir, "locked.xlsx") // what Excel saves when a password is set: a compound file
	if err := os.WriteFile(locked, append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 504)...), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		open func() (Reader, error)
	}{
		{"not a zip", func() (Reader, error) { return Open(notZip, Options{}) }},
		{"not a zip from a reader", func() (Reader, error) { return NewXLSX(bytes.NewReader([]byte("a,b")), "x.xlsx", Options{}) }},
		{"zip bomb guard", func() (Reader, error) { return Open(good, Options{MaxUnzipSize: 256}) }},
		{"zip bomb guard on a reader", func() (Reader, error) {
			return NewXLSX(bytes.NewReader(data), "good.xlsx", Options{MaxUnzipSize: 256})
		}},
		{"empty sheet", func() (Reader, error) { return Open(empty, Options{}) }},
		{"password-protected", func() (Reader, error) { return Open(locked, Options{}) }},
		{"password-protected from a reader", func() (Reader, error) {
			b, _ := os.ReadFile(locked)
			return NewXLSX(bytes.NewReader(b), "locked.xlsx", Options{})
		}},
		{"missing file", func() (Reader, error) { return Open(filepath.Join(dir, "none.xlsx"), Options{}) }},
		{"old xls", func() (Reader, error) { return Open(filepath.Join(dir, "old.xls"), Options{}) }},
		{"unknown extension", func() (Reader, error) { return Open(filepath.Join(dir, "roster.pdf"), Options{}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := tt.open()
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			var re *Error
			if !errors.Is(err, pbx.ErrRead) || !errors.As(err, &re) || re.File == "" {
				t.Errorf("err = %v, want a pbx.ErrRead *Error naming the file", err)
			}
		})
	}
	for path, says := range map[string]string{locked: "password", notZip: "not an XLSX"} {
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("Open(%s) = %v, want it to say %q", filepath.Base(path), err, says)
		}
	}
}

// Excel itself writes text as shared strings and styles whole columns;
// excelize's non-streaming writer does the same.
func TestXLSXSharedStrings(t *testing.T) {
	f := excelize.NewFile()
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for row, cells := range [][]any{
		{"Name", "Phone", "Note"},
		{"Ann", 414155550100, "Zoë\u00a0&\u00a0Co"},
		{"Bob", 414155550101, "<tag> & \"quotes\""},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, row+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetColStyle("Sheet1", "B", bold); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "B2", "B3", bold); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := NewXLSX(&buf, "shared.xlsx", Options{Sheet: "1"})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	recs := readAll(t, r)
	want := [][]string{{"Ann", "414155550100", "Zoë & Co"}, {"Bob", "414155550101", "<tag> & \"quotes\""}}
	if len(recs) != 2 || !slices.Equal(recs[0].Values, want[0]) || !slices.Equal(recs[1].Values, want[1]) || recs[1].Row != 3 {
		t.Errorf("records %+v, want %q", recs, want)
	}
}

// A workbook's number cells are marked numeric on their records (a
// spreadsheet drops the leading zeros of numbers); text cells and CSV are not.
func TestXLSXNumericCells(t *testing.T) {
	path := writeXLSX(t, t.TempDir(), "n.xlsx", []string{"S"}, map[string]sheetRows{"S": {
		1: {"Name", "Ext", "Note"},
		2: {"Ann", 101, "0101"},
		3: {"Bob", "0102", 7.5},
	}})
	rd, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	recs := readAll(t, rd)
	if len(recs) != 2 {
		t.Fatalf("records %+v", recs)
	}
	got := [][3]bool{}
	for _, r := range recs {
		got = append(got, [3]bool{r.IsNumeric(0), r.IsNumeric(1), r.IsNumeric(2)})
	}
	if want := [][3]bool{{false, true, false}, {false, false, true}}; !slices.Equal(got, want) {
		t.Errorf("numeric cells %v, want %v", got, want)
	}
	csv, err := NewCSV(strings.NewReader("Name,Ext\nAnn,101\n"), "n.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if recs := readAll(t, csv); len(recs) != 1 || recs[0].Numeric != nil || recs[0].IsNumeric(1) {
		t.Errorf("a CSV cell is text: %+v", recs)
	}
}
