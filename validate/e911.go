package validate

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// addressParts are the fields of an E911 address, all required once any is given.
var addressParts = []struct {
	field pbx.Field
	name  string
}{
	{pbx.FStreet, "street"},
	{pbx.FCity, "city"},
	{pbx.FRegion, "state or region"},
	{pbx.FPostal, "postal code"},
	{pbx.FCountry, "country"},
}

// checkLocation checks the row's E911 address (DOMAIN rule 8: complete and
// correct): when any part is given, all five are required, the country is a
// known country, and for the countries we know the postal code has their
// format and the state or province is one of theirs.
func (rc *rowCheck) checkLocation() {
	var text [5]string
	given := false
	for i, p := range addressParts {
		text[i], _ = rc.text(p.field)
		given = given || text[i] != ""
	}
	if !given {
		return
	}
	ok := true
	for i, p := range addressParts {
		if text[i] == "" {
			ok = false
			rc.ps.add(rc.cell(p.field), CodeE911Incomplete, "", pbx.ErrInvalid,
				fmt.Sprintf("the E911 address has no %s", p.name),
				fmt.Sprintf("an E911 address needs street, city, state or region, postal code and country: fill in the %s", p.name))
		}
	}
	street, city, region, postal, country := text[0], text[1], text[2], text[3], text[4]
	if country != "" {
		cc, found := Country(country)
		if !found {
			ok = false
			rc.ps.add(rc.cell(pbx.FCountry), CodeE911Country, country, pbx.ErrInvalid,
				fmt.Sprintf("country %q is not a country we know", country),
				"write the country as its two-letter ISO code, e.g. US, CA, GB, DE")
		}
		country = cc
	}
	if country != "" && region != "" {
		r, found := Region(country, region)
		if !found {
			ok = false
			rc.ps.add(rc.cell(pbx.FRegion), CodeE911Region, region, pbx.ErrInvalid,
				fmt.Sprintf("%q is not a state or province of %s", region, country),
				regionHint(country))
		}
		region = r
	}
	if country != "" && postal != "" {
		pc, found := Postal(country, postal)
		if !found {
			ok = false
			rc.ps.add(rc.cell(pbx.FPostal), CodeE911Postal, postal, pbx.ErrInvalid,
				fmt.Sprintf("postal code %q does not have the format of %s", postal, country),
				fmt.Sprintf("write the postal code as in %s", postalExamples[country]))
		}
		postal = pc
	}
	if ok {
		rc.blk.loc = pbx.Address{Street: street, City: city, Region: region, Postal: postal, Country: country}
		rc.row.Location = &rc.blk.loc
	}
}

// regionHint says how to write a state or province of country.
func regionHint(country string) string {
	switch country {
	case "US":
		return "use the two-letter state code, e.g. CA, NY, TX"
	case "CA":
		return "use the two-letter province code, e.g. ON, QC, BC"
	}
	return "retype the state or region without tabs or line breaks"
}
