package roster

import (
	"testing"
)

// TestNumberFormatsAsExcelShows: numbers in the formats Excel's
// built-in list and its Format Cells dialog write, as Excel (en-US) shows
// them, spaces around the text trimmed as Clean trims them.
func TestNumberFormatsAsExcelShows(t *testing.T) {
	x := newCellTexter(nil, nil)
	t.Cleanup(func() { x.close() })
	tests := []struct{ code, raw, want string }{
		// Excel's Special > Phone Number: seven digits or ten
		{`[<=9999999]###-####;(###) ###-####`, "4155550101", "(415) 555-0101"},
		{`[<=9999999]###-####;(###) ###-####`, "5550101", "555-0101"},
		// Special > Zip Code + 4 and Social Security Number
		{`00000-0000`, "941051234", "94105-1234"},
		{`[<=99999]00000;00000-0000`, "94105", "94105"},
		{`[<=99999]00000;00000-0000`, "941051234", "94105-1234"},
		{`000-00-0000`, "78051120", "078-05-1120"},
		// percent, with and without a locale prefix, rounded half up
		{`0%`, "0.125", "13%"},
		{`[$-409]0%`, "0.125", "13%"},
		{`[$-en-US]0.0%`, "0.12345", "12.3%"},
		{`[$-409]0.00%`, "0.00005", "0.01%"},
		// money, rounded from the 15 digits Excel keeps (1.005 is 1.00499... as a float)
		{`"$"#,##0.00`, "1.005", "$1.01"},
		{`"$"#,##0.00`, "2.675", "$2.68"},
		{`#,##0.00\ [$€-407]`, "1234.565", "1,234.57 €"},
		{`[$$-409]#,##0.00;[Red]\-[$$-409]#,##0.00`, "-1234.565", "-$1,234.57"},
		{`0.00`, "-0.125", "-0.13"},
		{`#,##0`, "1234.5", "1,235"},
		{`0`, "2.5", "3"},
		// sections
		{`0;-0;;@`, "0", ""},
		{`0.00;(0.00);"zero"`, "0", "zero"},
		{`0.00;(0.00);"zero"`, "-3.5", "(3.50)"},
		// dates past the calendar or before it are shown as General (Excel: ####)
		{`yyyy-mm-dd`, "4155550101", "4155550101"},
		{`yyyy-mm-dd`, "-1", "-1"},
		{`[$-F800]dddd, mmmm dd, yyyy`, "45000", "Wednesday, March 15, 2023"},
		{`[$-409]m/d/yy h:mm AM/PM;@`, "45000.75", "3/15/23 6:00 PM"},
		{`[$-F400]h:mm:ss AM/PM`, "0.111111111111111", "2:40:00 AM"},
		{`[h]:mm:ss`, "1.5", "36:00:00"},
		// engineering notation and fractions below one
		{`##0.0E+0`, "1234.567", "1.2E+3"},
		{`##0.0E+0`, "0.5", "500.0E-3"},
		{`##0.0E+0`, "4155550101", "4.2E+9"},
		{`# ?/?`, "0.5", "1/2"},
		{`# ?/?`, "1.5", "1 1/2"},
		{`# ??/??`, "0.25", "1/4"},
		// text and General sections
		{`@`, "4155550101", "4155550101"},
		{`[$-409]General`, "1.23456789012345E+14", "123456789012345"},
		// accounting's zero section
		{`_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`, "0", "-"},
		{`_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`, "-1234.5", "$(1,234.50)"},
	}
	for _, tt := range tests {
		nf := parseNumFormat(tt.code)
		got, ok := x.format(tt.raw, nf)
		if !ok {
			got = generalNumber(tt.raw)
		}
		if got = Clean(got); got != tt.want {
			t.Errorf("%s in %s = %q, want %q", tt.raw, tt.code, got, tt.want)
		}
	}
}

// builtinSample shown in every built-in format (builtinShown) as Excel
// shows it in en-US, short dates written ISO: 2023-03-15 13:37:37.92.
const builtinSample = "45000.5678"

