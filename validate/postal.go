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
	"ES": {"99999"},
	"IT": {"99999"},
	"MX": {"99999"},
	"BE": {"9999"},
	"CH": {"9999"},
	"AT": {"9999"},
	"NO": {"9999"},
	"DK": {"9999"},
	"NZ": {"9999"},
	"IN": {"999999"},
	"SE": {"99999"},
	"JP": {"999-9999", "9999999"},
	"BR": {"99999-999", "99999999"},
	"PL": {"99-999", "99999"},
	"PT": {"9999-999", "9999999"},
}

// postalDash is where the countries that write a hyphen in their postal
// codes put it, counted from the start.
var postalDash = map[string]int{"JP": 3, "BR": 5, "PL": 2, "PT": 4}

// postalExamples show each checked format in a hint.
var postalExamples = map[string]string{
	"US": "12345 or 12345-6789", "CA": "A1A 1A1", "GB": "SW1A 1AA", "DE": "10115",
	"FR": "75001", "NL": "1234 AB", "AU": "2000", "ES": "28013", "IT": "00184", "MX": "06600",
	"BE": "1000", "CH": "8001", "AT": "1010", "NO": "0150", "DK": "1050", "NZ": "6011",
	"IN": "110001", "SE": "111 22", "JP": "100-0001", "BR": "01310-100", "PL": "00-950", "PT": "1100-148",
}

// Postal returns the canonical postal code of an address in country, and
// false when the country's format is checked and the code does not have it.
// Canadian, British, Dutch and Swedish codes get their single space back
// ("K1A 0B1", "SW1A 1AA", "1012 AB", "111 22"); Japanese, Brazilian, Polish
// and Portuguese ones their hyphen ("100-0001", "01310-100", "00-950",
// "1100-148").
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
			case "SE":
				return k[:3] + " " + k[3:], true
			}
			if at, ok := postalDash[country]; ok && !strings.Contains(k, "-") {
				return k[:at] + "-" + k[at:], true
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
