package mapping

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// TestHeaderMatching binds the generic profile to headers as people write
// them and checks which column each field takes.
func TestHeaderMatching(t *testing.T) {
	tests := []struct {
		header string
		field  pbx.Field
	}{
		{"user_id", pbx.FUserID},
		{"User ID", pbx.FUserID},
		{"USERID", pbx.FUserID},
		{"first_name", pbx.FFirstName},
		{"First Name", pbx.FFirstName},
		{"FIRST-NAME", pbx.FFirstName},
		{"Given name", pbx.FFirstName},
		{"Last Name", pbx.FLastName},
		{"Surname", pbx.FLastName},
		{"Email", pbx.FEmail},
		{"E-mail Address", pbx.FEmail},
		{"email_address", pbx.FEmail},
		{"Ext", pbx.FExtension},
		{"Ext.", pbx.FExtension},
		{"Extension Number", pbx.FExtension},
		{"Station", pbx.FStationType},
		{"station_type", pbx.FStationType},
		{"Phone Number", pbx.FNumber},
		{"DID", pbx.FNumber},
		{"did", pbx.FNumber},
		{"MAC Address", pbx.FMAC},
		{"mac_address", pbx.FMAC},
		{"Phone Model", pbx.FModel},
		{"Port", pbx.FPort},
		{"Employee ID", pbx.FExternalID},
		{"Zip Code", pbx.FPostal},
		{"e911_street", pbx.FStreet},
		{"\ufeffSite", pbx.FSite},
	}
	p := mustBuiltin(t, "pbxsync")
	for _, tt := range tests {
		headers := []string{"Notes", tt.header}
		b, problems := p.Bind("f.csv", "", 1, headers)
		if len(problems) > 0 {
			t.Errorf("%q: problems %v", tt.header, problems)
			continue
		}
		m := b.Map(2, []string{"n", "value"})
		v, ok := m.Get(tt.field)
		if !ok || v.Text != "value" || v.Cell.Col != 1 {
			t.Errorf("header %q: %s = %+v (present %v), want the value of column B", tt.header, tt.field, v, ok)
		}
		if got := b.Unknown(); !slices.Equal(got, []string{"Notes"}) {
			t.Errorf("header %q: Unknown() = %q, want [Notes]", tt.header, got)
		}
	}
}

// TestMissingEmptyDefault: no column leaves a field absent, an empty cell is
// present and empty, a default fills only a field whose column is absent.
func TestMissingEmptyDefault(t *testing.T) {
	p := mustParse(t, `
fields:
  email: {columns: [Email]}
  site: {columns: [Site], default: hq}
  station_type: {columns: [Station], default: standard}
  extension: {columns: [Ext]}
`)
	b, problems := p.Bind("f.csv", "", 1, []string{"Email", "Station"})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	m := b.Map(2, []string{"", ""})
	tests := []struct {
		field   pbx.Field
		present bool
		text    string
		col     int
	}{
		{pbx.FEmail, true, "", 0},       // empty cell: no value
		{pbx.FStationType, true, "", 1}, // empty cell: the default does not fill it
		{pbx.FSite, true, "hq", -1},     // no column: the default
		{pbx.FExtension, false, "", 0},  // no column, no default: leave alone
		{pbx.FUserID, false, "", 0},     // not in the profile
	}
	for _, tt := range tests {
		v, ok := m.Get(tt.field)
		if ok != tt.present || v.Text != tt.text || ok && v.Cell.Col != tt.col {
			t.Errorf("%s = %+v (present %v), want %q present %v col %d", tt.field, v, ok, tt.text, tt.present, tt.col)
		}
	}
	if v := m.Values.At(pbx.FSite); v.Cell.Row != 2 || v.Cell.File != "f.csv" || !strings.Contains(v.Cell.Header, "default") {
		t.Errorf("default's cell = %+v, want row 2 of f.csv named as a default", v.Cell)
	}
	if got := b.Fields(); !slices.Equal(got, []pbx.Field{pbx.FEmail, pbx.FStationType, pbx.FSite}) {
		t.Errorf("Fields() = %v", got)
	}
}

