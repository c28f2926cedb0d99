package validate

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// A missing part is a problem on its cell, or on the row when the file has
// no column for it; a missing country is no problem: the site's region is
// the country of its addresses.
func TestE911Incomplete(t *testing.T) {
	for _, p := range addressParts {
		f := p.field.field()
		t.Run(string(f), func(t *testing.T) {
			r, ps := rowOf(t, kv{f: ""})
			if f == pbx.FCountry {
				wantClean(t, r, ps)
				if r.Location.Country != "US" {
					t.Errorf("country %q, want US, the default site's region", r.Location.Country)
				}
				return
			}
			wantOne(t, ps, CodeE911Incomplete, pbx.ErrInvalid, 7, f, "")
			_, ps = rowOf(t, kv{f: absent})
			wantOne(t, ps, CodeE911Incomplete, pbx.ErrInvalid, 7, "", "")
		})
	}
}

// The parts a row leaves out are one problem (not one a part), at the first
// of them, naming each; the row's address fields are left out of its checks.
func TestE911IncompleteOncePerRow(t *testing.T) {
	r, ps := Check(testState(), mapped(7, with(typical(), kv{pbx.FStreet: "", pbx.FCity: "", pbx.FRegion: "", pbx.FPostal: ""})))
	p := wantOne(t, ps, CodeE911Incomplete, pbx.ErrInvalid, 7, pbx.FStreet, "")
	if !strings.Contains(p.Message, "street, city, state or region and postal code") {
		t.Errorf("message %q does not name every missing part", p.Message)
	}
	if r == nil || r.Location != nil || !r.Faulty(pbx.FStreet) || !r.Faulty(pbx.FCountry) {
		t.Errorf("row %+v: want no location and the address fields faulty", r)
	}
}

// The site's region is the country of a row's address when it gives none.
func TestE911CountryFromSite(t *testing.T) {
	r, ps := rowOf(t, kv{pbx.FCountry: absent, pbx.FSite: "lon", pbx.FNumber: "020 7946 0018", pbx.FRegion: "London", pbx.FPostal: "SW1A 1AA"})
	wantClean(t, r, ps)
	if r.Location == nil || r.Location.Country != "GB" {
		t.Fatalf("location %+v, want country GB, site lon's region", r.Location)
	}
}

func TestE911None(t *testing.T) {
	r, ps := rowOf(t, kv{pbx.FStreet: "", pbx.FCity: "", pbx.FRegion: "", pbx.FPostal: "", pbx.FCountry: ""})
	wantClean(t, r, ps)
	if r.Location != nil {
		t.Errorf("location = %+v", r.Location)
	}
}

func location(r *pbx.Row) string {
	l := r.Location
	return l.Street + "|" + l.City + "|" + l.Region + "|" + l.Postal + "|" + l.Country
}

func TestE911Country(t *testing.T) {
	runField(t, pbx.FCountry, nil, func(r *pbx.Row) string { return r.Location.Country }, []fieldCase{
		{in: "US", want: "US"},
		{in: "us", want: "US"},
		{in: "USA", want: "US"},
		{in: "United States", want: "US"},
		{in: "united states of america", want: "US"},
		{in: "840", want: "US"},
		{in: "Atlantis", code: CodeE911Country, err: pbx.ErrInvalid},
		{in: "XX", code: CodeE911Country, err: pbx.ErrInvalid},
		{in: "EU", code: CodeE911Country, err: pbx.ErrInvalid},
	})
}

