package mapping

import (
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// placedOn returns the first column a draft's rule reads, or "".
func placedOn(r *Rule) string {
	switch {
	case r == nil:
		return ""
	case len(r.Columns) > 0:
		return r.Columns[0]
	case len(r.Join) > 0:
		return r.Join[0]
	}
	return ""
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		name     string
		headers  []string
		rows     [][]string
		placed   map[pbx.Field]string // field -> the header (or first header) it uses
		derived  []pbx.Field
		ignore   []string
		unplaced []string
		defaults map[pbx.Field]string // the detected legacy profile's defaults
	}{
		{"hr export",
			[]string{"Employee Number", "Full Name", "Work Email", "Mobile Number", "Desk Phone Ext", "Handset Model", "Handset MAC", "Department", "Cost Centre", "Building"},
			[][]string{{"E100", "Ada Lovelace", "ada@acme.example", "+1 415 555 0101", "0101", "Yealink T42G", "80:5e:c0:00:01:01", "R&D", "4711", "North"}},
			map[pbx.Field]string{pbx.FExternalID: "Employee Number", pbx.FFirstName: "Full Name", pbx.FLastName: "Full Name",
				pbx.FEmail: "Work Email", pbx.FNumber: "Mobile Number", pbx.FExtension: "Desk Phone Ext",
				pbx.FModel: "Handset Model", pbx.FMAC: "Handset MAC"},
			[]pbx.Field{pbx.FUserID}, []string{"Department"}, []string{"Cost Centre", "Building"}, nil},
		{"kazoo-like, brand and model joined",
			[]string{"first_name", "last_name", "email_address", "brand", "model", "family"},
			[][]string{{"Ada", "Lovelace", "ada@acme.example", "yealink", "t42g", "t4x"}},
			map[pbx.Field]string{pbx.FFirstName: "first_name", pbx.FLastName: "last_name", pbx.FEmail: "email_address", pbx.FModel: "brand"},
			[]pbx.Field{pbx.FUserID}, []string{"family"}, nil,
			map[pbx.Field]string{pbx.FStationType: "standard", pbx.FVoiceEnabled: "yes"}},
		{"site survey",
			[]string{"Given Name", "Surname", "Login", "Country Code", "Telephone", "Street", "City", "State", "ZIP", "Country"},
			[][]string{{"Ada", "Lovelace", "ada@acme.example", "1", "415 555 0101", "100 Market St", "San Francisco", "CA", "94105", "US"}},
			map[pbx.Field]string{pbx.FFirstName: "Given Name", pbx.FLastName: "Surname", pbx.FUserID: "Login",
				pbx.FNumber: "Telephone", pbx.FStreet: "Street", pbx.FCity: "City", pbx.FRegion: "State", pbx.FPostal: "ZIP", pbx.FCountry: "Country"},
			[]pbx.Field{pbx.FExtension}, nil, nil, nil},
		{"nothing known",
			[]string{"Kostenstelle", "", "Gebäude", "Kostenstelle"},
			[][]string{{"4711", "", "Nord", "4711"}},
			map[pbx.Field]string{}, nil, nil, []string{"Kostenstelle", "Gebäude"}, nil},
		{"the traps of the issue",
			[]string{"extension", "call_record_outgoing_internal_enabled", "Voicemail Status", "Port", "serial_number", "device_address", "email"},
			[][]string{
				{"2001", "true", "enabled", "5060", "SN805EC0A1B2", "805ec0a1b2c3", "ada@acme.example"},
				{"2002", "false", "disabled", "5060", "SN805EC0A1B3", "805ec0a1b2c4", "grace@acme.example"},
			},
			map[pbx.Field]string{pbx.FExtension: "extension", pbx.FMAC: "device_address", pbx.FEmail: "email"},
			// Port and serial_number are columns built-ins ignore (FreePBX's SIP port, RingCentral's serial).
			[]pbx.Field{pbx.FUserID}, []string{"Port", "serial_number"}, []string{"call_record_outgoing_internal_enabled", "Voicemail Status"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sg := Suggest(tt.headers, tt.rows)
			p := sg.Profile
			var unplaced []string
			for _, u := range sg.Unplaced {
				unplaced = append(unplaced, u.Header)
			}
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
				if got := placedOn(p.Fields[f]); got != h {
					t.Errorf("%s placed on %q, want %q", f, got, h)
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
			text := mustMarshal(t, p)
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

// Each placement says how sure it is and which values decided it, and the
// draft carries that as a comment; an unplaced column says why, with a value.
func TestSuggestExplains(t *testing.T) {
	sg := Suggest([]string{"Nebenstelle", "SIP Port"}, [][]string{{"2001", "5060"}, {"2002", "5060"}, {"", "5061"}})
	if len(sg.Placed) == 0 || sg.Placed[0].Field != pbx.FExtension {
		t.Fatalf("placed %+v, want the extension first", sg.Placed)
	}
	pl := sg.Placed[0]
	if pl.Sampled != 2 || pl.Passed != 2 || !slices.Equal(pl.Values, []string{"2001", "2002"}) || pl.Confidence <= 0.5 || pl.Confidence > 1 {
		t.Errorf("placement %+v", pl)
	}
	if !strings.Contains(pl.By, "nebenstelle") {
		t.Errorf("By = %q, want the header word", pl.By)
	}
	if len(sg.Unplaced) != 1 || sg.Unplaced[0].Sample != "5060" || !strings.Contains(sg.Unplaced[0].Why, "port") {
		t.Errorf("unplaced %+v, want Port with 5060 and why", sg.Unplaced)
	}
	text := string(mustMarshal(t, sg.Profile))
	for _, want := range []string{"# confidence 0.80, by the header word \"nebenstelle\"; 2 of 2 values pass: \"2001\", \"2002\"", `SIP Port (e.g. "5060")`} {
		if !strings.Contains(text, want) {
			t.Errorf("draft lacks %q:\n%s", want, text)
		}
	}
}

// A legacy export gets its own profile's rules first: CUCM's user ID is
// derived from the mail, and its DID mask filled from the extension.
func TestSuggestLegacyExport(t *testing.T) {
	headers, rows := readSample(t, "cucm-bat-users-phones.csv")
	sg := Suggest(headers, rows)
	p := sg.Profile
	if len(sg.Unplaced) > 0 {
		t.Errorf("unplaced %+v", sg.Unplaced)
	}
	if r := p.Fields[pbx.FNumber]; r == nil || !slices.Equal(r.Columns, Names{"EXTERNAL PHONE NUMBER MASK  1"}) || r.MaskFrom != pbx.FExtension {
		t.Errorf("number rule %+v", r)
	}
	if r := p.Fields[pbx.FUserID]; r == nil || r.From != pbx.FEmail || !r.Login {
		t.Errorf("user_id rule %+v", r)
	}
	if r := p.Fields[pbx.FMAC]; r == nil || r.CUCMDevice != "mac" {
		t.Errorf("mac rule %+v", r)
	}
	if len(p.LeftOut) != 1 || p.LeftOut[0].Columns[0] != "DIRECTORY NUMBER  2" {
		t.Errorf("left_out %+v, want the second line", p.LeftOut)
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
	sg := Suggest([]string{"first_name", "email_address", "brand", "model"}, nil)
	if r := sg.Profile.Fields[pbx.FModel]; r == nil || !slices.Equal([]string(r.Join), []string{"brand", "model"}) {
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
		{"Mitarbeiternummer", pbx.FExternalID},
		{"Nebenstelle", pbx.FExtension},
		{"Telefonnummer", pbx.FNumber},
		{"Vorname", pbx.FFirstName},
		{"Matricule", pbx.FExternalID},
		{"Poste", pbx.FExtension},
		{"Prénom", pbx.FFirstName},
		{"Correo electrónico", pbx.FEmail},
		{"Código postal", pbx.FPostal},
		{"Cognome", pbx.FLastName},
		{"Interno", pbx.FExtension},
		{"Toestelnummer", pbx.FExtension},
		{"Achternaam", pbx.FLastName},
		{"Ramal", pbx.FExtension},
		{"Straße", pbx.FStreet},
		{"Bundesland", pbx.FRegion},
	}
	for _, tt := range tests {
		got, ok := keywordField(tt.header)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("keywordField(%q) = %q, %v; want %q", tt.header, got, ok, tt.want)
		}
	}
}