func TestAmbiguous(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		field   pbx.Field
		used    int // the column the field takes
		second  int // the column the problem names
	}{
		{"two aliases", []string{"Email", "Name", "E-mail Address"}, pbx.FEmail, 0, 2},
		{"same header twice", []string{"MAC", "Model", "mac"}, pbx.FMAC, 0, 2},
		{"two number columns", []string{"DID", "Phone Number"}, pbx.FNumber, 0, 1},
	}
	p := mustBuiltin(t, "pbxsync")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, problems := p.Bind("f.xlsx", "Users", 3, tt.headers)
			if len(problems) != 1 {
				t.Fatalf("problems = %v, want one", problems)
			}
			pr := problems[0]
			if pr.Code != CodeAmbiguous || !errors.Is(pr, ErrAmbiguous) || !errors.Is(pr, pbx.ErrRead) || !pr.Blocking() {
				t.Errorf("problem = %+v, want a blocking %s wrapping ErrAmbiguous and pbx.ErrRead", pr, CodeAmbiguous)
			}
			want := pbx.Cell{File: "f.xlsx", Sheet: "Users", Row: 3, Col: tt.second, Header: tt.headers[tt.second]}
			if pr.Cell != want {
				t.Errorf("problem cell = %+v, want %+v", pr.Cell, want)
			}
			if !strings.Contains(pr.Message, string(tt.field)) || pr.Hint == "" {
				t.Errorf("problem %q does not name %s or has no hint", pr.Message, tt.field)
			}
			m := b.Map(4, []string{"first", "second", "third"})
			if v := m.Values.At(tt.field); v.Cell.Col != tt.used {
				t.Errorf("%s took column %d, want %d", tt.field, v.Cell.Col, tt.used)
			}
		})
	}
}

// TestSameColumnTwoFields: one column may feed several fields; that is not ambiguous.
func TestSameColumnTwoFields(t *testing.T) {
	b, problems := mustBuiltin(t, "pbxsync").Bind("f.csv", "", 1, []string{"Name"})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	m := b.Map(2, []string{"Lovelace, Ada"})
	if m.Values.At(pbx.FFirstName).Text != "Ada" || m.Values.At(pbx.FLastName).Text != "Lovelace" {
		t.Errorf("Name split into %q / %q", m.Values.At(pbx.FFirstName).Text, m.Values.At(pbx.FLastName).Text)
	}
}

func TestMissingRequired(t *testing.T) {
	b, problems := mustBuiltin(t, "kazoo").Bind("k.csv", "", 1, []string{"first_name", "last_name", "mac_address"})
	if len(problems) != 1 {
		t.Fatalf("problems = %v, want one (email_address)", problems)
	}
	pr := problems[0]
	if pr.Code != CodeMissingColumn || !errors.Is(pr, ErrMissingColumn) || !errors.Is(pr, pbx.ErrRead) {
		t.Errorf("problem = %+v, want %s wrapping ErrMissingColumn", pr, CodeMissingColumn)
	}
	if want := (pbx.Cell{File: "k.csv", Row: 1, Col: -1}); pr.Cell != want {
		t.Errorf("cell = %+v, want %+v", pr.Cell, want)
	}
	if !strings.Contains(pr.Message, "email_address") {
		t.Errorf("message %q does not name the column expected", pr.Message)
	}
	// The rest still maps; the login derived from the missing e-mail is absent.
	m := b.Map(2, []string{"Ada", "Lovelace", "80:5e:c0:00:00:01"})
	if _, ok := m.Get(pbx.FUserID); ok {
		t.Error("user_id present although the e-mail it derives from is missing")
	}
	if m.Values.At(pbx.FMAC).Text != "80:5e:c0:00:00:01" {
		t.Errorf("mac = %q", m.Values.At(pbx.FMAC).Text)
	}
}

func TestRequiredByDerivation(t *testing.T) {
	p := mustParse(t, "fields:\n  email: {columns: [Mail]}\n  user_id: {from: email, required: true}\n")
	_, problems := p.Bind("f.csv", "", 1, []string{"Name"})
	if len(problems) != 1 || problems[0].Code != CodeMissingColumn || !strings.Contains(problems[0].Message, "email") {
		t.Errorf("problems = %v, want one missing column naming email", problems)
	}
}

