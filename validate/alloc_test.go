package validate_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/validate"
)

// poolState is a company with site hq (US, 4 digits, 9000-9999 reserved),
// site lab (own dial plan, 3 digits), free numbers +16505550101..105 and
// +14155550201..202 of hq and +14155550301 of lab, a hunt group on 1000, and
// ann on 0101 holding +16505550110.
func poolState() *pbx.State {
	st := pbx.NewState(pbx.Company{ID: "acme"})
	st.Sites["hq"] = &pbx.Site{Company: "acme", Code: "hq", Region: "US", ExtLen: 4,
		Reserved: []pbx.ExtRange{{From: "9000", To: "9999"}}}
	st.Sites["lab"] = &pbx.Site{Company: "acme", Code: "lab", Region: "US", ExtLen: 3, OwnDialPlan: true}
	add := func(e, site string, target pbx.Target) {
		st.Numbers[pbx.E164(e)] = &pbx.Number{E164: pbx.E164(e), Company: "acme", Site: site, Target: target}
	}
	for i := 1; i <= 5; i++ {
		add(fmt.Sprintf("+1650555010%d", i), "hq", "")
	}
	add("+14155550201", "hq", "")
	add("+14155550202", "hq", "")
	add("+14155550301", "lab", "")
	add("+16505550110", "hq", pbx.UserTarget("ann@acme.example"))
	add("+16505550199", "hq", pbx.MakeTarget(pbx.TargetHuntGroup, "sales"))
	st.Users["ann@acme.example"] = &pbx.User{ID: "ann@acme.example", Company: "acme", Site: "hq", Extension: "0101",
		VoiceEnabled: true, Status: pbx.StatusActive}
	st.Users["off@acme.example"] = &pbx.User{ID: "off@acme.example", Company: "acme", Site: "hq", Extension: "2000",
		Status: pbx.StatusActive}
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Extension: "1000"}
	return st
}

// asks is a row of user id at site that asks the pool for what spec says:
// "n" a number of the site, "n:650" one of area code 650, "e" an extension,
// "ne" both; num gives it a number of its own.
func asks(line int, id, site, spec, num string) *pbx.Row {
	r := &pbx.Row{Line: line}
	r.User.ID, r.User.Site = pbx.UserID(id), site
	for i, f := range []pbx.Field{pbx.FUserID, pbx.FSite, pbx.FNumber, pbx.FExtension} {
		r.SetCell(f, pbx.Cell{File: "r.csv", Row: line, Col: i, Header: string(f)})
	}
	if num != "" {
		r.Numbers = []pbx.E164{pbx.E164(num)}
	}
	if spec != "" {
		a := &pbx.Alloc{}
		kind, area, _ := strings.Cut(spec, ":")
		a.Number, a.Ext, a.Area = strings.Contains(kind, "n"), strings.Contains(kind, "e"), area
		r.Alloc = a
	}
	return r
}

type pick struct{ num, ext, code string }

