package validate

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

const testFile = "roster.csv"

// testState is company acme (no SMS) with a default US site (4-digit
// extensions, 911 and 9000-9999 reserved), a London site with its own dial
// plan, and two catalogue models: a desk phone and a two-port ATA.
func testState() *pbx.State {
	st := pbx.NewState(pbx.Company{ID: "acme", Name: "Acme", Plan: "C1", SMS: false})
	st.Sites[""] = &pbx.Site{Company: "acme", Code: "", Region: "US", ExtLen: 4,
		Reserved: []pbx.ExtRange{{From: "911", To: "911"}, {From: "9000", To: "9999"}}}
	st.Sites["lon"] = &pbx.Site{Company: "acme", Code: "lon", Name: "London", Region: "GB", ExtLen: 4, OwnDialPlan: true}
	st.Models["yealink-t42g"] = &pbx.DeviceModel{Name: "yealink-t42g", Vendor: "Yealink", Kind: pbx.KindDeskPhone,
		Ports: 1, MaxLines: 3, OUIs: []string{"805ec0", "001565"}}
	st.Models["grandstream-ht802"] = &pbx.DeviceModel{Name: "grandstream-ht802", Vendor: "Grandstream", Kind: pbx.KindATA,
		Ports: 2, MaxLines: 1, OUIs: []string{"000b82", "c074ad"}}
	return st
}

// kv is a roster row's text by field.
type kv map[pbx.Field]string

// col is the column of a field in the test roster: its place in pbx.Fields.
func col(f pbx.Field) int { return slices.Index(pbx.Fields, f) }

// header is the header text of a field's column in the test roster.
func header(f pbx.Field) string { return "H:" + string(f) }

// mapped builds a mapped row of the test roster at line.
func mapped(line int, vals kv) *mapping.Mapped {
	m := &mapping.Mapped{Row: line, File: testFile}
	for f, s := range vals {
		m.Values.Set(f, mapping.Value{Text: s, Cell: pbx.Cell{File: testFile, Row: line, Col: col(f), Header: header(f)}})
	}
	return m
}

// withParts gives field f of m several values, as the mapping does for a split cell.
func withParts(m *mapping.Mapped, f pbx.Field, parts ...string) *mapping.Mapped {
	v := m.Values.At(f)
	v.Parts = parts
	m.Values.Set(f, v)
	return m
}

// typical is a clean row: every field valid, nothing to report.
func typical() kv {
	return kv{
		pbx.FUserID: "JDoe@Acme.Example", pbx.FFirstName: " Jane ", pbx.FLastName: "Doe",
		pbx.FEmail: "Jane.Doe@Acme.EXAMPLE", pbx.FExtension: "4021", pbx.FStationType: "Standard",
		pbx.FVoiceEnabled: "yes", pbx.FNumber: "(415) 555-0100", pbx.FMAC: "80:5E:C0:12:34:56",
		pbx.FModel: "Yealink T42G", pbx.FStreet: "1 Main St", pbx.FCity: "San Francisco",
		pbx.FRegion: "CA", pbx.FPostal: "94105", pbx.FCountry: "USA",
	}
}

// with returns a copy of base with the changes; "<absent>" removes a field.
func with(base kv, changes kv) kv {
	out := kv{}
	for f, s := range base {
		out[f] = s
	}
	for f, s := range changes {
		if s == absent {
			delete(out, f)
			continue
		}
		out[f] = s
	}
	return out
}

const absent = "<absent>"

// rowOf validates the typical row with the changes at line 7.
func rowOf(t *testing.T, changes kv) (*pbx.Row, []*pbx.Problem) {
	t.Helper()
	return Row(testState(), mapped(7, with(typical(), changes)))
}

// wantOne asserts that ps holds exactly one problem, with the code, wrapping
// the sentinel, at the cell of field f on row line (f "" for the whole row),
// with value as given and a message and hint, and returns it.
func wantOne(t *testing.T, ps []*pbx.Problem, code string, sentinel error, line int, f pbx.Field, value string) *pbx.Problem {
	t.Helper()
	if len(ps) != 1 {
		t.Fatalf("want one problem %s, got %d: %v", code, len(ps), ps)
	}
	p := ps[0]
	if p.Code != code {
		t.Errorf("code = %s, want %s (%v)", p.Code, code, p)
	}
	if !errors.Is(p, sentinel) {
		t.Errorf("%v does not wrap %v", p, sentinel)
	}
	wantCol, wantHeader := -1, ""
	if f != "" {
		wantCol, wantHeader = col(f), header(f)
	}
	if p.Cell.Row != line || p.Cell.Col != wantCol || p.Cell.Header != wantHeader || p.Cell.File != testFile {
		t.Errorf("cell = %+v, want row %d col %d header %q of %s", p.Cell, line, wantCol, wantHeader, testFile)
	}
	if p.Value != value {
		t.Errorf("value = %q, want %q", p.Value, value)
	}
	if p.Message == "" || p.Hint == "" {
		t.Errorf("problem without message or hint: %+v", p)
	}
	return p
}

// wantClean asserts that a row passed with no problem at all.
func wantClean(t *testing.T, r *pbx.Row, ps []*pbx.Problem) {
	t.Helper()
	if len(ps) != 0 || r == nil {
		t.Fatalf("want a clean row, got row %v and problems %v", r != nil, ps)
	}
}

// blocking filters the problems that block a row.
func blocking(ps []*pbx.Problem) []*pbx.Problem {
	var out []*pbx.Problem
	for _, p := range ps {
		if p.Blocking() {
			out = append(out, p)
		}
	}
	return out
}

// fieldCase is one value of a field: valid when code is "", with the
// canonical form want; else exactly one problem with the code and sentinel
// at the field's cell.
type fieldCase struct {
	in   string
	want string
	code string
	err  error
}

// runField runs cases that set field f of the typical row (after the extra
// changes); got reads the canonical value from a valid row.
func runField(t *testing.T, f pbx.Field, extra kv, got func(*pbx.Row) string, cases []fieldCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			changes := with(extra, kv{f: c.in})
			r, ps := rowOf(t, changes)
			if c.code == "" {
				wantClean(t, r, ps)
				if g := got(r); g != c.want {
					t.Errorf("%s %q -> %q, want %q", f, c.in, g, c.want)
				}
				return
			}
			wantOne(t, ps, c.code, c.err, 7, f, trimmed(c.in))
			if r != nil {
				t.Error("row returned despite a blocking problem")
			}
		})
	}
}

func trimmed(s string) string { return strings.TrimSpace(s) }

// person is a clean, unique row for roster tests: user i with their own
// login, e-mail, extension, number and phone.
func person(i int) kv {
	return with(typical(), kv{
		pbx.FUserID:    fmt.Sprintf("u%d@acme.example", i),
		pbx.FEmail:     fmt.Sprintf("first.last%d@acme.example", i),
		pbx.FExtension: fmt.Sprintf("%d", 4000+i),
		pbx.FNumber:    fmt.Sprintf("+1 415 555 %04d", 100+i),
		pbx.FMAC:       fmt.Sprintf("80:5e:c0:00:00:%02x", i),
	})
}

// validRows runs Row over the rows (line i+2 for rows[i]) and keeps those
// that pass, failing the test on any problem.
func validRows(t *testing.T, st *pbx.State, rows ...kv) []*pbx.Row {
	t.Helper()
	var out []*pbx.Row
	for i, vals := range rows {
		r, ps := Row(st, mapped(i+2, vals))
		if len(ps) > 0 || r == nil {
			t.Fatalf("row %d: %v", i+2, ps)
		}
		out = append(out, r)
	}
	return out
}
