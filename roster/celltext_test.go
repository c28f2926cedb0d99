package roster

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestCellText(t *testing.T) {
	tests := []struct {
		name, shown, raw, want string
	}{
		{"text", "Alice", "Alice", "Alice"},
		{"short number", "4155", "4155", "4155"},
		{"11-digit phone shown whole", "14155550100", "14155550100", "14155550100"},
		{"12-digit phone rounded by a styled General cell", "4.141555501E+11", "414155550100", "414155550100"},
		{"negative rounded", "-1.41555501E+10", "-14155550100", "-14155550100"},
		{"MAC taken for a number", "1.23456789E+11", "123456789012", "123456789012"},
		{"unstyled 15-digit rounding", "1.23456789012346E+18", "1234567890123456789", "1234567890123456789"},
		{"stored in exponent form", "1.23456789E+14", "1.23456789012345E+14", "123456789012345"},
		{"beyond 15 digits in exponent form", "1.23456789E+19", "1.2345678901234567E+19", "12345678901234600000"},
		{"fraction rounded", "1.23456789E+11", "123456789012.5", "123456789012.5"},
		{"explicit scientific format kept", "1.42E+10", "14155550100", "1.42E+10"},
		{"date kept", "2023-03-15", "45000", "2023-03-15"},
		{"percent kept", "25.00%", "0.25", "25.00%"},
		{"text that looks scientific kept", "1.41556E+10", "1.41556E+10", "1.41556E+10"},
		{"shared string with E+ kept", "E+ team", "E+ team", "E+ team"},
		{"small number exponent kept", "1E-05", "0.00001", "1E-05"},
		{"boolean", "TRUE", "1", "TRUE"},
		{"huge", "1E+20", "100000000000000000000", "100000000000000000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cellText(tt.shown, tt.raw); got != tt.want {
				t.Errorf("cellText(%q, %q) = %q, want %q", tt.shown, tt.raw, got, tt.want)
			}
		})
	}
}

func TestPlainNumber(t *testing.T) {
	tests := []struct {
		raw  string
		want string
	}{
		{"007", "7"},
		{"+12", "12"},
		{"-0", "0"},
		{"1.5E+11", "150000000000"},
		{"-2.5e12", "-2500000000000"},
		{"123456789012.25", "123456789012.25"},
		{"1.0000000000000002", "1"},
		{"0.000123", "0.000123"},
		{"0", "0"},
	}
	for _, tt := range tests {
		v, err := strconv.ParseFloat(tt.raw, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := plainNumber(tt.raw, v); got != tt.want {
			t.Errorf("plainNumber(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// FuzzCellText checks the XLSX cell-to-text conversion: it never panics,
// keeps any shown text that is not a General-rounded number, and gives
// every integer Excel can hold all its digits back.
func FuzzCellText(f *testing.F) {
	f.Add(int64(14155550100), "4.141555501E+11", "414155550100")
	f.Add(int64(412345678), "1.42E+10", "14155550100")
	f.Add(int64(-999999999999999), "x", "E+")
	f.Add(int64(0), "1E+20", "1e20")
	f.Fuzz(func(t *testing.T, n int64, shown, raw string) {
		got := cellText(shown, raw)
		if !mayBeRounded(shown) && got != shown {
			t.Fatalf("cellText(%q, %q) = %q, want the shown text", shown, raw, got)
		}
		if got != shown {
			if strings.ContainsAny(got, "eE") {
				t.Fatalf("cellText(%q, %q) = %q still has an exponent", shown, raw, got)
			}
			g, err1 := strconv.ParseFloat(got, 64)
			r, err2 := strconv.ParseFloat(raw, 64)
			if err1 != nil || err2 != nil || math.Abs(g-r) > math.Abs(r)*1e-14 {
				t.Fatalf("cellText(%q, %q) = %q is not the stored number", shown, raw, got)
			}
		}
		// Integers up to Excel's 15 digits come back whole, whatever rendering hid them.
		n %= 1e15
		digits := strconv.FormatInt(n, 10)
		for _, rendered := range []string{
			strconv.FormatFloat(float64(n), 'G', 10, 64),
			strconv.FormatFloat(float64(n), 'G', 15, 64),
		} {
			if got := cellText(rendered, digits); got != digits && got != rendered {
				t.Fatalf("cellText(%q, %q) = %q", rendered, digits, got)
			} else if mayBeRounded(rendered) && got != digits {
				t.Fatalf("cellText(%q, %q) = %q, want all digits", rendered, digits, got)
			}
		}
	})
}
