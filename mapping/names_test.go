package mapping

import (
	"slices"
	"testing"
)

func TestNamesAcceptOneOrMany(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"fields:\n  email:\n    columns: Mail\n", []string{"Mail"}},
		{"fields:\n  email:\n    columns: [Mail, E-mail]\n", []string{"Mail", "E-mail"}},
		{"fields:\n  email:\n    columns:\n      - Mail\n      - E-mail\n", []string{"Mail", "E-mail"}},
		{`{"fields": {"email": {"columns": "Mail"}}}`, []string{"Mail"}},
		{`{"fields": {"email": {"columns": ["Mail", "E-mail"]}}}`, []string{"Mail", "E-mail"}},
	}
	for _, tt := range tests {
		p := mustParse(t, tt.text)
		if got := p.Fields["email"].Columns; !slices.Equal(got, tt.want) {
			t.Errorf("%q: columns = %q, want %q", tt.text, got, tt.want)
		}
	}
	if _, err := Parse("x", []byte("fields:\n  email:\n    columns: {a: b}\n")); err == nil {
		t.Error("columns given as a map parsed without error")
	}
	if _, err := Parse("x", []byte(`{"fields": {"email": {"columns": 3}}}`)); err == nil {
		t.Error("columns given as a number parsed without error")
	}
}