func TestAllocate(t *testing.T) {
	tests := []struct {
		name string
		rows []*pbx.Row
		want []pick // per row: its first number, its extension, the code of its problem
	}{
		{"lowest free of the site, skipping a number another row gives", []*pbx.Row{
			asks(2, "a@acme.example", "hq", "ne", ""),
			asks(3, "b@acme.example", "hq", "", "+16505550102"),
			asks(4, "c@acme.example", "hq", "ne", ""),
		}, []pick{{"+14155550201", "0201", ""}, {"+16505550102", "", ""}, {"+14155550202", "0202", ""}}},
		{"area code 650; ann holds 0101, so the next free", []*pbx.Row{
			asks(2, "a@acme.example", "hq", "ne:650", ""),
			asks(3, "b@acme.example", "hq", "ne:650", ""),
		}, []pick{{"+16505550101", "1001", ""}, {"+16505550102", "0102", ""}}},
		{"the number's digits taken: the site's next free, past the hunt group's 1000", []*pbx.Row{
			asks(2, "a@acme.example", "hq", "e", "+16505550101"),
			asks(3, "b@acme.example", "hq", "e", ""),
		}, []pick{{"+16505550101", "1001", ""}, {"", "1002", ""}}},
		{"a site of its own dial plan and length", []*pbx.Row{
			asks(2, "a@acme.example", "lab", "ne", ""),
			asks(3, "b@acme.example", "lab", "e", ""),
		}, []pick{{"+14155550301", "301", ""}, {"", "100", ""}}},
		{"a user keeps the number and extension they hold", []*pbx.Row{
			asks(2, "ann@acme.example", "hq", "ne:650", ""),
		}, []pick{{"+16505550110", "0101", ""}}},
		{"a pool too small: the rows beyond it, and nothing of theirs taken", []*pbx.Row{
			asks(2, "a@acme.example", "lab", "ne", ""),
			asks(3, "b@acme.example", "lab", "ne", ""),
		}, []pick{{"+14155550301", "301", ""}, {"", "", validate.CodePoolExhausted}}},
		{"an area code with no numbers", []*pbx.Row{
			asks(2, "a@acme.example", "hq", "n:212", ""),
		}, []pick{{"", "", validate.CodePoolExhausted}}},
		{"a leaver and a person on leave pick nothing; the next row has the first free", []*pbx.Row{
			func() *pbx.Row { r := asks(2, "a@acme.example", "hq", "ne", ""); r.HRStatus = pbx.HRLeaver; return r }(),
			func() *pbx.Row { r := asks(3, "b@acme.example", "hq", "ne", ""); r.HRStatus = pbx.HRKeep; return r }(),
			asks(4, "c@acme.example", "hq", "ne", ""),
		}, []pick{{"", "", ""}, {"", "", ""}, {"+14155550201", "0201", ""}}},
		{"voice off: no number", []*pbx.Row{
			asks(2, "off@acme.example", "hq", "n", ""),
		}, []pick{{"", "", validate.CodeVoiceDisabled}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := validate.Allocate(poolState(), tt.rows, "2026-12-07")
			codes := map[int]string{}
			for _, p := range ps {
				codes[p.Cell.Row] = p.Code
			}
			for i, r := range tt.rows {
				got := pick{ext: string(r.User.Extension), code: codes[r.Line]}
				if len(r.Numbers) > 0 {
					got.num = string(r.Numbers[0])
				}
				if got != tt.want[i] {
					t.Errorf("row %d: got %+v, want %+v (problems %v)", r.Line, got, tt.want[i], ps)
				}
			}
		})
	}
}

func TestAllocateReasonsAndKept(t *testing.T) {
	rows := []*pbx.Row{asks(2, "a@acme.example", "hq", "ne:650", ""), asks(3, "ann@acme.example", "hq", "ne:650", "")}
	validate.Allocate(poolState(), rows, "")
	a := rows[0].Alloc
	if a.PickedNumber != "+16505550101" || a.NumberWhy != "from the pool (area code 650)" ||
		a.PickedExt != "1001" || a.ExtWhy != "(the next free extension of site hq)" {
		t.Errorf("the pick of row 2 is %+v", a)
	}
	if k := rows[1].Alloc; k.PickedNumber != "" || k.PickedExt != "" {
		t.Errorf("ann keeps what she holds, yet the allocator picked %+v", k)
	}
}

func TestAllocateDeterministic(t *testing.T) {
	mk := func() []*pbx.Row {
		var rows []*pbx.Row
		for i := range 6 {
			rows = append(rows, asks(i+2, fmt.Sprintf("u%d@acme.example", i), "hq", "ne", ""))
		}
		return rows
	}
	pick := func(rows []*pbx.Row) []string {
		var out []string
		for _, r := range rows {
			out = append(out, fmt.Sprint(r.Numbers, r.User.Extension))
		}
		return out
	}
	a, b := mk(), mk()
	validate.Allocate(poolState(), a, "")
	validate.Allocate(poolState(), b, "")
	if !reflect.DeepEqual(pick(a), pick(b)) {
		t.Fatalf("two runs picked %v and %v", pick(a), pick(b))
	}
	seen := map[string]bool{}
	for _, r := range a {
		for _, e := range r.Numbers {
			if seen[string(e)] {
				t.Errorf("%s picked twice: %v", e, pick(a))
			}
			seen[string(e)] = true
		}
		if seen[string(r.User.Extension)] {
			t.Errorf("extension %s picked twice: %v", r.User.Extension, pick(a))
		}
		seen[string(r.User.Extension)] = true
	}
}

