package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// addressParts are the fields of an E911 address, all required once any is given.
var addressParts = []struct {
	field fx
	name  string
}{
	{xStreet, "street"},
	{xCity, "city"},
	{xRegion, "state or region"},
	{xPostal, "postal code"},
	{xCountry, "country"},
}

// checkLocation checks the row's E911 address (DOMAIN rule 8: complete and
// correct): when any part is given, all five are required, the country is a
// known country, and for the countries we know the postal code has their
// format and the state or province is one of theirs. A row that gives no
// country has its site's: the site's region is the country its addresses
// are in. The parts a row leaves out are one problem, at the first of them.
// A row that gives no part has its site's default E911 address, if any.
func (rc *rowCheck) checkLocation() {
	var text [5]string
	given := false
	for i, p := range addressParts {
		text[i], _ = rc.text(p.field)
		given = given || text[i] != ""
	}
	if !given {
		// none on the row: the site's default E911 address, when it has one (a sites file sets it)
		if rc.site != nil && rc.site.E911 != "" {
			if l := rc.c.st.Locations[rc.site.E911]; l != nil {
				rc.blk.loc = l.Address
				rc.row.Location = &rc.blk.loc
			}
		}
		return
	}
	if text[4] == "" && rc.site != nil {
		if cc, ok := Country(rc.site.Region); ok {
			text[4] = cc // the site's region is its addresses' country
		}
	}
	ok := true
	var missing []string
	first := -1
	for i, p := range addressParts {
		if text[i] == "" {
			if first < 0 {
				first = i
			}
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		ok = false
		what := joinAnd(missing)
		rc.ps.add(rc.cell(addressParts[first].field), CodeE911Incomplete, "", pbx.ErrInvalid,
			fmt.Sprintf("the E911 address has no %s", what),
			fmt.Sprintf("an E911 address needs street, city, state or region, postal code and country: fill in the %s", what))
	}
	defer func() {
		if !ok {
			for _, p := range addressParts {
				rc.row.SetFaulty(p.field.field())
			}
		}
	}()
	street, city, region, postal, country := text[0], text[1], text[2], text[3], text[4]
	canon := rc.c.address(country, region, postal)
	if country != "" && !canon.countryOK {
		ok = false
		rc.ps.add(rc.cell(xCountry), CodeE911Country, country, pbx.ErrInvalid,
			fmt.Sprintf("country %q is not a country we know", country),
			"write the country as its two-letter ISO code, e.g. US, CA, GB, DE")
	}
	country = canon.country
	if country != "" && region != "" {
		if !canon.regionOK {
			ok = false
			rc.ps.add(rc.cell(xRegion), CodeE911Region, region, pbx.ErrInvalid,
				fmt.Sprintf("%q is not a state or province of %s", region, country),
				regionHint(country))
		}
		region = canon.region
	}
	if country != "" && postal != "" {
		if !canon.postalOK {
			ok = false
			rc.ps.add(rc.cell(xPostal), CodeE911Postal, postal, pbx.ErrInvalid,
				fmt.Sprintf("postal code %q does not have the format of %s", postal, country),
				fmt.Sprintf("write the postal code as in %s", postalExamples[country]))
		}
		postal = canon.postal
	}
	if ok {
		rc.blk.loc = pbx.Address{Street: street, City: city, Region: region, Postal: postal, Country: country}
		rc.row.Location = &rc.blk.loc
	}
}

// joinAnd joins names as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// addressKey is the country, state or region and postal code of an address
// as a row gives them (trimmed).
type addressKey struct{ country, region, postal string }

// addressCanon is what Country, Region and Postal make of an addressKey:
// the country's code, then the region and postal code in that country.
type addressCanon struct {
	country, region, postal       string
	countryOK, regionOK, postalOK bool
}

// address canonicalises the country, region and postal code of an address
// as checkLocation does, through the Checker's memo: the rows of a site
// survey mostly share a handful of addresses.
func (c *Checker) address(country, region, postal string) addressCanon {
	k := addressKey{country, region, postal}
	if c.lastAddress.key == k && c.addresses != nil {
		return c.lastAddress.canon // rows come in runs of one address: no hashing
	}
	if a, ok := c.addresses[k]; ok {
		c.lastAddress.key, c.lastAddress.canon = k, a
		return a
	}
	var a addressCanon
	if country != "" {
		a.country, a.countryOK = Country(country)
	}
	if cc := a.country; cc != "" {
		if region != "" {
			a.region, a.regionOK = Region(cc, region)
		}
		if postal != "" {
			a.postal, a.postalOK = Postal(cc, postal)
		}
	}
	if c.addresses == nil {
		c.addresses = make(map[addressKey]addressCanon)
	}
	if len(c.addresses) < maxMemo {
		c.addresses[k] = a
	}
	c.lastAddress.key, c.lastAddress.canon = k, a
	return a
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