func TestUnknownAndIgnored(t *testing.T) {
	p := mustParse(t, "ignore: [Department, Cost Centre]\nfields:\n  email: {columns: [Email]}\n")
	b, _ := p.Bind("f.csv", "", 1, []string{"Email", "Notes", "department", "", "NOTES", "Cost-Centre", "Desk", " "})
	if got, want := b.Unknown(), []string{"Notes", "Desk"}; !slices.Equal(got, want) {
		t.Errorf("Unknown() = %q, want %q", got, want)
	}
	if got, want := b.Ignored(), []string{"department", "Cost-Centre"}; !slices.Equal(got, want) {
		t.Errorf("Ignored() = %q, want %q", got, want)
	}
}

// Ignore entries ending in * ignore every header that starts so (once
// normalised), as CUCM's many per-line columns need.
func TestIgnorePrefix(t *testing.T) {
	p := mustParse(t, "ignore: [\"FORWARD*\", \"route partition *\"]\nfields:\n  email: {columns: [Email]}\n")
	b, _ := p.Bind("f.csv", "", 1, []string{"Email", "FORWARD ALL DESTINATION  1", "Forward Busy Internal CSS 2", "ROUTE PARTITION  1", "Forwarding Notes", "Partition"})
	if got, want := b.Unknown(), []string{"Partition"}; !slices.Equal(got, want) {
		t.Errorf("Unknown() = %q, want %q", got, want)
	}
	if got := b.Ignored(); len(got) != 4 {
		t.Errorf("Ignored() = %q, want the four FORWARD/ROUTE PARTITION columns", got)
	}
	if _, err := Parse("bad", []byte("ignore: [\"*\"]\nfields:\n  email: {columns: [Email]}\n")); !errors.Is(err, ErrProfile) {
		t.Errorf("ignore: [*] parsed, want an error (it would ignore every column)")
	}
}

// TestCells: every value names its source cell; derived and joined fields
// the first source column.
func TestCells(t *testing.T) {
	p := mustParse(t, `
fields:
  first_name: {columns: [First]}
  last_name: {columns: [Last]}
  user_id: {template: "{first:1}{last}@acme.example", login: true}
  model: {join: [Brand, Model], sep: " "}
  number: {columns: [Number], country_code: [CC]}
  site: {default: hq}
`)
	headers := []string{"CC", "Last", "Model", "First", "Brand", "Number"}
	b, problems := p.Bind("r.xlsx", "Staff", 1, headers)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	m := b.Map(7, []string{"1", "Lovelace", "T42G", "Ada", "Yealink", "415 555 0101"})
	tests := []struct {
		field pbx.Field
		text  string
		col   int
	}{
		{pbx.FFirstName, "Ada", 3},
		{pbx.FLastName, "Lovelace", 1},
		{pbx.FUserID, "alovelace@acme.example", 3}, // the first field of the template
		{pbx.FModel, "Yealink T42G", 4},            // the first column of the join
		{pbx.FNumber, "+1 415 555 0101", 5},        // the number's column
		{pbx.FSite, "hq", -1},
	}
	for _, tt := range tests {
		v := m.Values.At(tt.field)
		if v.Text != tt.text || v.Cell.Col != tt.col || v.Cell.Row != 7 || v.Cell.File != "r.xlsx" || v.Cell.Sheet != "Staff" {
			t.Errorf("%s = %q %+v, want %q at column %d of row 7 of r.xlsx/Staff", tt.field, v.Text, v.Cell, tt.text, tt.col)
		}
		if tt.col >= 0 && v.Cell.Header != headers[tt.col] {
			t.Errorf("%s header = %q, want %q", tt.field, v.Cell.Header, headers[tt.col])
		}
	}
	if m.Row != 7 || m.File != "r.xlsx" || m.Sheet != "Staff" {
		t.Errorf("Mapped = row %d %s/%s", m.Row, m.File, m.Sheet)
	}
}