var builtinShown = map[int]string{
	0: "45000.5678", 1: "45001", 2: "45000.57", 3: "45,001", 4: "45,000.57",
	5: "$45,001", 6: "$45,001", 7: "$45,000.57", 8: "$45,000.57",
	9: "4500057%", 10: "4500056.78%", 11: "4.50E+04", 12: "45000 4/7", 13: "45000 46/81",
	14: "2023-03-15", 15: "15-Mar-23", 16: "15-Mar", 17: "Mar-23",
	18: "1:37 PM", 19: "1:37:38 PM", 20: "13:37", 21: "13:37:38", 22: "2023-03-15 13:37",
	23: "45000.5678", 24: "45000.5678", 25: "45000.5678", 26: "45000.5678",
	27: "2023-03-15", 28: "2023-03-15", 29: "2023-03-15", 30: "2023-03-15", 31: "2023-03-15",
	32: "13:37:38", 33: "13:37:38", 34: "13:37:38", 35: "13:37:38", 36: "2023-03-15",
	37: "45,001", 38: "45,001", 39: "45,000.57", 40: "45,000.57",
	41: "45,001", 42: "$45,001", 43: "45,000.57", 44: "$45,000.57",
	45: "37:38", 46: "1080013:37:38", 47: "37:37.9", 48: "45.0E+3", 49: "45000.5678",
	50: "2023-03-15", 58: "2023-03-15",
}

// TestBuiltinFormats: every built-in format 0-49 (and the East Asian
// 50-58) as Excel shows it in en-US, dates written ISO.
func TestBuiltinFormats(t *testing.T) {
	x := newCellTexter(nil, nil)
	t.Cleanup(func() { x.close() })
	const v = builtinSample
	want := builtinShown
	for id, w := range want {
		got := generalNumber(v)
		if nf := parseNumFormat(builtinFormat(id)); nf != nil {
			if s, ok := x.format(v, nf); ok {
				got = s
			}
		}
		if got = Clean(got); got != w {
			t.Errorf("built-in format %d (%s): %s shows %q, want %q", id, builtinFormat(id), v, got, w)
		}
	}
}

func TestRoundShown(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     float64
	}{
		{1.005, 2, 1.01},
		{2.675, 2, 2.68},
		{-2.675, 2, -2.68},
		{0.125, 2, 0.13},
		{12.5, 0, 13},
		{9.995, 2, 10},
		{0.001, 2, 0.001}, // rounds to zero: left, so its sign picks the section
		{123456789.123, 2, 123456789.12},
		{4155550101, 0, 4155550101},
		{1.5, -1, 1.5},
	}
	for _, tt := range tests {
		if got := roundShown(tt.v, tt.decimals); got != tt.want {
			t.Errorf("roundShown(%v, %d) = %v, want %v", tt.v, tt.decimals, got, tt.want)
		}
	}
}

func TestDateSerial(t *testing.T) {
	tests := []struct {
		raw      string
		date1904 bool
		want     float64
		ok       bool
	}{
		{"2023-03-15", false, 45000, true},
		{"2023-03-15", true, 43538, true},
		{"1904-01-02", true, 1, true},
		{"1904-01-02T00:00:00Z", true, 1, true},
		{"2023-03-15T18:00:00", false, 45000.75, true},
		{"1900-01-01", false, 1, true},
		{"1900-02-28", false, 59, true},
		{"1900-03-01", false, 61, true}, // after Excel's 1900-02-29
		{"02:40:00", false, 2.0/24 + 40.0/1440, true},
		{"12:00", true, 0.5, true},
		{"1903-12-31", true, 0, false},
		{"not a date", false, 0, false},
	}
	for _, tt := range tests {
		got, ok := dateSerial(tt.raw, tt.date1904)
		if ok != tt.ok || ok && (got-tt.want > 1e-9 || tt.want-got > 1e-9) {
			t.Errorf("dateSerial(%q, 1904=%v) = %v, %v; want %v, %v", tt.raw, tt.date1904, got, ok, tt.want, tt.ok)
		}
	}
}
