package roster

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestGeneralNumber(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"4155", "4155"},
		{"14155550100", "14155550100"},
		{"414155550100", "414155550100"}, // shown 4.14156E+11 in a narrow column: a phone number
		{"123456789012", "123456789012"}, // a MAC Excel took for a number
		{"-14155550100", "-14155550100"},
		{"+0414155550100", "414155550100"},
		{"1.23456789012345E+14", "123456789012345"},
		{"1.2345678901234567E+19", "12345678901234600000"}, // beyond Excel's 15 digits
		{"123456789012.5", "123456789012.5"},
		{"2.5", "2.5"},
		{"0.30000000000000004", "0.3"},
		{"1.0000000000000002", "1"},
		{"1E-05", "0.00001"},
		{"-0", "0"},
		{"0", "0"},
		{"1E+300", "1E+300"},
		{"1E-12", "1E-12"},
		{"abc", "abc"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := generalNumber(tt.raw); got != tt.want {
			t.Errorf("generalNumber(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// texterWorkbook is a workbook with one style per number format the tests
// use, its cell texter, and the style IDs.
func texterWorkbook(t testing.TB, date1904 bool) (*excelize.File, *cellTexter, map[string]int) {
	t.Helper()
	f := excelize.NewFile(excelize.Options{ShortDatePattern: isoDate})
	t.Cleanup(func() { f.Close() })
	if date1904 {
		d := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &d}); err != nil {
			t.Fatal(err)
		}
	}
	custom := func(s string) *string { return &s }
	ids := map[string]int{}
	for name, st := range map[string]*excelize.Style{
		"bold":    {Font: &excelize.Font{Bold: true}},
		"date14":  {NumFmt: 14},
		"dmy":     {CustomNumFmt: custom("dd/mm/yyyy")},
		"sci":     {NumFmt: 11},
		"zeros":   {CustomNumFmt: custom("000000000000")},
		"percent": {NumFmt: 10},
		"text":    {NumFmt: 49},
		"time":    {NumFmt: 20},
		"thou":    {NumFmt: 3},
		"general": {CustomNumFmt: custom("General")},
		"ext":     {CustomNumFmt: custom("0000")},
	} {
		id, err := f.NewStyle(st)
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = id
	}
	sst := &sharedStrings{data: []byte("AnnZoë & Co"), ends: []uint32{3, 12}}
	x := newCellTexter(f, sst)
	t.Cleanup(func() { x.close() })
	return f, x, ids
}

func TestCellTexter(t *testing.T) {
	_, x, ids := texterWorkbook(t, false)
	tests := []struct {
		name, typ, style, value, want string
	}{
		{"shared string", "s", "", "1", "Zoë & Co"},
		{"inline string", "inlineStr", "", "Desk 1", "Desk 1"},
		{"formula text", "str", "", "0142", "0142"},
		{"error", "e", "", "#N/A", "#N/A"},
		{"true", "b", "", "1", "TRUE"},
		{"false", "b", "", "0", "FALSE"},
		{"unstyled number", "", "", "14155550100", "14155550100"},
		{"styled General number keeps every digit", "n", "bold", "414155550100", "414155550100"},
		{"explicit General format", "", "general", "123456789012", "123456789012"},
		{"short date, written ISO", "", "date14", "45000", "2023-03-15"},
		{"custom date", "", "dmy", "45000", "15/03/2023"},
		{"scientific format kept", "", "sci", "14155550100", "1.42E+10"},
		{"zero-padded MAC", "", "zeros", "412345678", "000412345678"},
		{"zero-padded extension", "", "ext", "42", "0042"},
		{"zero-padded, wider than the format", "", "ext", "123456", "123456"},
		{"zero-padded zero", "", "ext", "0", "0000"},
		{"zero-padded fraction goes through excelize", "", "ext", "42.6", "0043"},
		{"zero-padded negative goes through excelize", "", "ext", "-42", "-0042"},
		{"percent", "", "percent", "0.25", "25.00%"},
		{"text format", "", "text", "4155", "4155"},
		{"time", "", "time", "0.5", "12:00"},
		{"thousands", "", "thou", "1234567", "1,234,567"},
		{"empty value", "", "date14", "", ""},
		{"ISO date cell in a date format", "d", "date14", "2023-03-15T00:00:00", "2023-03-15"},
		{"ISO date cell without format", "d", "", "2023-03-15", "2023-03-15"},
		{"ISO time-only cell in a time format", "d", "time", "02:39:59.99904", "2:40"},
		{"ISO date and time cell in a time format", "d", "time", "2023-03-15T14:24:00Z", "14:24"},
		{"empty shared string cell (Tencent Docs)", "s", "", "", ""},
		{"unknown style is General", "", "", "2.5", "2.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &xlsxCell{typ: tt.typ, style: ids[tt.style], value: []byte(tt.value)}
			got, ok := x.text(c)
			if !ok || got != tt.want {
				t.Errorf("text(%s %q in %s) = %q, %v; want %q", tt.typ, tt.value, tt.style, got, ok, tt.want)
			}
		})
	}
	for _, bad := range []string{"2", "-1", "x"} {
		if got, ok := x.text(&xlsxCell{typ: "s", value: []byte(bad)}); ok {
			t.Errorf("shared string %q = %q, want not found", bad, got)
		}
	}
	if got, _ := x.text(&xlsxCell{style: 999, value: []byte("7")}); got != "7" {
		t.Errorf("a style the workbook does not have: %q", got)
	}
}