// TestSources covers each kind of source through Bind and Map.
func TestSources(t *testing.T) {
	tests := []struct {
		name    string
		profile string
		headers []string
		row     []string
		field   pbx.Field
		want    string // "-" for absent
	}{
		{"join skips empty cells", "fields:\n  model: {join: [Brand, Model]}\n",
			[]string{"Brand", "Model"}, []string{"", "T42G"}, pbx.FModel, "T42G"},
		{"join with a part missing from the file", "fields:\n  model: {join: [Brand, Model]}\n",
			[]string{"Model"}, []string{"VVX450"}, pbx.FModel, "VVX450"},
		{"join separator", "fields:\n  e911_street: {join: [No, Street], sep: \", \"}\n",
			[]string{"Street", "No"}, []string{"Main St", "12"}, pbx.FStreet, "12, Main St"},
		{"country code", "fields:\n  number: {columns: [National], country_code: [Country Code]}\n",
			[]string{"Country Code", "National"}, []string{"+44", "20 7946 0958"}, pbx.FNumber, "+44 20 7946 0958"},
		{"country code on each number", "fields:\n  number: {columns: [National], country_code: [CC], multi: true}\n",
			[]string{"CC", "National"}, []string{"44", "20 7946 0958; +1 415 555 0101|20 7946 0959"}, pbx.FNumber, "+44 20 7946 0958; +1 415 555 0101; +44 20 7946 0959"},
		{"country code empty", "fields:\n  number: {columns: [National], country_code: [CC]}\n",
			[]string{"CC", "National"}, []string{"", "415 555 0101"}, pbx.FNumber, "415 555 0101"},
		{"country code column absent", "fields:\n  number: {columns: [National], country_code: [Country Code]}\n",
			[]string{"National"}, []string{"415 555 0101"}, pbx.FNumber, "415 555 0101"},
		{"user ID from e-mail", "fields:\n  email: {columns: [Mail]}\n  user_id: {from: email, login: true}\n",
			[]string{"Mail"}, []string{"Ada.Lovelace@ACME.example"}, pbx.FUserID, "ada.lovelace@acme.example"},
		{"user ID from template", "fields:\n  first_name: {columns: [First]}\n  last_name: {columns: [Last]}\n  user_id: {template: \"{first:1}{last}@acme.example\", login: true}\n",
			[]string{"First", "Last"}, []string{"José", "de la Cruz"}, pbx.FUserID, "jdelacruz@acme.example"},
		{"template over a split name", "fields:\n  first_name: {columns: [Name], name_part: first}\n  last_name: {columns: [Name], name_part: last}\n  user_id: {template: \"{first:1}{last}@acme.example\", login: true}\n",
			[]string{"Name"}, []string{"O'Brien, Máire"}, pbx.FUserID, "mobrien@acme.example"},
		{"template with an empty field", "fields:\n  first_name: {columns: [First]}\n  last_name: {columns: [Last]}\n  user_id: {template: \"{first:1}{last}@acme.example\"}\n",
			[]string{"First", "Last"}, []string{"Ada", ""}, pbx.FUserID, ""},
		{"template with a field absent", "fields:\n  first_name: {columns: [First]}\n  last_name: {columns: [Last]}\n  user_id: {template: \"{first:1}{last}@acme.example\"}\n",
			[]string{"First"}, []string{"Ada"}, pbx.FUserID, "-"},
		{"extension from the number", "fields:\n  number: {columns: [DID], multi: true}\n  extension: {from: number, last_digits: 4}\n",
			[]string{"DID"}, []string{"+1 415 555 0123; +1 415 555 0199"}, pbx.FExtension, "0123"},
		{"derived from a derived field", "fields:\n  email: {columns: [Mail]}\n  user_id: {from: email, login: true}\n  external_id: {template: \"legacy:{user_id}\"}\n",
			[]string{"Mail"}, []string{"Ada@Acme.Example"}, pbx.FExternalID, "legacy:ada@acme.example"},
		{"derived from a default", "fields:\n  site: {default: SFO}\n  number_label: {template: \"{site} desk\", lower: true}\n",
			[]string{"x"}, []string{"y"}, pbx.FNumberLabel, "sfo desk"},
		{"alternative when the first is absent", "fields:\n  mac: {columns: [MAC Address], or: [{columns: [Device Name], trim_prefix: [SEP]}]}\n",
			[]string{"Device Name"}, []string{"SEP001B54ABCDEF"}, pbx.FMAC, "001B54ABCDEF"},
		{"first source wins over an alternative", "fields:\n  mac: {columns: [MAC Address], or: [{columns: [Device Name], trim_prefix: [SEP]}]}\n",
			[]string{"Device Name", "MAC Address"}, []string{"SEP001B54ABCDEF", "0004.f2ab.cdef"}, pbx.FMAC, "0004.f2ab.cdef"},
		{"an empty cell does not fall back", "fields:\n  mac: {columns: [MAC Address], or: [{columns: [Device Name], trim_prefix: [SEP]}]}\n",
			[]string{"Device Name", "MAC Address"}, []string{"SEP001B54ABCDEF", ""}, pbx.FMAC, ""},
		{"or_if_empty falls back on an empty cell", "fields:\n  mac: {columns: [MAC Address], or_if_empty: true, or: [{columns: [Device Name], trim_prefix: [SEP]}]}\n",
			[]string{"Device Name", "MAC Address"}, []string{"SEP001B54ABCDEF", ""}, pbx.FMAC, "001B54ABCDEF"},
		{"or_if_empty keeps a value", "fields:\n  mac: {columns: [MAC Address], or_if_empty: true, or: [{columns: [Device Name], trim_prefix: [SEP]}]}\n",
			[]string{"Device Name", "MAC Address"}, []string{"SEP001B54ABCDEF", "0004f2abcdef"}, pbx.FMAC, "0004f2abcdef"},
		{"or_if_empty all empty", "fields:\n  email: {columns: [Mail], or_if_empty: true, or: [{columns: [Email 2]}]}\n",
			[]string{"Mail", "Email 2"}, []string{"", " "}, pbx.FEmail, ""},
		{"value map", "fields:\n  sms: {columns: [Texting], map: {Y: \"yes\", N: \"no\"}}\n",
			[]string{"Texting"}, []string{"y"}, pbx.FSMS, "yes"},
		{"prefix", "fields:\n  number: {columns: [Phone], prefix: \"+1\"}\n",
			[]string{"Phone"}, []string{"4155550101"}, pbx.FNumber, "+14155550101"},
		{"caller ID number", "fields:\n  caller_id: {columns: [outboundcid], cid_number: true}\n",
			[]string{"outboundcid"}, []string{`"Ada" <4155550101>`}, pbx.FCallerID, "4155550101"},
		{"CUCM mask filled from the extension", "fields:\n  number: {columns: [Mask], mask_from: ext}\n  extension: {columns: [DN]}\n",
			[]string{"Mask", "DN"}, []string{"415555XXXX", "5201"}, pbx.FNumber, "4155555201"},
		{"CUCM mask with a plus and fewer X's", "fields:\n  number: {columns: [Mask], mask_from: extension}\n  extension: {columns: [DN]}\n",
			[]string{"DN", "Mask"}, []string{"205201", "+1415555XXXX"}, pbx.FNumber, "+14155555201"},
		{"CUCM full number is no mask", "fields:\n  number: {columns: [Mask], mask_from: extension}\n  extension: {columns: [DN]}\n",
			[]string{"DN", "Mask"}, []string{"5201", "4155550121"}, pbx.FNumber, "4155550121"},
		{"CUCM mask without an extension column stays", "fields:\n  number: {columns: [Mask], mask_from: extension}\n  extension: {columns: [DN]}\n",
			[]string{"Mask"}, []string{"415555XXXX"}, pbx.FNumber, "415555XXXX"},
		{"CUCM mask on each number", "fields:\n  number: {columns: [Mask], multi: true, mask_from: extension}\n  extension: {columns: [DN]}\n",
			[]string{"Mask", "DN"}, []string{"415555XXXX; +1 628 555 XXXX", "5201"}, pbx.FNumber, "4155555201; +1 628 555 5201"},
		{"short row", "fields:\n  email: {columns: [Mail]}\n  site: {columns: [Site]}\n",
			[]string{"Mail", "Site"}, []string{"a@acme.example"}, pbx.FSite, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, problems := mustParse(t, tt.profile).Bind("f.csv", "", 1, tt.headers)
			if len(problems) > 0 {
				t.Fatal(problems)
			}
			v, ok := b.Map(2, tt.row).Get(tt.field)
			switch {
			case tt.want == "-" && ok:
				t.Errorf("%s = %q, want absent", tt.field, v.Text)
			case tt.want != "-" && (!ok || v.Text != tt.want):
				t.Errorf("%s = %q (present %v), want %q", tt.field, v.Text, ok, tt.want)
			}
		})
	}
}

