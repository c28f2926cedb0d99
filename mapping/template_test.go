package mapping

import (
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		in   string
		deps []pbx.Field
		ok   bool
	}{
		{"{first:1}{last}@acme.example", []pbx.Field{pbx.FFirstName, pbx.FLastName}, true},
		{"{email}", []pbx.Field{pbx.FEmail}, true},
		{"{ first_name : 2 }.{last_name}@acme.example", []pbx.Field{pbx.FFirstName, pbx.FLastName}, true},
		{"{ext}-{ext}", []pbx.Field{pbx.FExtension}, true},
		{"acme.example", nil, false},      // no field: a default
		{"{first", nil, false},            // unclosed
		{"first}@x", nil, false},          // stray }
		{"{nickname}@x", nil, false},      // not a field
		{"{first:0}{last}", nil, false},   // count too small
		{"{first:one}{last}", nil, false}, // count not a number
		{"{first}}{last}", nil, false},    // stray } after a placeholder
		{"a}{first}", nil, false},         // stray } before a placeholder
		{"", nil, false},                  // empty
	}
	for _, tt := range tests {
		tmpl, err := parseTemplate(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("parseTemplate(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			continue
		}
		if tt.ok && !slices.Equal(tmpl.deps, tt.deps) {
			t.Errorf("parseTemplate(%q) deps = %v, want %v", tt.in, tmpl.deps, tt.deps)
		}
	}
}

func TestTemplateEval(t *testing.T) {
	byField := map[pbx.Field]Value{
		pbx.FFirstName: {Text: "Ada", Cell: pbx.Cell{Col: 3, Header: "First"}},
		pbx.FLastName:  {Text: "Lovelace", Cell: pbx.Cell{Col: 4, Header: "Last"}},
		pbx.FNumber:    {Text: "4155550101; 4155550102", Parts: []string{"4155550101", "4155550102"}, Cell: pbx.Cell{Col: 5}},
		pbx.FEmail:     {Text: "", Cell: pbx.Cell{Col: 6}},
		pbx.FSite:      {Text: "Zürich", Cell: pbx.Cell{Col: 7}},
	}
	var vals Values
	for f, v := range byField {
		vals.Set(f, v)
	}
	tests := []struct {
		tmpl, want string
		col        int
	}{
		{"{first:1}{last}@acme.example", "ALovelace@acme.example", 3},
		{"{last}.{first:2}", "Lovelace.Ad", 4},
		{"{first:10}", "Ada", 3},
		{"{number}", "4155550101", 5},     // the first part of a multi-value field
		{"{email}", "", 6},                // an empty field gives an empty value
		{"{first}.{email}@x", "", 3},      // ... wherever it is
		{"{site:2}-{first}", "Zü-Ada", 7}, // letters, not bytes
	}
	for _, tt := range tests {
		tmpl, err := parseTemplate(tt.tmpl)
		if err != nil {
			t.Fatal(err)
		}
		got, cell := tmpl.eval(&vals)
		if got != tt.want || cell.Col != tt.col {
			t.Errorf("eval(%q) = %q (col %d), want %q (col %d)", tt.tmpl, got, cell.Col, tt.want, tt.col)
		}
	}
}
