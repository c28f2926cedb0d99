package mapping

import (
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestSuggest(t *testing.T) {
	tests := []struct {
		name     string
		headers  []string
		placed   map[pbx.Field]string // field -> the header (or first header) it uses
		derived  []pbx.Field
		ignore   []string
		unplaced []string
		defaults map[pbx.Field]string // the detected legacy profile's defaults
	}{
		{"hr export",
			[]string{"Employee Number", "Full Name", "Work Email", "Mobile Number", "Desk Phone Ext", "Handset Model", "Handset MAC", "Department", "Cost Centre", "Building"},
			map[pbx.Field]string{pbx.FExternalID: "Employee Number", pbx.FFirstName: "Full Name", pbx.FLastName: "Full Name",
				pbx.FEmail: "Work Email", pbx.FNumber: "Mobile Number", pbx.FExtension: "Desk Phone Ext",
				pbx.FModel: "Handset Model", pbx.FMAC: "Handset MAC"},
			[]pbx.Field{pbx.FUserID}, []string{"Department"}, []string{"Cost Centre", "Building"}, nil},
		{"kazoo-like, brand and model joined",
			[]string{"first_name", "last_name", "email_address", "brand", "model", "family"},
			map[pbx.Field]string{pbx.FFirstName: "first_name", pbx.FLastName: "last_name", pbx.FEmail: "email_address", pbx.FModel: "brand"},
			[]pbx.Field{pbx.FUserID}, []string{"family"}, nil,
			map[pbx.Field]string{pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}},
		{"site survey",
			[]string{"Given Name", "Surname", "Login", "Country Code", "Telephone", "Street", "City", "State", "ZIP", "Country"},
			map[pbx.Field]string{pbx.FFirstName: "Given Name", pbx.FLastName: "Surname", pbx.FUserID: "Login",
				pbx.FNumber: "Telephone", pbx.FStreet: "Street", pbx.FCity: "City", pbx.FRegion: "State", pbx.FPostal: "ZIP", pbx.FCountry: "Country"},
			nil, nil, nil, nil},
		{"nothing known",
			[]string{"Kostenstelle", "", "Gebäude", "Kostenstelle"},
			map[pbx.Field]string{}, nil, nil, []string{"Kostenstelle", "Gebäude"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, unplaced := Suggest(tt.headers)
			if !slices.Equal(unplaced, tt.unplaced) {
				t.Errorf("unplaced = %q, want %q", unplaced, tt.unplaced)
			}
			if !slices.Equal([]string(p.Ignore), tt.ignore) {
				t.Errorf("ignore = %q, want %q", p.Ignore, tt.ignore)
			}
			if want := len(tt.placed) + len(tt.derived) + len(tt.defaults); len(p.Fields) != want {
				t.Errorf("draft has %d fields (%v), want %d", len(p.Fields), p.fieldOrder(), want)
			}
			for f, d := range tt.defaults {
				if r := p.Fields[f]; r == nil || r.Default != d {
					t.Errorf("%s = %+v, want default %q", f, r, d)
				}
			}
			for f, h := range tt.placed {
				r := p.Fields[f]
				if r == nil {
					t.Errorf("%s not placed, want %q", f, h)
					continue
				}
				first := ""
				if len(r.Columns) > 0 {
					first = r.Columns[0]
				} else if len(r.Join) > 0 {
					first = r.Join[0]
				}
				if first != h {
					t.Errorf("%s placed on %q, want %q", f, first, h)
				}
			}
			for _, f := range tt.derived {
				if r := p.Fields[f]; r == nil || r.From == "" && r.Template == "" {
					t.Errorf("%s not derived: %+v", f, r)
				}
			}
			if len(p.Fields) == 0 {
				return
			}
			// The draft must work as it is: parse its text back and bind it to the file.
			text, err := p.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			if len(tt.unplaced) > 0 && !strings.Contains(string(text), "# Not placed: "+tt.unplaced[0]) {
				t.Errorf("draft does not say what it could not place:\n%s", text)
			}
			q, err := Parse("draft", text)
			if err != nil {
				t.Fatalf("draft does not parse: %v\n%s", err, text)
			}
			b, problems := q.Bind("f.csv", "", 1, tt.headers)
			if len(problems) > 0 {
				t.Errorf("draft binds with problems %v", problems)
			}
			if !slices.Equal(b.Unknown(), tt.unplaced) {
				t.Errorf("draft's Unknown() = %q, want the unplaced %q", b.Unknown(), tt.unplaced)
			}
		})
	}
}

// A legacy export gets its own profile's rules first: CUCM's user ID is
// derived from the mail, and its DID mask filled from the extension.
func TestSuggestLegacyExport(t *testing.T) {
	headers, _ := readSample(t, "cucm-bat-users-phones.csv")
	p, unplaced := Suggest(headers)
	if len(unplaced) > 0 {
		t.Errorf("unplaced %q", unplaced)
	}
	if r := p.Fields[pbx.FNumber]; r == nil || !slices.Equal(r.Columns, Names{"EXTERNAL PHONE NUMBER MASK  1"}) || r.MaskFrom != pbx.FExtension {
		t.Errorf("number rule %+v", r)
	}
	if r := p.Fields[pbx.FUserID]; r == nil || r.From != pbx.FEmail || !r.Login {
		t.Errorf("user_id rule %+v", r)
	}
	if _, err := Parse("draft", mustMarshal(t, p)); err != nil {
		t.Errorf("the draft does not parse back: %v", err)
	}
}

func mustMarshal(t *testing.T, p *Profile) []byte {
	t.Helper()
	b, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSuggestKazooModelIsJoined(t *testing.T) {
	p, _ := Suggest([]string{"first_name", "email_address", "brand", "model"})
	if r := p.Fields[pbx.FModel]; r == nil || !slices.Equal([]string(r.Join), []string{"brand", "model"}) {
		t.Errorf("model = %+v, want join of brand and model", r)
	}
}

func TestKeywordField(t *testing.T) {
	tests := []struct {
		header string
		want   pbx.Field // "" for none
	}{
		{"Handset MAC", pbx.FMAC},
		{"Work E-Mail", pbx.FEmail},
		{"Mobile Number", pbx.FNumber},
		{"Tel.", pbx.FNumber},
		{"Desk Ext", pbx.FExtension},
		{"External Ref", pbx.FExternalID},
		{"Employee No", pbx.FExternalID},
		{"Handset", pbx.FModel},
		{"Next Step", ""},    // "ext" only as a whole word
		{"Machine Room", ""}, // "mac" only as a whole word
		{"Textbook", ""},     // no "ext" inside a word
		{"Licence Tier", pbx.FStationType},
		{"Postal", pbx.FPostal},
		{"Notes", ""},
	}
	for _, tt := range tests {
		got, ok := keywordField(tt.header)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("keywordField(%q) = %q, %v; want %q", tt.header, got, ok, tt.want)
		}
	}
}
