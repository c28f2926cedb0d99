package report_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/report"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Ann", "Ann"},
		{"ann@acme.example", "ann@acme.example"},
		{"=1+2", "'=1+2"},
		{"=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"a=1", "a=1"},
		// E.164 numbers stay usable: a plus and digits run nothing
		{"+14155550101", "+14155550101"},
		{"+14155550101;+14155550102", "+14155550101;+14155550102"},
		{"+1 415 555 0101", "'+1 415 555 0101"},
		{"+", "'+"},
		{"+1234567890123456", "'+1234567890123456"}, // 16 digits: not E.164
		{"+1415;=1", "'+1415;=1"},
		{"-", "'-"},
	}
	for _, tt := range tests {
		if got := report.SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
