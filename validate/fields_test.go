package validate

import (
	"strings"
	"testing"
)

// quickEmail accepts only what validator's email tag accepts.
func FuzzQuickEmail(f *testing.F) {
	for _, s := range []string{"jane.doe@acme.example", "a@b.co", "a.b+c_d%e-f@x-y.z9.com", "a..b@c.de", ".a@b.cd", "a@b", "a@b.c1",
		"a@-b.cd", "a@b-.cd", "a@b..cd", "a@b.cd.", "ü@b.cd", "a b@c.de", "\"a\"@b.cd", "a@[1.2.3.4]", strings.Repeat("a", 65) + "@b.cd"} {
		f.Add(s)
	}
	v := fieldValidator()
	f.Fuzz(func(t *testing.T, s string) {
		if quickEmail(s) && v.Var(s, "email") != nil {
			t.Fatalf("quickEmail(%q) accepts what the email tag refuses", s)
		}
	})
}

// quick accepts a row's text fields only when the validator's tags do, and
// then leaves the same parsed values.
func TestQuickAgreesWithValidator(t *testing.T) {
	base := textFields{UserID: "JDoe@Acme.Example", Email: "jane.doe@acme.example", FirstName: "Jane", LastName: "Doe",
		NumberLabel: "Desk", ExternalID: "HR-1", Street: "1 Main St", City: "San Francisco", MAC: "80:5E:C0:12:34:56"}
	for _, change := range []func(*textFields){
		func(*textFields) {},
		func(t *textFields) { t.UserID = "" },
		func(t *textFields) { t.UserID = "jdoe" },
		func(t *textFields) { t.Email = "" },
		func(t *textFields) { t.Email = "jane@" },
		func(t *textFields) { t.Email = "\"jane doe\"@acme.example" }, // valid, but not quick
		func(t *textFields) { t.FirstName = strings.Repeat("é", MaxNameLen) },
		func(t *textFields) { t.FirstName = strings.Repeat("é", MaxNameLen+1) },
		func(t *textFields) { t.LastName = "Do\te" },
		func(t *textFields) { t.Street = strings.Repeat("x", MaxStreetLen+1) },
		func(t *textFields) { t.City = strings.Repeat("x", MaxNameLen+1) },
		func(t *textFields) { t.ExternalID = strings.Repeat("x", 500) },
		func(t *textFields) { t.MAC = "" },
		func(t *textFields) { t.MAC = "01:00:5e:00:00:01" },
	} {
		a, b := base, base
		change(&a)
		change(&b)
		quick := a.quick()
		err := fieldValidator().Struct(&b)
		if quick && err != nil {
			t.Errorf("%+v: quick accepts, the validator says %v", a, err)
		}
		if quick && a.parsed != b.parsed {
			t.Errorf("%+v: quick parsed %+v, the validator %+v", a, a.parsed, b.parsed)
		}
		if got, want := len(a.check()), 0; err == nil && got != want {
			t.Errorf("%+v: check found %d failures, the validator none", a, got)
		}
	}
}