func TestCountry(t *testing.T) {
	for in, want := range map[string]string{
		"Canada": "CA", "CA": "CA", "CAN": "CA", "UK": "GB", "uk": "GB", "United Kingdom": "GB", "GB": "GB",
		"Deutschland": "DE", "Germany": "DE", "DEU": "DE", "France": "FR", "Netherlands": "NL", "Holland": "NL",
		"Australia": "AU", "IE": "IE", "NZ": "NZ", " de ": "DE",
	} {
		if got, ok := Country(in); !ok || got != want {
			t.Errorf("Country(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "ZZ", "QO", "Narnia", "U S"} {
		if got, ok := Country(in); ok {
			t.Errorf("Country(%q) = %q, want not found", in, got)
		}
	}
}

func TestE911PostalUS(t *testing.T) {
	runField(t, pbx.FPostal, nil, func(r *pbx.Row) string { return r.Location.Postal }, []fieldCase{
		{in: "94105", want: "94105"},
		{in: "94105-1234", want: "94105-1234"},
		{in: "9410", code: CodeE911Postal, err: pbx.ErrInvalid},
		{in: "941051234", code: CodeE911Postal, err: pbx.ErrInvalid},
		{in: "ABCDE", code: CodeE911Postal, err: pbx.ErrInvalid},
	})
}

func TestE911RegionUS(t *testing.T) {
	runField(t, pbx.FRegion, nil, func(r *pbx.Row) string { return r.Location.Region }, []fieldCase{
		{in: "CA", want: "CA"},
		{in: "ny", want: "NY"},
		{in: "California", want: "CA"},
		{in: "district of columbia", want: "DC"},
		{in: "ZZ", code: CodeE911Region, err: pbx.ErrInvalid},
		{in: "Ontario", code: CodeE911Region, err: pbx.ErrInvalid},
	})
}

// A Canadian address: province and postal code of Canada.
func TestE911Canada(t *testing.T) {
	ca := kv{pbx.FStreet: "24 Sussex Dr", pbx.FCity: "Ottawa", pbx.FRegion: "ON", pbx.FPostal: "K1A 0B1", pbx.FCountry: "Canada"}
	runField(t, pbx.FPostal, ca, location, []fieldCase{
		{in: "K1A 0B1", want: "24 Sussex Dr|Ottawa|ON|K1A 0B1|CA"},
		{in: "k1a0b1", want: "24 Sussex Dr|Ottawa|ON|K1A 0B1|CA"},
		{in: "K1A 0B", code: CodeE911Postal, err: pbx.ErrInvalid},
		{in: "12345", code: CodeE911Postal, err: pbx.ErrInvalid},
	})
	runField(t, pbx.FRegion, ca, func(r *pbx.Row) string { return r.Location.Region }, []fieldCase{
		{in: "qc", want: "QC"},
		{in: "Ontario", want: "ON"},
		{in: "NY", code: CodeE911Region, err: pbx.ErrInvalid},
	})
}

func TestPostal(t *testing.T) {
	for _, c := range []struct {
		country, in, want string
		ok                bool
	}{
		{"GB", "SW1A1AA", "SW1A 1AA", true},
		{"GB", "sw1a 1aa", "SW1A 1AA", true},
		{"GB", "M1 1AE", "M1 1AE", true},
		{"GB", "EC1A 1BB", "EC1A 1BB", true},
		{"GB", "B33 8TH", "B33 8TH", true},
		{"GB", "SW1A", "", false},
		{"GB", "1AA SW1", "", false},
		{"DE", "10115", "10115", true},
		{"DE", "1011", "", false},
		{"FR", "75001", "75001", true},
		{"FR", "7500A", "", false},
		{"NL", "1012ab", "1012 AB", true},
		{"NL", "1012 AB", "1012 AB", true},
		{"NL", "101 AB", "", false},
		{"AU", "2000", "2000", true},
		{"AU", "20000", "", false},
		{"IE", "D02 X285", "D02 X285", true}, // not checked: as given
		{"SE", "11122", "111 22", true},
		{"SE", "111 22", "111 22", true},
		{"SE", "1112", "", false},
		{"JP", "1000001", "100-0001", true},
		{"JP", "100-0001", "100-0001", true},
		{"JP", "100-001", "", false},
		{"BR", "01310100", "01310-100", true},
		{"BR", "01310-100", "01310-100", true},
		{"PL", "00950", "00-950", true},
		{"PL", "00-95", "", false},
		{"PT", "1100148", "1100-148", true},
		{"IT", "00184", "00184", true},
		{"IT", "0018", "", false},
		{"IN", "110001", "110001", true},
		{"ES", "2801", "", false},
		{"CH", "8001", "8001", true},
	} {
		got, ok := Postal(c.country, c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("Postal(%s, %q) = %q, %v; want %q, %v", c.country, c.in, got, ok, c.want, c.ok)
		}
	}
}

// Other countries: region and postal code as given.
func TestE911OtherCountry(t *testing.T) {
	gb := kv{pbx.FSite: "lon", pbx.FNumber: "020 7946 0958", pbx.FStreet: "10 Downing St", pbx.FCity: "London",
		pbx.FRegion: "Greater London", pbx.FPostal: "sw1a2aa", pbx.FCountry: "United Kingdom"}
	r, ps := rowOf(t, gb)
	wantClean(t, r, ps)
	if got := location(r); got != "10 Downing St|London|Greater London|SW1A 2AA|GB" {
		t.Errorf("location = %s", got)
	}
}
