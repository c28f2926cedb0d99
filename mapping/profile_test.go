package mapping

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

const yamlProfile = `
# a commented profile, as admins write them
name: legacy
description: an old PBX
ignore: [Department]
fields:
  first_name:
    columns: [First Name, Given Name]
    or:
      - columns: [Name]
        name_part: first
  user_id:
    template: "{first:1}{last}@acme.example"
    login: true
  last_name:
    columns: [Surname]
  station_type:
    columns: [Station]
    map: {Y: premium, N: standard, true: premium, no: standard}
    default: standard
  number:
    columns: [DID]
    country_code: [CC]
    multi: true
`

const jsonProfile = `{
  "name": "legacy",
  "description": "an old PBX",
  "ignore": ["Department"],
  "fields": {
    "first_name": {"columns": ["First Name", "Given Name"], "or": [{"columns": ["Name"], "name_part": "first"}]},
    "user_id": {"template": "{first:1}{last}@acme.example", "login": true},
    "last_name": {"columns": ["Surname"]},
    "station_type": {"columns": ["Station"], "map": {"Y": "premium", "N": "standard", "true": "premium", "no": "standard"}, "default": "standard"},
    "number": {"columns": ["DID"], "country_code": ["CC"], "multi": true}
  }
}`

func TestParseYAMLAndJSONAgree(t *testing.T) {
	y, err := Parse("y", []byte(yamlProfile))
	if err != nil {
		t.Fatal(err)
	}
	j, err := Parse("j", []byte(jsonProfile))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(y, j) {
		t.Errorf("YAML and JSON profiles differ:\n%+v\n%+v", y, j)
	}
	if got := y.Fields[pbx.FStationType].Map["true"]; got != "premium" {
		t.Errorf("map key true = %q, want premium (YAML booleans must stay text)", got)
	}
	if y.Name != "legacy" {
		t.Errorf("Name = %q", y.Name)
	}
}