// TestOrIfEmptyCell: the value a fallback gives names the fallback's cell.
func TestOrIfEmptyCell(t *testing.T) {
	b, _ := mustBuiltin(t, "fusionpbx").Bind("f.csv", "", 1, []string{"extension", "effective_caller_id_name", "directory_first_name"})
	m := b.Map(2, []string{"4101", "Ada Lovelace", ""})
	if v := m.Values.At(pbx.FFirstName); v.Text != "Ada" || v.Cell.Col != 1 {
		t.Errorf("first_name = %q at column %d, want Ada from column 1", v.Text, v.Cell.Col)
	}
	m = b.Map(3, []string{"4102", "Grace Hopper", "Amazing Grace"})
	if v := m.Values.At(pbx.FFirstName); v.Text != "Amazing Grace" || v.Cell.Col != 2 {
		t.Errorf("first_name = %q at column %d, want the directory name", v.Text, v.Cell.Col)
	}
}

func TestBindBrokenProfile(t *testing.T) {
	p := &Profile{Name: "code", Fields: map[pbx.Field]*Rule{"nickname": {Source: Source{Columns: Names{"Nick"}}}}}
	b, problems := p.Bind("f.csv", "", 1, []string{"Nick"})
	if len(problems) != 1 || problems[0].Code != CodeProfile || !errors.Is(problems[0], ErrProfile) {
		t.Fatalf("problems = %v, want one %s wrapping ErrProfile", problems, CodeProfile)
	}
	if m := b.Map(2, []string{"x"}); m.Values.Len() != 0 {
		t.Errorf("a broken profile mapped %v", m.Values)
	}
}