func TestCellTexterDate1904(t *testing.T) {
	_, x, ids := texterWorkbook(t, true)
	if got, _ := x.text(&xlsxCell{style: ids["date14"], value: []byte("43538")}); got != "2023-03-15" {
		t.Errorf("1904 date = %q, want 2023-03-15", got)
	}
	for raw, want := range map[string]string{"2957003": "9999-12-31", "2957004": "2957004"} { // past the calendar: General
		if got, _ := x.text(&xlsxCell{style: ids["date14"], value: []byte(raw)}); got != want {
			t.Errorf("1904 date %s = %q, want %q", raw, got, want)
		}
	}
	for raw, want := range map[string]string{"1904-01-02": "1904-01-02", "2023-03-15T00:00:00": "2023-03-15"} {
		if got, _ := x.text(&xlsxCell{typ: "d", style: ids["date14"], value: []byte(raw)}); got != want {
			t.Errorf("ISO date cell %s in a 1904 workbook = %q, want %q", raw, got, want)
		}
	}
}

// FuzzCellText checks the XLSX cell-to-text conversion. A number in a
// General cell comes back without exponent (within Excel's range), equal to
// the stored number to 15 digits, and an integer with every digit; a number
// in any other format gives exactly what excelize itself reads from such a
// cell; no input panics.
func FuzzCellText(f *testing.F) {
	f.Add("414155550100", uint8(0), "")
	f.Add("45000", uint8(2), "")
	f.Add("1.2345678901234567E+19", uint8(1), "n")
	f.Add("412345678", uint8(5), "")
	f.Add("-0.25", uint8(6), "")
	f.Add("1", uint8(0), "b")
	f.Add("2023-03-15T10:00:00", uint8(2), "d")
	f.Add("7", uint8(0), "s")
	book, x, ids := texterWorkbook(f, false)
	styles := []string{"", "bold", "date14", "dmy", "sci", "zeros", "percent", "text", "time", "thou", "general", "ext"}
	f.Fuzz(func(t *testing.T, raw string, style uint8, typ string) {
		name := styles[int(style)%len(styles)]
		c := &xlsxCell{typ: typ, style: ids[name], value: []byte(raw)}
		got, ok := x.text(c) // must not panic, whatever the input
		if typ != "" && typ != "n" || !ok {
			return
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return
		}
		if x.style(c.style).general {
			if n, isInt := plainInteger(strings.TrimSpace(raw)); isInt {
				if got != n {
					t.Fatalf("integer %q in a General cell = %q, want %q", raw, got, n)
				}
				return
			}
			if a := math.Abs(v); a != 0 && (a >= 1e21 || a < 1e-10) {
				return
			}
			if strings.ContainsAny(got, "eE") {
				t.Fatalf("%q in a General cell = %q, still with an exponent", raw, got)
			}
			g, err := strconv.ParseFloat(got, 64)
			if err != nil || math.Abs(g-v) > math.Abs(v)*1e-14 {
				t.Fatalf("%q in a General cell = %q, not the stored number", raw, got)
			}
			return
		}
		// A text format, or a date past the calendar (Excel's ####), shows
		// the number as General.
		sec, _, ok := x.style(c.style).format.section(v)
		if !ok {
			if want := generalNumber(strings.TrimSpace(raw)); got != want {
				t.Fatalf("%q in format %s = %q, want it as General, %q", raw, name, got, want)
			}
			return
		}
		// Otherwise what excelize reads from a real workbook's cell holding
		// the value Excel rounds to, in the section's format code (the
		// built-in formats as Excel shows them, builtinFormat).
		code := sec.code
		id, err := book.NewStyle(&excelize.Style{CustomNumFmt: &code})
		if err != nil {
			t.Fatal(err)
		}
		if err := book.SetCellDefault("Sheet1", "B2", strconv.FormatFloat(roundShown(v, sec.decimals), 'f', -1, 64)); err != nil {
			t.Skip(err)
		}
		if err := book.SetCellStyle("Sheet1", "B2", "B2", id); err != nil {
			t.Fatal(err)
		}
		want, err := book.GetCellValue("Sheet1", "B2")
		if err != nil {
			t.Fatal(err)
		}
		if sec.fraction && v != 0 && math.Abs(v) < 1 {
			want = strings.TrimPrefix(want, "0")
		}
		if sec.empty {
			want = ""
		}
		if got != want {
			t.Fatalf("%q in format %s = %q, excelize reads %q", raw, name, got, want)
		}
	})
}

// A date the probe formats is the date excelize gives.
func TestCellTexterMatchesExcelizeDates(t *testing.T) {
	book, x, ids := texterWorkbook(t, false)
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	if err := book.SetCellValue("Sheet1", "C3", day); err != nil {
		t.Fatal(err)
	}
	book.SetCellStyle("Sheet1", "C3", "C3", ids["dmy"])
	raw, _ := book.GetCellValue("Sheet1", "C3", excelize.Options{RawCellValue: true})
	want, _ := book.GetCellValue("Sheet1", "C3")
	if got, _ := x.text(&xlsxCell{style: ids["dmy"], value: []byte(raw)}); got != want || got != "29/02/2024" {
		t.Errorf("date %s = %q, excelize %q", raw, got, want)
	}
}
