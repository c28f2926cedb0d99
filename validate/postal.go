package validate

import "strings"

// postalShapes are the shapes of the postal codes checked, per country, after
// upper-casing and removing spaces: '9' is a digit, 'A' a letter, anything
// else itself. Countries not listed are accepted as given.
var postalShapes = map[string][]string{
	"US": {"99999", "99999-9999"},
	"CA": {"A9A9A9"},
	"GB": {"A99AA", "A999AA", "AA99AA", "AA999AA", "A9A9AA", "AA9A9AA"},
	"DE": {"99999"},
	"FR": {"99999"},
	"NL": {"9999AA"},
	"AU": {"9999"},
}

// postalExamples show each checked format in a hint.
var postalExamples = map[string]string{
	"US": "12345 or 12345-6789", "CA": "A1A 1A1", "GB": "SW1A 1AA", "DE": "10115",
	"FR": "75001", "NL": "1234 AB", "AU": "2000",
}

// Postal returns the canonical postal code of an address in country, and
// false when the country's format is checked and the code does not have it.
// Canadian, British and Dutch codes get their single space back ("K1A 0B1",
// "SW1A 1AA", "1012 AB").
func Postal(country, s string) (string, bool) {
	s = strings.TrimSpace(s)
	shapes, ok := postalShapes[country]
	if !ok {
		return s, !hasControl(s)
	}
	k := strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	for _, shape := range shapes {
		if fits(k, shape) {
			switch country {
			case "CA", "GB":
				return k[:len(k)-3] + " " + k[len(k)-3:], true
			case "NL":
				return k[:4] + " " + k[4:], true
			}
			return k, true
		}
	}
	return "", false
}

// fits reports whether s has the shape: '9' a digit, 'A' a letter A-Z.
func fits(s, shape string) bool {
	if len(s) != len(shape) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch shape[i] {
		case '9':
			if c < '0' || c > '9' {
				return false
			}
		case 'A':
			if c < 'A' || c > 'Z' {
				return false
			}
		default:
			if c != shape[i] {
				return false
			}
		}
	}
	return true
}
