package mapping

import (
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"testing"
	"unicode/utf8"
)

// FuzzKeyEqual: the allocation-free comparison agrees with NormalizeHeader.
func FuzzKeyEqual(f *testing.F) {
	for _, s := range []string{"E-mail Address", "Y", "Prénom", "İstanbul", "ǅ", "", "--", "\ufeffx"} {
		f.Add(s, "y")
	}
	f.Fuzz(func(t *testing.T, s, other string) {
		if !utf8.ValidString(s) || !utf8.ValidString(other) {
			return
		}
		k := NormalizeHeader(s)
		if !keyEqual(k, s) {
			t.Errorf("keyEqual(NormalizeHeader(%q)=%q, %q) = false", s, k, s)
		}
		if keyEqual(k, other) != (NormalizeHeader(other) == k) {
			t.Errorf("keyEqual(%q, %q) disagrees with NormalizeHeader", k, other)
		}
	})
}

// FuzzMap: any headers and cells map without panicking, every field keeps
// its cell inside the row, and a template never fills in an empty field.
func FuzzMap(f *testing.F) {
	f.Add("Name,E-mail,DID,Ext", "Lovelace, Ada|ada@acme.example|4155550101; 4155550102|")
	f.Add("name,outboundcid,extension", `x|"A" <1>|`)
	f.Add("Country Code,National,,Name", "+1|415 555 0101|x|José de la Cruz Jr.")
	profile := mustParse(f, `
fields:
  first_name: {columns: [Given], or: [{columns: [Name], name_part: first}]}
  last_name: {columns: [Family], or: [{columns: [Name], name_part: last}]}
  email: {columns: [E-mail], or_if_empty: true, or: [{columns: [Mail]}]}
  user_id: {template: "{first:1}{last}@acme.example", login: true}
  number: {columns: [DID, National], country_code: [Country Code], multi: true, prefix: "+1", cid_number: true}
  extension: {columns: [Ext], or: [{from: number, last_digits: 4}]}
  model: {join: [Brand, Model], replace: {"/": " "}, lower: true}
  station_type: {default: standard}
`)
	f.Fuzz(func(t *testing.T, headerLine, cellLine string) {
		headers := strings.Split(headerLine, ",")
		cells := strings.Split(cellLine, "|")
		b, _ := profile.Bind("f.csv", "", 1, headers)
		m := b.Map(2, cells)
		for field, v := range m.Values.All() {
			if v.Cell.Col >= len(headers) || v.Cell.Row != 2 {
				t.Errorf("%s: cell %+v outside the row", field, v.Cell)
			}
			if len(v.Parts) > 0 && v.Text != strings.Join(v.Parts, "; ") {
				t.Errorf("%s: text %q does not join parts %q", field, v.Text, v.Parts)
			}
		}
		if u := m.Values.At("user_id").Text; u != "" && (m.Values.At("first_name").Text == "" || m.Values.At("last_name").Text == "") {
			t.Errorf("user_id %q made from an empty name", u)
		}
	})
}

// FuzzSuggest: any headers and values give a draft that reads back and binds
// to the file without a problem, and no column placed by its header holds
// values that mostly fail its field's parser.
func FuzzSuggest(f *testing.F) {
	f.Add("Vorname,Nachname,E-Mail,Nebenstelle,SIP Port", "Jürgen|Müller|j@acme.example|0121|5060")
	f.Add("DEVICE NAME,OWNER USER ID,DIRECTORY NUMBER  1,DIRECTORY NUMBER  2", "SEP001B54A1C301|a@acme.example|5301|5399")
	f.Add("Name,Name,,Port,device_address", "Lovelace, Ada|x||1|805ec0a1b2c3")
	f.Fuzz(func(t *testing.T, headerLine, cellLine string) {
		if !utf8.ValidString(headerLine) || !utf8.ValidString(cellLine) {
			return
		}
		headers := strings.Split(headerLine, ",")
		row := strings.Split(cellLine, "|")
		sg := Suggest(headers, [][]string{row, row})
		text, err := sg.Profile.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if len(sg.Profile.Fields) == 0 {
			return
		}
		q, err := Parse("draft", text)
		if err != nil {
			t.Fatalf("the draft does not read back: %v\n%s", err, text)
		}
		if _, problems := q.Bind("f.csv", "", 1, headers); len(problems) > 0 && !hasAmbiguity(problems) {
			t.Errorf("the draft binds with problems %v", problems)
		}
		for _, pl := range sg.Placed {
			if len(pl.Headers) == 0 || pl.Sampled == 0 {
				continue
			}
			if float64(pl.Passed) < MinShare*float64(pl.Sampled) && pl.By != "its values" {
				t.Errorf("%s placed on %q with %d of %d values passing", pl.Field, pl.Headers, pl.Passed, pl.Sampled)
			}
		}
	})
}

// hasAmbiguity reports whether every problem is two columns with one name
// (a header given twice is the file's, not the draft's).
func hasAmbiguity(ps []*pbx.Problem) bool {
	for _, p := range ps {
		if p.Code != CodeAmbiguous {
			return false
		}
	}
	return true
}
