package mapping

import (
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// siteSurvey is the profile of the site survey: pbxsync's own
// profile and three aliases, four lines.
const siteSurvey = `extends: pbxsync
aliases: {model: Handset, number: Line}
aliases:
  e911_street: Floor address
`

func TestExtendSiteSurvey(t *testing.T) {
	const profile = "extends: pbxsync\naliases: {model: Handset, number: Line, e911_street: Floor address}\n"
	if n := strings.Count(profile, "\n"); n > 4 {
		t.Fatalf("the profile has %d lines, want at most 4", n)
	}
	p := mustParse(t, profile)
	headers := []string{"First Name", "Last Name", "Email", "Handset", "Line", "Floor address", "City", "State", "Zip", "Country"}
	b, problems := p.Bind("survey.csv", "", 1, headers)
	if len(problems) > 0 {
		t.Fatalf("Bind: %v", problems)
	}
	if u := b.Unknown(); len(u) > 0 {
		t.Errorf("Unknown() = %q, want none", u)
	}
	m := b.Map(2, []string{"Ada", "Lovelace", "ada@acme.example", "Yealink T42G", "+1 415 555 0101; +1 415 555 0102", "100 Market St, floor 3", "San Francisco", "CA", "94105", "US"})
	want := row{pbx.FFirstName: "Ada", pbx.FLastName: "Lovelace", pbx.FEmail: "ada@acme.example", pbx.FUserID: "ada@acme.example",
		pbx.FModel: "Yealink T42G", pbx.FNumber: "+1 415 555 0101; +1 415 555 0102", pbx.FStreet: "100 Market St, floor 3",
		pbx.FCity: "San Francisco", pbx.FRegion: "CA", pbx.FPostal: "94105", pbx.FCountry: "US"}
	got := row{}
	for f, v := range m.Values.All() {
		got[f] = v.Text
	}
	if !equalRows(got, want) {
		t.Errorf("mapped %v\nwant %v", got, want)
	}
	if v := m.Values.At(pbx.FNumber); len(v.Parts) != 2 {
		t.Errorf("number parts = %q: the alias lost pbxsync's multi", v.Parts)
	}
	// The base's own names still bind.
	if _, problems := p.Bind("", "", 1, []string{"Email", "Phone Model"}); len(problems) > 0 {
		t.Errorf("Bind with the base's alias: %v", problems)
	}
}

func equalRows(a, b row) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestExtendDuplicateKeyRejected(t *testing.T) {
	// YAML refuses a key given twice, so two aliases: blocks are an error, not a silent overwrite.
	if _, err := Parse("s", []byte(siteSurvey)); err == nil {
		t.Fatal("Parse accepted aliases: twice")
	}
}

func TestExtendMergesRuleKeyByKey(t *testing.T) {
	p := mustParse(t, `
extends: cucm
description: our CUCM
ignore: [COST CENTER]
fields:
  station_type:
    default: premium
  number:
    prefix: "+1"
  user_id:
    template: "{external_id}@acme.example"
`)
	base := mustBuiltin(t, "cucm")
	if p.Name != "test" || p.Description != "our CUCM" {
		t.Errorf("name, description = %q, %q", p.Name, p.Description)
	}
	if !slices.Contains(p.Ignore, "COST CENTER") || !slices.Contains(p.Ignore, "DEVICE POOL") {
		t.Errorf("ignore = %q, want the base's and the new one", p.Ignore)
	}
	if got := p.Fields[pbx.FStationType].Default; got != "premium" {
		t.Errorf("station_type default = %q", got)
	}
	n := p.Fields[pbx.FNumber]
	if n.Prefix != "+1" || n.MaskFrom != base.Fields[pbx.FNumber].MaskFrom || !slices.Equal(n.Columns, base.Fields[pbx.FNumber].Columns) || len(n.Or) == 0 {
		t.Errorf("number = %+v: the prefix should be added to the base's rule", n)
	}
	u := p.Fields[pbx.FUserID]
	if u.Template == "" || u.From != "" {
		t.Errorf("user_id = %+v: a new source replaces the base's", u)
	}
	if !reflect.DeepEqual(p.LeftOut, base.LeftOut) {
		t.Errorf("left_out = %v, want the base's", p.LeftOut)
	}
	// The merged profile prints and reads back the same.
	out, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	q, err := Parse("test", out)
	if err != nil {
		t.Fatalf("the merged profile does not read back: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "extends:") || !strings.Contains(string(out), "mask_from: extension") {
		t.Errorf("Marshal of a merged profile:\n%s", out)
	}
	if len(q.Fields) != len(p.Fields) {
		t.Errorf("read back %d fields, want %d", len(q.Fields), len(p.Fields))
	}
}

func TestExtendAliasOnDerivedField(t *testing.T) {
	p := mustParse(t, "extends: kazoo\naliases: {user_id: Login}\n")
	r := p.Fields[pbx.FUserID]
	if !slices.Equal(r.Columns, []string{"Login"}) || len(r.Or) != 1 || r.Or[0].From != pbx.FEmail {
		t.Fatalf("user_id = %+v, want the Login column, else the base's derivation", r)
	}
	b, _ := p.Bind("", "", 1, []string{"first_name", "last_name", "email_address"})
	m := b.Map(2, []string{"Ada", "Lovelace", "Ada@Acme.example"})
	if got := m.Values.At(pbx.FUserID).Text; got != "ada@acme.example" {
		t.Errorf("user_id without a Login column = %q, want the derived login", got)
	}
}

func TestExtendErrors(t *testing.T) {
	for _, tt := range []struct{ name, text, want string }{
		{"unknown base", "extends: asterisk\naliases: {model: Handset}\n", "no built-in profile"},
		{"itself", "name: pbxsync\nextends: pbxsync\n", "extends itself"},
		{"alias of no field", "extends: pbxsync\naliases: {handset: Handset}\n", "not a pbxsync field"},
		{"bad merged rule", "extends: pbxsync\nfields:\n  number: {sep: \"/\"}\n", "sep goes with join"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("test", []byte(tt.text))
			if !errors.Is(err, ErrProfile) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse error = %v, want ErrProfile saying %q", err, tt.want)
			}
		})
	}
}

