package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestRowCanonical(t *testing.T) {
	r, ps := rowOf(t, nil)
	wantClean(t, r, ps)
	want := pbx.User{ID: "jdoe@acme.example", FirstName: "Jane", LastName: "Doe", Email: "Jane.Doe@acme.example",
		Extension: "4021", StationType: "standard", VoiceEnabled: true}
	if r.User != want {
		t.Errorf("user = %+v\nwant   %+v", r.User, want)
	}
	if len(r.Numbers) != 1 || r.Numbers[0] != "+14155550100" {
		t.Errorf("numbers = %v", r.Numbers)
	}
	if d := r.Device; d == nil || *d != (pbx.RowDevice{MAC: "805ec0123456", Model: "yealink-t42g", Port: 1, Lines: 1}) {
		t.Errorf("device = %+v", d)
	}
	if l := r.Location; l == nil || *l != (pbx.Address{Street: "1 Main St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}) {
		t.Errorf("location = %+v", l)
	}
	if r.Line != 7 || r.ExtDerived || r.SMS {
		t.Errorf("line %d, derived %v, sms %v", r.Line, r.ExtDerived, r.SMS)
	}
	if !r.Has(pbx.FMAC) || r.Has(pbx.FSite) || r.CellOr(pbx.FMAC).Col != col(pbx.FMAC) {
		t.Errorf("layout = %+v", r.Layout)
	}
}

// A row with several mistakes gets all of them in one pass, and no row.
func TestRowReportsEveryProblem(t *testing.T) {
	r, ps := rowOf(t, kv{pbx.FUserID: "", pbx.FMAC: "01:00:5e:00:00:01", pbx.FExtension: "911", pbx.FPostal: "ABCDE"})
	if r != nil {
		t.Error("row returned despite blocking problems")
	}
	got := map[string]bool{}
	for _, p := range ps {
		got[p.Code] = true
	}
	for _, c := range []string{CodeUserIDMissing, CodeMACMulticast, CodeExtensionReserved, CodeE911Postal} {
		if !got[c] {
			t.Errorf("missing %s in %v", c, ps)
		}
	}
	if len(ps) != 4 {
		t.Errorf("want 4 problems, got %v", ps)
	}
}

// A warning alone does not block the row.
func TestRowWarningKeepsRow(t *testing.T) {
	r, ps := rowOf(t, kv{pbx.FMAC: "00:0B:82:12:34:56"}) // a Grandstream prefix on a Yealink
	if r == nil {
		t.Fatalf("row dropped for a warning: %v", ps)
	}
	p := wantOne(t, ps, CodeVendorMismatch, pbx.ErrMAC, 7, pbx.FMAC, "00:0B:82:12:34:56")
	if p.Blocking() {
		t.Error("vendor mismatch blocks")
	}
}

// The cell's file, sheet and row fall back to the mapped row's.
func TestRowCellFallsBackToRow(t *testing.T) {
	m := mapped(9, with(typical(), kv{pbx.FMAC: "zz"}))
	m.Sheet = "Staff"
	v := m.Values.At(pbx.FMAC)
	v.Cell = pbx.Cell{Col: 3, Header: "MAC"}
	m.Values.Set(pbx.FMAC, v)
	_, ps := Row(testState(), m)
	if len(ps) != 1 || ps[0].Cell != (pbx.Cell{File: testFile, Sheet: "Staff", Row: 9, Col: 3, Header: "MAC"}) {
		t.Fatalf("problems = %v", ps)
	}
}

// A Checker gives the same answers as Row, row after row.
func TestCheckerMatchesRow(t *testing.T) {
	st := testState()
	c := New(st)
	rows := []kv{typical(), with(typical(), kv{pbx.FNumber: "1.41556E+10"}), with(typical(), kv{pbx.FCallerID: "+1 415 555 0100"}),
		with(typical(), kv{pbx.FModel: "GRANDSTREAM_HT802", pbx.FPort: "2", pbx.FMAC: "c0:74:ad:00:00:02"})}
	for i := 0; i < 2; i++ { // twice: the second pass comes from the memo
		for j, vals := range rows {
			r1, p1 := c.Row(mapped(j+2, vals))
			r2, p2 := Row(st, mapped(j+2, vals))
			if (r1 == nil) != (r2 == nil) || len(p1) != len(p2) {
				t.Fatalf("row %d: checker %v %v, Row %v %v", j, r1, p1, r2, p2)
			}
			for k := range p1 {
				a, b := *p1[k], *p2[k]
				a.Err, b.Err = nil, nil // errors made by fmt.Errorf are distinct values
				if a != b {
					t.Errorf("row %d: %v != %v", j, p1[k], p2[k])
				}
			}
		}
	}
}
