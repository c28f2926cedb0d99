package validate

import (
	"errors"
	"testing"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

func TestExtension(t *testing.T) {
	runField(t, pbx.FExtension, nil, func(r *pbx.Row) string { return string(r.User.Extension) }, []fieldCase{
		{in: "4021", want: "4021"},
		{in: "0042", want: "0042"}, // leading zeros kept
		{in: "0007", want: "0007"},
		{in: " 1234 ", want: "1234"},
		{in: "8999", want: "8999"},
		{in: "911", code: CodeExtensionReserved, err: pbx.ErrExtension},
		{in: "9000", code: CodeExtensionReserved, err: pbx.ErrExtension},
		{in: "9999", code: CodeExtensionReserved, err: pbx.ErrExtension},
		{in: "9123", code: CodeExtensionReserved, err: pbx.ErrExtension},
		{in: "42", code: CodeExtensionLeadingZeros, err: pbx.ErrExtension},
		{in: "7", code: CodeExtensionLeadingZeros, err: pbx.ErrExtension},
		{in: "950", code: CodeExtensionLeadingZeros, err: pbx.ErrExtension},
		{in: "12345", code: CodeExtensionLength, err: pbx.ErrExtension},
		{in: "00421", code: CodeExtensionLength, err: pbx.ErrExtension},
		{in: "123456789", code: CodeExtensionInvalid, err: pbx.ErrExtension},
		{in: "40a1", code: CodeExtensionInvalid, err: pbx.ErrExtension},
		{in: "x", code: CodeExtensionInvalid, err: pbx.ErrExtension},
		{in: "4021.0", code: CodeExtensionInvalid, err: pbx.ErrExtension},
	})
}

func TestExtensionLeadingZerosHint(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FExtension: "42"})
	p := wantOne(t, ps, CodeExtensionLeadingZeros, pbx.ErrExtension, 7, pbx.FExtension, "42")
	if p.Hint != HintLeadingZeros {
		t.Errorf("hint = %q", p.Hint)
	}
}

// canonExtension on sites the fixture does not have.
func TestCanonExtensionSites(t *testing.T) {
	anyLen := &pbx.Site{Code: "any"}
	lowReserved := &pbx.Site{Code: "low", ExtLen: 4, Reserved: []pbx.ExtRange{{From: "0000", To: "0999"}}}
	for _, c := range []struct {
		site *pbx.Site
		in   string
		want pbx.Extension
		code string
	}{
		{anyLen, "42", "42", ""},
		{anyLen, "12345678", "12345678", ""},
		{anyLen, "7", "", CodeExtensionInvalid},
		{lowReserved, "42", "", CodeExtensionLength}, // "0042" would be reserved: no leading-zeros hint
		{lowReserved, "0999", "", CodeExtensionReserved},
		{lowReserved, "1000", "1000", ""},
	} {
		got, f := canonExtension(c.in, c.site)
		switch {
		case c.code == "" && (f != nil || got != c.want):
			t.Errorf("%s %q: got %q, %v", c.site.Code, c.in, got, f)
		case c.code != "" && (f == nil || f.code != c.code || !errors.Is(f.err, pbx.ErrExtension)):
			t.Errorf("%s %q: got %v, want %s", c.site.Code, c.in, f, c.code)
		}
	}
}

// DOMAIN rule 5: no extension -> the number's last ExtLen digits.
func TestExtensionDerived(t *testing.T) {
	for _, c := range []struct {
		name    string
		changes kv
		want    pbx.Extension
	}{
		{"empty", kv{pbx.FExtension: ""}, "0100"},
		{"absent", kv{pbx.FExtension: absent}, "0100"},
		{"london", kv{pbx.FExtension: "", pbx.FSite: "lon", pbx.FNumber: "020 7946 0958"}, "0958"},
		{"first of several", kv{pbx.FExtension: "", pbx.FNumber: "+1 415 555 0123"}, "0123"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, ps := rowOf(t, c.changes)
			wantClean(t, r, ps)
			if r.User.Extension != c.want || !r.ExtDerived {
				t.Errorf("extension %q derived %v, want %q derived", r.User.Extension, r.ExtDerived, c.want)
			}
		})
	}
	r, ps := rowOf(t, kv{pbx.FExtension: "", pbx.FNumber: absent, pbx.FMAC: absent, pbx.FModel: absent})
	wantClean(t, r, ps)
	if r.User.Extension != "" || r.ExtDerived {
		t.Errorf("no number: extension %q derived %v", r.User.Extension, r.ExtDerived)
	}
}

// A derived extension that does not fit the site is reported on the number.
func TestExtensionDerivedReserved(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FExtension: "", pbx.FNumber: "+1 415 555 9123"})
	wantOne(t, ps, CodeExtensionDerived, pbx.ErrExtension, 7, pbx.FNumber, "+1 415 555 9123")
}

// numericCell marks field f of m as a number in the workbook.
func numericCell(m *mapping.Mapped, f pbx.Field) *mapping.Mapped {
	i, _ := pbx.FieldIndex(f)
	m.Values.Pos(i).Numeric = true
	return m
}

// A workbook stores extension 0101 as the number 101. Where the cell is a
// number, the site's extensions have a fixed length and the padded
// extension fits and is free, it is restored with a warning on the cell;
// a text cell, or a padded extension someone else has, keeps the error.
func TestExtensionLeadingZerosRestored(t *testing.T) {
	st := testState()
	st.Users["kim@acme.example"] = &pbx.User{ID: "kim@acme.example", Company: "acme", Extension: "0102", Status: pbx.StatusActive}
	st.Users["jdoe@acme.example"] = &pbx.User{ID: "jdoe@acme.example", Company: "acme", Extension: "0103", Status: pbx.StatusActive}
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Extension: "0104"}
	for _, c := range []struct {
		name    string
		in      string
		numeric bool
		want    pbx.Extension
		code    string
	}{
		{"a number, free once padded", "101", true, "0101", CodeExtensionZerosRestored},
		{"a number, one digit", "7", true, "0007", CodeExtensionZerosRestored},
		{"text: the fix is a guess", "101", false, "", CodeExtensionLeadingZeros},
		{"a number, padded it is another user's", "102", true, "", CodeExtensionLeadingZeros},
		{"a number, padded it is the row's own user's", "103", true, "0103", CodeExtensionZerosRestored},
		{"a number, padded it is a hunt group's", "104", true, "", CodeExtensionLeadingZeros},
		{"a number, padded it is reserved", "911", true, "", CodeExtensionReserved},
		{"a number of the right length", "4021", true, "4021", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := mapped(7, with(typical(), kv{pbx.FExtension: c.in}))
			if c.numeric {
				numericCell(m, pbx.FExtension)
			}
			r, ps := New(st).Check(m)
			if c.code == "" {
				wantClean(t, r, ps)
				return
			}
			p := wantOne(t, ps, c.code, pbx.ErrExtension, 7, pbx.FExtension, c.in)
			if p.Blocking() == (c.want != "") {
				t.Errorf("%s blocking = %v, want %v", p.Code, p.Blocking(), c.want == "")
			}
			if r.User.Extension != c.want {
				t.Errorf("extension %q, want %q", r.User.Extension, c.want)
			}
		})
	}
}
