package mapping

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// NormalizeHeader returns the key headers are matched by: lower case, letters
// and digits only, so "E-mail Address", "email_address" and "EMAIL ADDRESS"
// all give "emailaddress". A header of only punctuation gives "".
func NormalizeHeader(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// keyEqual reports whether s normalises to key (a NormalizeHeader result)
// without allocating: it is what value maps use on every row.
func keyEqual(key, s string) bool {
	i := 0
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		r = unicode.ToLower(r)
		if i >= len(key) {
			return false
		}
		k, size := utf8.DecodeRuneInString(key[i:])
		if k != r {
			return false
		}
		i += size
	}
	return i == len(key)
}

// cleanHeader is the header text as shown to the user: trimmed, without the
// byte-order mark a spreadsheet export may put before the first header.
func cleanHeader(s string) string {
	return strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
}