func TestParseNamesUnnamedProfile(t *testing.T) {
	p := mustParse(t, "fields: {email: {columns: [Mail]}}")
	if p.Name != "test" {
		t.Errorf("Name = %q, want the name given to Parse", p.Name)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"old.yaml": yamlProfile, "old.json": jsonProfile} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := Load(path)
		if err != nil {
			t.Fatalf("Load(%s): %v", name, err)
		}
		if len(p.Fields) != 5 {
			t.Errorf("Load(%s) has %d fields, want 5", name, len(p.Fields))
		}
	}
	unnamed := filepath.Join(dir, "site-b.yml")
	if err := os.WriteFile(unnamed, []byte("fields: {email: {columns: [Mail]}}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if p, err := Load(unnamed); err != nil || p.Name != "site-b" {
		t.Errorf("Load(site-b.yml) = %v, %v; want a profile named site-b", p, err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want os.ErrNotExist", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text string
		field      pbx.Field
		line       int
		says       string // a word the message must hold, to point the admin at the fix
	}{
		{"empty", "", "", 0, "empty"},
		{"no fields", "description: x", "", 0, "fields"},
		{"unknown key", "fields:\n  email:\n    colums: [Mail]\n", "", 0, "colums"},
		{"unknown key json", `{"fields": {"email": {"colums": ["Mail"]}}}`, "", 0, "colums"},
		{"bad json", "{\"fields\": {\n\"email\": }", "", 2, "invalid"},
		{"unknown field", "fields:\n  email:\n    columns: [Mail]\n  mac_adress:\n    columns: [MAC]\n", "mac_adress", 4, "not a pbxsync field"},
		{"no source", "fields:\n  email:\n    lower: true\n", pbx.FEmail, 2, "source"},
		{"nothing", "fields:\n  email: {}\n", pbx.FEmail, 2, "no source"},
		{"null rule", "fields:\n  email:\n", pbx.FEmail, 2, "empty"},
		{"two sources", "fields:\n  email:\n    columns: [Mail]\n    from: user_id\n", pbx.FEmail, 2, "exactly one"},
		{"bad name_part", "fields:\n  first_name:\n    columns: [Name]\n    name_part: given\n", pbx.FFirstName, 2, "name_part"},
		{"bad template", "fields:\n  user_id:\n    template: \"{first}{surname}@x\"\n", pbx.FUserID, 2, "surname"},
		{"self", "fields:\n  email:\n    from: email\n", pbx.FEmail, 2, "itself"},
		{"circle", "fields:\n  email:\n    from: user_id\n  user_id:\n    from: email\n", pbx.FUserID, 4, "circle"},
		{"required and default", "fields:\n  site:\n    columns: [Site]\n    required: true\n    default: hq\n", pbx.FSite, 2, "contradict"},
		{"country code without columns", "fields:\n  number:\n    join: [A, B]\n    country_code: [CC]\n", pbx.FNumber, 2, "country_code"},
		{"sep without join", "fields:\n  number:\n    columns: [A]\n    sep: \"-\"\n", pbx.FNumber, 2, "sep"},
		{"separators without multi", "fields:\n  number:\n    columns: [A]\n    separators: \";\"\n", pbx.FNumber, 2, "multi"},
		{"punctuation column", "fields:\n  number:\n    columns: [\"#\"]\n", pbx.FNumber, 2, "letters or digits"},
		{"conflicting map", "fields:\n  sms:\n    columns: [SMS]\n    map: {Y: \"yes\", \"y.\": \"no\"}\n", pbx.FSMS, 2, "map"},
		{"or without a source", "fields:\n  email:\n    or:\n      - columns: [Mail]\n", pbx.FEmail, 2, "or:"},
		{"or_if_empty alone", "fields:\n  email:\n    columns: [Mail]\n    or_if_empty: true\n", pbx.FEmail, 2, "or_if_empty"},
		{"bad alternative", "fields:\n  email:\n    columns: [Mail]\n    or:\n      - columns: [E]\n        last_digits: -1\n", pbx.FEmail, 2, "or[0]"},
		{"empty trim_prefix", "fields:\n  mac:\n    columns: [Device]\n    trim_prefix: [\"\"]\n", pbx.FMAC, 2, "trim_prefix"},
		{"mask from an unknown field", "fields:\n  number:\n    columns: [Mask]\n    mask_from: dn\n", pbx.FNumber, 2, "mask_from"},
		{"mask from itself", "fields:\n  number:\n    columns: [Mask]\n    mask_from: number\n", pbx.FNumber, 2, "own mask"},
		{"mask circle", "fields:\n  number:\n    columns: [Mask]\n    mask_from: extension\n  extension:\n    from: number\n    last_digits: 4\n", pbx.FExtension, 5, "circle"},
		{"empty replace", "fields:\n  mac:\n    columns: [Device]\n    replace: {\"\": x}\n", pbx.FMAC, 2, "replace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad", []byte(tt.text))
			if !errors.Is(err, ErrProfile) {
				t.Fatalf("Parse error = %v, want ErrProfile", err)
			}
			var pe *ProfileError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error %v is not a *ProfileError", err)
			}
			if pe.Profile != "bad" || pe.Field != tt.field || pe.Line != tt.line {
				t.Errorf("ProfileError = profile %q field %q line %d, want bad %q %d (%v)", pe.Profile, pe.Field, pe.Line, tt.field, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("message %q does not say %q", err, tt.says)
			}
		})
	}
}

func TestParseReportsEveryMistake(t *testing.T) {
	_, err := Parse("bad", []byte("fields:\n  email:\n    lower: true\n  nickname:\n    columns: [Nick]\n"))
	n := 0
	for _, e := range unjoin(err) {
		var pe *ProfileError
		if errors.As(e, &pe) {
			n++
		}
	}
	if n != 2 {
		t.Errorf("Parse reported %d mistakes (%v), want 2", n, err)
	}
}
