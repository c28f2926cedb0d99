package mapping

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestMarshalRoundTrip: every built-in profile, written as YAML or JSON,
// parses back to the same profile.
func TestMarshalRoundTrip(t *testing.T) {
	for _, name := range Builtins() {
		p := mustBuiltin(t, name)
		y, err := p.Marshal()
		if err != nil {
			t.Fatalf("%s: Marshal: %v", name, err)
		}
		j, err := json.MarshalIndent(p, "", "  ")
		if err != nil {
			t.Fatalf("%s: MarshalJSON: %v", name, err)
		}
		for format, text := range map[string][]byte{"yaml": y, "json": j} {
			q, err := Parse("other", text)
			if err != nil {
				t.Errorf("%s as %s does not parse: %v\n%s", name, format, err, text)
				continue
			}
			if !reflect.DeepEqual(p, q) {
				t.Errorf("%s as %s parses to a different profile:\n%+v\n%+v", name, format, p, q)
			}
		}
	}
}

func TestMarshalFieldOrder(t *testing.T) {
	p := mustParse(t, "fields:\n  mac: {columns: [MAC]}\n  email: {columns: [Mail]}\n  user_id: {from: email}\n")
	y, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	s := string(y)
	u, e, m := strings.Index(s, "user_id:"), strings.Index(s, "email:"), strings.Index(s, "mac:")
	if u < 0 || !(u < e && e < m) {
		t.Errorf("fields not in pbx.Fields order:\n%s", s)
	}
	if !strings.Contains(s, "columns: [MAC]") {
		t.Errorf("lists not written on one line:\n%s", s)
	}
	j, err := p.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	js := string(j)
	if u, e, m := strings.Index(js, `"user_id"`), strings.Index(js, `"email"`), strings.Index(js, `"mac"`); !(u < e && e < m) {
		t.Errorf("JSON fields not in pbx.Fields order: %s", js)
	}
	if !json.Valid(j) {
		t.Errorf("invalid JSON: %s", js)
	}
}
