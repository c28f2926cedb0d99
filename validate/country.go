package validate

import (
	"strings"

	"golang.org/x/text/language"
)

// countryNames are the country names rosters commonly use, lower case, by
// ISO 3166 alpha-2 code. Codes themselves (alpha-2, alpha-3, numeric) are
// resolved by golang.org/x/text/language.
var countryNames = map[string]string{
	"united states": "US", "united states of america": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
	"canada":         "CA",
	"united kingdom": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
	"wales": "GB", "northern ireland": "GB",
	"germany": "DE", "deutschland": "DE",
	"france":      "FR",
	"netherlands": "NL", "the netherlands": "NL", "holland": "NL", "nederland": "NL",
	"australia": "AU",
	"ireland":   "IE", "spain": "ES", "españa": "ES", "italy": "IT", "italia": "IT", "mexico": "MX", "méxico": "MX",
	"belgium": "BE", "switzerland": "CH", "austria": "AT", "sweden": "SE", "norway": "NO", "denmark": "DK",
	"new zealand": "NZ", "india": "IN", "japan": "JP", "brazil": "BR", "poland": "PL", "portugal": "PT",
}

// Country returns the ISO 3166 alpha-2 code of a country written as a code
// ("us", "USA", "840", "UK") or as one of the common names of countryNames
// ("United States", "Deutschland").
func Country(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) <= 3 {
		if r, err := language.ParseRegion(s); err == nil {
			if r = r.Canonicalize(); r.IsCountry() { // UK -> GB
				return r.String(), true
			}
		}
	}
	c, ok := countryNames[strings.ToLower(s)]
	return c, ok
}
