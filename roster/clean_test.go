package roster

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain", "Alice", "Alice"},
		{"ascii spaces", "  Alice Smith \t", "Alice Smith"},
		{"crlf at ends", "\r\nAlice\r\n", "Alice"},
		{"nbsp at ends", "\u00a0Alice\u00a0", "Alice"},
		{"narrow nbsp at ends", "\u202f+1 415 555 0100\u202f", "+1 415 555 0100"},
		{"zero width at ends", "\u200b\ufeffalice@example.com\u200b", "alice@example.com"},
		{"inner nbsp", "Mary\u00a0Ann", "Mary Ann"},
		{"inner narrow nbsp", "415\u202f555\u202f0100", "415 555 0100"},
		{"inner zero width kept", "ali\u200bce", "ali\u200bce"},
		{"smart quotes kept", "\u201cBob\u201d", "\u201cBob\u201d"},
		{"scientific kept", "1.41556E+10", "1.41556E+10"},
		{"inner newline kept", " 1 Main St\nSuite 4 ", "1 Main St\nSuite 4"},
		{"non-latin kept", " Zoë Ünal ", "Zoë Ünal"},
		{"only spaces", " \u00a0\u200b\t", ""},
		{"invalid utf8 kept", "\xe9t\xe9", "\xe9t\xe9"},
		{"invalid utf8 with nbsp", " caf\xe9\u00a0bar ", "caf\xe9 bar"},
		// the mark report.SafeCell puts on formula-like values is dropped
		{"marked formula", "'=HYPERLINK(\"http://x\")", "=HYPERLINK(\"http://x\")"},
		{"marked plus", "'+1 415 555 0100", "+1 415 555 0100"},
		{"marked minus", "'-Jr", "-Jr"},
		{"marked at", "'@SUM(1)", "@SUM(1)"},
		{"marked tab", "'\t=1", "=1"},
		{"apostrophe name kept", "'Bob", "'Bob"},
		{"apostrophe only kept", "'", "'"},
		{"two apostrophes kept", "''=1", "''=1"},
		{"inner apostrophe kept", "O'Brien", "O'Brien"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " a ", "\u00a0x\u00a0y\u00a0", "\u200b", "\xc2", "\xe2\x80", "a\xc2\xa0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := Clean(s)
		if Clean(c) != c {
			t.Fatalf("Clean not idempotent: %q -> %q -> %q", s, c, Clean(c))
		}
		if !strings.ContainsAny(s, "\u00a0\u202f\u2007") && !strings.Contains(s, c) {
			t.Fatalf("Clean(%q) = %q: without non-breaking spaces it may only trim", s, c)
		}
		if first, _ := utf8.DecodeRuneInString(c); c != "" && first != utf8.RuneError && trimmable(first) {
			t.Fatalf("Clean(%q) = %q starts with a trimmable rune", s, c)
		}
		if last, _ := utf8.DecodeLastRuneInString(c); c != "" && last != utf8.RuneError && trimmable(last) {
			t.Fatalf("Clean(%q) = %q ends with a trimmable rune", s, c)
		}
		if utf8.ValidString(s) && !utf8.ValidString(c) {
			t.Fatalf("Clean(%q) = %q made valid UTF-8 invalid", s, c)
		}
	})
}
