package validate

import "unicode"

// MaxNameLen is the longest first name, last name or number label, in characters.
const MaxNameLen = 64

// MaxStreetLen is the longest E911 street, in characters.
const MaxStreetLen = 128

// hasControl reports whether s holds a control character (tab, line break,
// NUL...), which a name pasted from another system sometimes carries.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ { // ASCII first, byte by byte
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		} else if c >= 0x80 {
			return hasControlRune(s[i:])
		}
	}
	return false
}

// hasControlRune is hasControl rune by rune, for text beyond ASCII.
func hasControlRune(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r >= 0x80 && unicode.IsControl(r) {
			return true
		}
	}
	return false
}
