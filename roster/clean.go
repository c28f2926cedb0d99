package roster

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// innerSpaces turns the non-breaking spaces that spreadsheets and web pages
// leave inside values into plain spaces. It works on bytes, so invalid UTF-8
// passes through unchanged.
var innerSpaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2007", " ")

// Clean tidies a cell's text without changing its meaning: it trims white
// space at both ends, including non-breaking spaces (U+00A0, U+202F) and
// zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF), and turns
// non-breaking spaces inside the text into plain spaces. Nothing else is
// altered: smart quotes, scientific notation and the like are left for
// validation to report.
//
// A leading apostrophe before = + - @ (the mark pbxsync's CSV files put on
// a value a spreadsheet would run as a formula, see report.SafeCell) is
// dropped, so that a file pbxsync wrote (an export, an annotated roster)
// reads back as the values it was written from. Clean is idempotent.
func Clean(s string) string {
	if n := len(s); n == 0 || (!asciiTrimmable(s[0]) && !asciiTrimmable(s[n-1]) && s[0] != '\'') {
		// Fast path: ends are printable ASCII (or empty), no mark.
		if !hasInnerSpace(s) {
			return s
		}
		return innerSpaces.Replace(s)
	}
	s = strings.TrimFunc(s, trimmable)
	if formulaMarked(s) {
		s = strings.TrimFunc(s[1:], trimmable)
	}
	if hasInnerSpace(s) {
		s = innerSpaces.Replace(s)
	}
	return s
}

// formulaMarked reports whether s starts with the apostrophe that marks a
// formula-like value as text: ' then = + - @, a tab or a carriage return.
func formulaMarked(s string) bool {
	return len(s) > 1 && s[0] == '\'' && strings.IndexByte("=+-@\t\r", s[1]) >= 0
}

// asciiTrimmable reports whether byte b may start or end something Clean
// trims: ASCII space or control, or the first or last byte of a multi-byte
// character.
func asciiTrimmable(b byte) bool { return b <= ' ' || b >= utf8.RuneSelf }

// hasInnerSpace reports whether s may hold a non-breaking space (their UTF-8
// forms start with 0xC2 or 0xE2).
func hasInnerSpace(s string) bool {
	return strings.IndexByte(s, 0xC2) >= 0 || strings.IndexByte(s, 0xE2) >= 0
}

// trimmable reports whether Clean trims r at the ends of a value.
func trimmable(r rune) bool {
	switch r {
	case '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return unicode.IsSpace(r)
}