// The sample of samples/extend: a two-line profile reads a survey pbxsync's
// own profile cannot.
func TestExtendSample(t *testing.T) {
	p, err := Load(filepath.Join("..", "samples", "extend", "site-survey.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join("..", "samples", "extend", "site-survey.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "\n"); n > 4 {
		t.Errorf("the profile has %d lines, want at most 4", n)
	}
	f, err := os.Open(filepath.Join("..", "samples", "extend", "site-survey.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b, problems := p.Bind("site-survey.csv", "", 1, recs[0])
	if len(problems) > 0 || len(b.Unknown()) > 0 {
		t.Fatalf("Bind: problems %v, unknown %q", problems, b.Unknown())
	}
	m := b.Map(2, recs[1])
	for f, want := range map[pbx.Field]string{pbx.FModel: "Yealink T42G", pbx.FNumber: "+1 415 555 0301", pbx.FStreet: "100 Market St Floor 3"} {
		if got := m.Values.At(f).Text; got != want {
			t.Errorf("%s = %q, want %q", f, got, want)
		}
	}
}

func TestExtendJSON(t *testing.T) {
	p := mustParse(t, `{"extends": "pbxsync", "aliases": {"model": "Handset", "number": ["Line", "DDI"]}}`)
	if r := p.Fields[pbx.FModel]; r == nil || r.Columns[0] != "Handset" || !slices.Contains(r.Columns, "Phone Model") {
		t.Errorf("model = %+v", r)
	}
	if r := p.Fields[pbx.FNumber]; r == nil || !slices.Equal(r.Columns[:2], []string{"Line", "DDI"}) || !r.Multi {
		t.Errorf("number = %+v", r)
	}
}
