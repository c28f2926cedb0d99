package mapping

import (
	"strings"
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