func TestDescribe(t *testing.T) {
	b, _ := mustBuiltin(t, "cucm").Bind("c.csv", "", 1, []string{"USER ID", "MAIL ID", "DEVICE NAME", "DIRECTORY NUMBER 1"})
	got := map[pbx.Field]Placement{}
	for _, pl := range b.Describe() {
		got[pl.Field] = pl
	}
	checks := []struct {
		field pbx.Field
		col   int
		how   string
	}{
		{pbx.FEmail, 1, `"MAIL ID" (B)`},
		{pbx.FUserID, -1, "derived from email"},
		{pbx.FExternalID, 0, `"USER ID" (A)`},
		{pbx.FMAC, 2, `"DEVICE NAME" (C)`},
		{pbx.FStationType, -1, `default "standard"`},
	}
	for _, c := range checks {
		pl, ok := got[c.field]
		if !ok || pl.Cell.Col != c.col || !strings.Contains(pl.How, c.how) {
			t.Errorf("Describe %s = %+v, want column %d and %q", c.field, pl, c.col, c.how)
		}
	}
	if len(got) != len(b.Fields()) || b.Profile() != "cucm" {
		t.Errorf("Describe lists %d fields, Fields() %d; profile %q", len(got), len(b.Fields()), b.Profile())
	}
}

// BenchmarkMap maps rows of a migration file with joins, splits, templates
// and defaults; it reports rows/s.
func BenchmarkMap(b *testing.B) {
	headers, rows := readSample(b, "freepbx-bulkhandler-extensions.csv")
	bind, problems := mustBuiltin(b, "freepbx").Bind("f.csv", "", 1, headers)
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bind.Map(i+2, rows[i%len(rows)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkMapPlain maps the generic roster, mostly plain columns.
func BenchmarkMapPlain(b *testing.B) {
	headers, rows := readSample(b, "pbxsync-roster.csv")
	bind, _ := mustBuiltin(b, "pbxsync").Bind("f.csv", "", 1, headers)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bind.Map(i+2, rows[i%len(rows)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
