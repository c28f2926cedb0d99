package validate

import "strings"

// usStates are the US state, district and territory codes, with their names.
var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
	"KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
	"MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
	"MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
	"NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
	"OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
	"VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	"DC": "District of Columbia", "PR": "Puerto Rico", "GU": "Guam", "VI": "U.S. Virgin Islands",
	"AS": "American Samoa", "MP": "Northern Mariana Islands",
}

// caProvinces are the Canadian province and territory codes, with their names.
var caProvinces = map[string]string{
	"AB": "Alberta", "BC": "British Columbia", "MB": "Manitoba", "NB": "New Brunswick",
	"NL": "Newfoundland and Labrador", "NS": "Nova Scotia", "NT": "Northwest Territories",
	"NU": "Nunavut", "ON": "Ontario", "PE": "Prince Edward Island", "QC": "Quebec",
	"SK": "Saskatchewan", "YT": "Yukon",
}

// regionNames maps a lower-case state or province name to its code, per country.
var regionNames = map[string]map[string]string{"US": byName(usStates), "CA": byName(caProvinces)}

func byName(codes map[string]string) map[string]string {
	m := make(map[string]string, len(codes))
	for code, name := range codes {
		m[strings.ToLower(name)] = code
	}
	return m
}

// Region returns the canonical state or province of an address in country:
// for the US and Canada the two-letter code (given as a code or a name, any
// case), and false when it is not one of the country's; for other countries
// the text as given.
func Region(country, s string) (string, bool) {
	s = strings.TrimSpace(s)
	var codes map[string]string
	switch country {
	case "US":
		codes = usStates
	case "CA":
		codes = caProvinces
	default:
		return s, !hasControl(s)
	}
	up := strings.ToUpper(s)
	if _, ok := codes[up]; ok {
		return up, true
	}
	code, ok := regionNames[country][strings.ToLower(s)]
	return code, ok
}
