package validate

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// heldState is liveState(3) with a hunt group on extension 6000 and number
// +14155550190, an auto attendant on 6100 and +14155550191, and a user
// outside the roster (out@acme.example) with extension 4005 and +14155550105.
func heldState() *pbx.State {
	st := liveState(5)
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000"}
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Name: "Main", Extension: "6100"}
	for e, t := range map[pbx.E164]pbx.Target{"+14155550190": "huntgroup:sales", "+14155550191": "autoattendant:main"} {
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme", Target: t}
	}
	st.Users["out@acme.example"] = &pbx.User{ID: "out@acme.example", Company: "acme", Extension: "4005", VoiceEnabled: true, Status: pbx.StatusActive}
	st.Numbers["+14155550105"].Target = pbx.UserTarget("out@acme.example")
	return st
}

func TestHeld(t *testing.T) {
	leaver := func(u *pbx.User) bool { return u.ID == "out@acme.example" }
	for _, c := range []struct {
		name  string
		rows  []kv // rows 2, 3, ...
		setup func(st *pbx.State)
		pol   Policy
		code  string // on the last row; "" = no problem
		field pbx.Field
		value string
	}{
		{name: "clean", rows: []kv{person(1)}},
		{name: "number on a hunt group", rows: []kv{with(person(1), kv{pbx.FNumber: "+1 415 555 0190"})},
			code: CodeNumberTaken, field: pbx.FNumber, value: "+14155550190"},
		{name: "number on an auto attendant", rows: []kv{with(person(1), kv{pbx.FNumber: "+1 415 555 0191"})},
			code: CodeNumberTaken, field: pbx.FNumber, value: "+14155550191"},
		{name: "number of a user outside the roster", rows: []kv{with(person(1), kv{pbx.FNumber: "+1 415 555 0105"})},
			code: CodeNumberTaken, field: pbx.FNumber, value: "+14155550105"},
		{name: "number taken with --take", rows: []kv{with(person(1), kv{pbx.FNumber: "+1 415 555 0105"})}, pol: Policy{Take: true}},
		{name: "number of a leaver", rows: []kv{with(person(1), kv{pbx.FNumber: "+1 415 555 0105"})}, pol: Policy{Frees: leaver}},
		{name: "number moves within the roster", rows: []kv{with(person(5), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0102"}),
			with(person(2), kv{pbx.FNumber: "+1 415 555 0105"})}},
		{name: "number already the user's", rows: []kv{with(person(1), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0105"})}},
		{name: "extension of a user outside the roster", rows: []kv{with(person(1), kv{pbx.FExtension: "4005"})},
			code: CodeExtensionTaken, field: pbx.FExtension, value: "4005"},
		{name: "extension of a leaver", rows: []kv{with(person(1), kv{pbx.FExtension: "4005"})}, pol: Policy{Frees: leaver}},
		{name: "extension with --take", rows: []kv{with(person(1), kv{pbx.FExtension: "4005"})}, pol: Policy{Take: true},
			code: CodeExtensionTaken, field: pbx.FExtension, value: "4005"},
		{name: "extension of a hunt group", rows: []kv{with(person(1), kv{pbx.FExtension: "6000"})},
			code: CodeExtensionTaken, field: pbx.FExtension, value: "6000"},
		{name: "extension of an auto attendant", rows: []kv{with(person(1), kv{pbx.FExtension: "6100"})},
			code: CodeExtensionTaken, field: pbx.FExtension, value: "6100"},
		{name: "derived extension taken", rows: []kv{with(person(1), kv{pbx.FExtension: "", pbx.FNumber: "+1 415 555 4005"})},
			setup: func(st *pbx.State) { st.Numbers["+14155554005"] = &pbx.Number{E164: "+14155554005", Company: "acme"} },
			code:  CodeExtensionTaken, field: pbx.FNumber, value: "4005"},
		{name: "holder on the roster keeps it", rows: []kv{with(person(5), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0105", pbx.FExtension: ""}),
			with(person(2), kv{pbx.FExtension: "4005"})},
			code: CodeExtensionTaken, field: pbx.FExtension, value: "4005"},
		{name: "holder on the roster moves", rows: []kv{with(person(5), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0105", pbx.FExtension: "4100"}),
			with(person(2), kv{pbx.FExtension: "4005"})}},
		{name: "own extension", rows: []kv{with(person(1), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0105", pbx.FExtension: "4005"})}},
		{name: "deprovisioned holder", rows: []kv{with(person(1), kv{pbx.FExtension: "4005"})},
			setup: func(st *pbx.State) { st.Users["out@acme.example"].Status = pbx.StatusDeprovisioned },
			code:  CodeExtensionOfLeaver, field: pbx.FExtension, value: "4005"},
		{name: "deprovisioned holder, --take", rows: []kv{with(person(1), kv{pbx.FExtension: "4005"})}, pol: Policy{Take: true},
			setup: func(st *pbx.State) { st.Users["out@acme.example"].Status = pbx.StatusDeprovisioned }},
		{name: "other dial plan", rows: []kv{with(person(1), kv{pbx.FSite: "lon", pbx.FNumber: "020 7946 0001", pbx.FExtension: "4005"})},
			setup: func(st *pbx.State) { st.Numbers["+442079460001"] = &pbx.Number{E164: "+442079460001", Company: "acme"} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := heldState()
			if c.setup != nil {
				c.setup(st)
			}
			rows := validRows(t, st, c.rows...)
			if ps := append(Roster(st, rows), Live(st, rows)...); len(ps) != 0 {
				t.Fatalf("Roster and Live: %v", ps)
			}
			ps := Held(st, rows, c.pol)
			if c.code == "" {
				if len(ps) != 0 {
					t.Errorf("want no problem, got %v", ps)
				}
				return
			}
			wantOne(t, ps, c.code, pbx.ErrConflict, len(c.rows)+1, c.field, c.value)
		})
	}
}

// TestHeldAgreesWithPlanner: Held finds the conflicts plan.Make finds, with
// the same codes on the same rows.
func TestHeldAgreesWithPlanner(t *testing.T) {
	if CodeNumberTaken != plan.CodeNumberTaken || CodeExtensionTaken != plan.CodeExtensionTaken {
		t.Fatal("the codes differ from the planner's")
	}
	for _, c := range []struct {
		name string
		rows []kv
		take bool
	}{
		{"number on a hunt group", []kv{person(1), with(person(2), kv{pbx.FNumber: "+1 415 555 0190"})}, false},
		{"number of a user outside", []kv{with(person(2), kv{pbx.FNumber: "+1 415 555 0105"})}, false},
		{"number taken", []kv{with(person(2), kv{pbx.FNumber: "+1 415 555 0105"})}, true},
		{"extension of a user outside", []kv{with(person(1), kv{pbx.FExtension: "4005"})}, false},
		{"holder keeps it", []kv{with(person(5), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0105", pbx.FExtension: ""}),
			with(person(2), kv{pbx.FExtension: "4005"})}, false},
		{"holder moves", []kv{with(person(5), kv{pbx.FUserID: "out@acme.example", pbx.FNumber: "+1 415 555 0105", pbx.FExtension: "4100"}),
			with(person(2), kv{pbx.FExtension: "4005"})}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := heldState()
			rows := validRows(t, st, c.rows...)
			p, err := plan.Make(st, rows, plan.Options{Take: c.take})
			if err != nil {
				t.Fatal(err)
			}
			var planned, held []string
			for _, rp := range p.Rows {
				for _, pr := range rp.Problems {
					if pr.Code == CodeNumberTaken || pr.Code == CodeExtensionTaken {
						planned = append(planned, fmt.Sprintf("%d %s", rp.Line, pr.Code))
					}
				}
			}
			for _, pr := range Held(st, rows, Policy{Take: c.take}) {
				held = append(held, fmt.Sprintf("%d %s", pr.Cell.Row, pr.Code))
			}
			slices.Sort(planned)
			slices.Sort(held)
			if !slices.Equal(planned, held) {
				t.Errorf("planner %v, Held %v", planned, held)
			}
		})
	}
}