func TestAllocatePoolMessage(t *testing.T) {
	rows := []*pbx.Row{
		asks(2, "a@acme.example", "hq", "n:415", ""), asks(3, "b@acme.example", "hq", "n:415", ""),
		asks(4, "c@acme.example", "hq", "n:415", ""), asks(5, "d@acme.example", "hq", "n:415", ""),
	}
	ps := validate.Allocate(poolState(), rows, "")
	if len(ps) != 1 || ps[0].Cell.Row != 5 || !errors.Is(ps[0].Err, validate.ErrPool) {
		t.Fatalf("problems %v, want one on row 4 wrapping ErrPool", ps)
	}
	if msg := ps[0].Message; !strings.Contains(msg, "area code 415 has 3 free numbers and 4 rows ask") {
		t.Errorf("the message does not say the pool and how many are free: %q", msg)
	}
	if rows[3].User.Extension != "" || len(rows[3].Numbers) != 0 || !rows[3].Faulty(pbx.FNumber) {
		t.Errorf("row 5 took something: %+v", rows[3])
	}
}

// BenchmarkAllocate picks numbers (by area code) and extensions for 100,000
// rows from a pool of 120,000 free numbers, with 10,000 users holding
// numbers and extensions: the allocation's share of an onboarding.
func BenchmarkAllocate(b *testing.B) {
	st := pbx.NewState(pbx.Company{ID: "acme"})
	st.Sites["hq"] = &pbx.Site{Company: "acme", Code: "hq", Region: "US", ExtLen: 7}
	for i := range 130_000 {
		e := pbx.E164(fmt.Sprintf("+1650%07d", 2_000_000+i))
		n := &pbx.Number{E164: e, Company: "acme", Site: "hq"}
		if i%13 == 0 {
			id := pbx.UserID(fmt.Sprintf("held%d@acme.example", i))
			n.Target = pbx.UserTarget(id)
			st.Users[id] = &pbx.User{ID: id, Company: "acme", Site: "hq", Extension: pbx.Extension(e.Last(7)), VoiceEnabled: true}
		}
		st.Numbers[e] = n
	}
	mk := func() []*pbx.Row {
		rows := make([]*pbx.Row, 100_000)
		for i := range rows {
			rows[i] = asks(i+2, fmt.Sprintf("u%d@acme.example", i), "hq", "ne:650", "")
		}
		return rows
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		rows := mk()
		b.StartTimer()
		if ps := validate.Allocate(st, rows, ""); len(ps) > 0 {
			b.Fatal(ps[0])
		}
	}
}

// A company with no sites has one made-up site: a bare auto takes from its
// whole pool (pbx.State.Site makes a new default each call, so the pool
// cannot be found by the site's identity).
func TestAllocateCompanyWithoutSites(t *testing.T) {
	st := pbx.NewState(pbx.Company{ID: "acme"})
	for _, e := range []pbx.E164{"+14155550102", "+14155550101"} {
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme"}
	}
	rows := []*pbx.Row{asks(2, "a@acme.example", "", "ne", ""), asks(3, "b@acme.example", "", "n", "")}
	if ps := validate.Allocate(st, rows, ""); len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	for i, want := range []pbx.E164{"+14155550101", "+14155550102"} {
		if got := rows[i].Numbers; len(got) != 1 || got[0] != want {
			t.Errorf("row %d: numbers %v, want %s", rows[i].Line, got, want)
		}
	}
	if rows[0].User.Extension != "0101" {
		t.Errorf("row 2: extension %q, want 0101", rows[0].User.Extension)
	}
}
