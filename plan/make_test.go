package plan_test

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// live builds the fixture state: company acme, site hq (US, 4-digit
// extensions), five pool numbers, two users with a number and a phone each.
func live() *pbx.State {
	st := pbx.NewState(pbx.Company{ID: "acme", Name: "Acme", Plan: "C2", SMS: true})
	st.Sites["hq"] = &pbx.Site{Company: "acme", Code: "hq", Region: "US", ExtLen: 4}
	st.Models["yealink-t42g"] = &pbx.DeviceModel{Name: "yealink-t42g", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 3}
	for i := 0; i < 5; i++ {
		e := pbx.E164(fmt.Sprintf("+1415555010%d", i))
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme", Site: "hq", Routing: "aa:main", Version: 1}
	}
	addUser(st, "ann@acme.example", "1001", "+14155550110", "805ec0000001")
	addUser(st, "bob@acme.example", "1002", "+14155550111", "805ec0000002")
	return st
}

func addUser(st *pbx.State, id, ext, num, mac string) {
	u := &pbx.User{ID: pbx.UserID(id), Company: "acme", Site: "hq", FirstName: strings.Title(id[:3]), LastName: "Smith",
		Email: id, Extension: pbx.Extension(ext), StationType: "standard", VoiceEnabled: true,
		Status: pbx.StatusActive, ExternalID: "hr-" + id[:3], Version: 3}
	st.Users[u.ID] = u
	e := pbx.E164(num)
	st.Numbers[e] = &pbx.Number{E164: e, Company: "acme", Site: "hq", Target: pbx.UserTarget(u.ID),
		Routing: pbx.ExtRouting(u.Extension), SavedRouting: "aa:main", Version: 2}
	m := pbx.MAC(mac)
	st.Devices[m] = &pbx.Device{MAC: m, Company: "acme", Model: "yealink-t42g", Version: 1}
	st.Lines[pbx.LineKey(m, 1)] = &pbx.DeviceLine{MAC: m, Port: 1, User: u.ID, Number: e, Lines: 1, Version: 1}
}

// row builds a roster row carrying the given fields.
func row(line int, id string, fields ...pbx.Field) *pbx.Row {
	r := &pbx.Row{Line: line}
	r.User.ID = pbx.UserID(id)
	for i, f := range append([]pbx.Field{pbx.FUserID}, fields...) {
		r.SetCell(f, pbx.Cell{File: "roster.csv", Row: line, Col: i, Header: string(f)})
	}
	return r
}

// same is the roster row that describes a fixture user exactly as it is.
func same(st *pbx.State, line int, id string) *pbx.Row {
	u := st.Users[pbx.UserID(id)]
	r := row(line, id, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FExtension, pbx.FNumber, pbx.FMAC, pbx.FModel)
	r.User = *u
	for e, n := range st.Numbers {
		if n.Target.User() == u.ID {
			r.Numbers = append(r.Numbers, e)
		}
	}
	for _, l := range st.Lines {
		if l.User == u.ID {
			r.Device = &pbx.RowDevice{MAC: l.MAC, Model: "yealink-t42g", Port: l.Port, Lines: l.Lines}
		}
	}
	return r
}

func joiner(line int, id, ext, num, mac string) *pbx.Row {
	r := row(line, id, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FExtension, pbx.FNumber, pbx.FMAC, pbx.FModel,
		pbx.FStreet, pbx.FCity, pbx.FRegion, pbx.FPostal, pbx.FCountry)
	r.User = pbx.User{ID: pbx.UserID(id), FirstName: "Joe", LastName: "New", Email: id, Extension: pbx.Extension(ext)}
	r.Numbers = []pbx.E164{pbx.E164(num)}
	r.Device = &pbx.RowDevice{MAC: pbx.MAC(mac), Model: "yealink-t42g", Port: 1, Lines: 1}
	r.Location = &pbx.Address{Street: "1 Main St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}
	return r
}

// outbound gives the row an outbound-only column with the numbers (none:
// an empty cell).
func outbound(r *pbx.Row, nums ...string) *pbx.Row {
	r.SetCell(pbx.FOutboundOnly, pbx.Cell{File: "roster.csv", Row: r.Line, Col: r.Layout.Len(), Header: "Outbound Only"})
	for _, n := range nums {
		r.OutboundOnly = append(r.OutboundOnly, pbx.E164(n))
	}
	return r
}

// member adds a number member to the live state.
func member(st *pbx.State, num, id string, role pbx.MemberRole) {
	st.Members = append(st.Members, pbx.Member{Number: pbx.E164(num), User: pbx.UserID(id), Role: role})
}

func TestScenarios(t *testing.T) {
	sync := plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}
	tests := []struct {
		name string
		rows func(st *pbx.State) []*pbx.Row
		opts plan.Options
	}{
		{"onboard_joiner", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{joiner(2, "cat@acme.example", "1003", "+14155550100", "805ec0000003")}
		}, plan.Options{}},
		{"rerun_changes_nothing", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")}
		}, sync},
		{"missing_column_leaves_alone", func(st *pbx.State) []*pbx.Row {
			r := row(2, "ann@acme.example", pbx.FLastName) // only a last name column
			r.User.LastName = "Jones"
			return []*pbx.Row{r}
		}, plan.Options{}},
		{"swap_numbers_between_roster_users", func(st *pbx.State) []*pbx.Row {
			a, b := same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")
			a.Numbers, b.Numbers = b.Numbers, a.Numbers
			a.Device, b.Device = nil, nil
			a.DropCell(pbx.FMAC)
			b.DropCell(pbx.FMAC)
			return []*pbx.Row{a, b}
		}, plan.Options{}},
		{"swap_extensions_frees_first", func(st *pbx.State) []*pbx.Row {
			a, b := same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")
			a.User.Extension, b.User.Extension = "1002", "1001"
			return []*pbx.Row{a, b}
		}, plan.Options{}},
		{"leaver_number_goes_to_joiner", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{same(st, 2, "ann@acme.example"), joiner(3, "cat@acme.example", "1002", "+14155550111", "805ec0000002")}
		}, sync},
		{"leaver_unassigned_routing_restored", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{same(st, 2, "ann@acme.example")}
		}, sync},
		{"invalid_row_holds_removals", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{same(st, 2, "ann@acme.example")}
		}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Incomplete: true}},
		{"number_held_outside_is_conflict", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{joiner(2, "cat@acme.example", "1003", "+14155550110", "805ec0000003")}
		}, plan.Options{}},
		{"number_held_outside_taken", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{joiner(2, "cat@acme.example", "1003", "+14155550110", "805ec0000003")}
		}, plan.Options{Take: true}},
		{"extension_change_reroutes_numbers", func(st *pbx.State) []*pbx.Row {
			a := same(st, 2, "ann@acme.example")
			a.User.Extension = "1050"
			return []*pbx.Row{a}
		}, plan.Options{}},
		{"conflict_blocks_dependent_row", func(st *pbx.State) []*pbx.Row {
			// bob's row is in conflict (ann's extension, ann not moving), so
			// cat cannot take bob's number that bob's row gave up.
			b := same(st, 3, "bob@acme.example")
			b.User.Extension = "1001"
			b.Numbers = []pbx.E164{"+14155550101"}
			c := joiner(4, "cat@acme.example", "1003", "+14155550111", "805ec0000003")
			return []*pbx.Row{same(st, 2, "ann@acme.example"), b, c}
		}, plan.Options{}},
		{"sync_conflict_row_is_no_leaver", func(st *pbx.State) []*pbx.Row {
			// bob's row wants ann's extension while ann keeps it: bob's row
			// is in conflict, yet bob is on the roster, so no leaver.
			b := same(st, 3, "bob@acme.example")
			b.User.Extension = "1001"
			return []*pbx.Row{same(st, 2, "ann@acme.example"), b}
		}, sync},
		{"hunt_group_extension_is_conflict", func(st *pbx.State) []*pbx.Row {
			st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000"}
			a := same(st, 2, "ann@acme.example")
			a.User.Extension = "6000"
			return []*pbx.Row{a, joiner(3, "cat@acme.example", "6000", "+14155550100", "805ec0000003")}
		}, plan.Options{}},
		{"outbound_only_added", func(st *pbx.State) []*pbx.Row {
			// ann may show a pool number and bob's as caller ID; cat, new,
			// bob's too (cat is created before the membership).
			return []*pbx.Row{
				outbound(same(st, 2, "ann@acme.example"), "+14155550100", "+14155550111"),
				outbound(joiner(3, "cat@acme.example", "1003", "+14155550101", "805ec0000003"), "+14155550111"),
			}
		}, plan.Options{}},
		{"outbound_only_sync_removes_extra", func(st *pbx.State) []*pbx.Row {
			// ann keeps 101, loses 100, gains 102; her assigned membership
			// of bob's number is not the column's: it stays.
			member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550101", "ann@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550111", "ann@acme.example", pbx.RoleAssigned)
			return []*pbx.Row{
				outbound(same(st, 2, "ann@acme.example"), "+14155550101", "+14155550102"),
				same(st, 3, "bob@acme.example"),
			}
		}, sync},
		{"outbound_only_empty_cell_removes_all", func(st *pbx.State) []*pbx.Row {
			// outbound_only is not a field an empty cell leaves alone
			// (validate's leftAloneWhenEmpty): an empty cell is no numbers.
			member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550111", "ann@acme.example", pbx.RoleOutboundOnly)
			return []*pbx.Row{outbound(same(st, 2, "ann@acme.example")), same(st, 3, "bob@acme.example")}
		}, sync},
		{"outbound_only_missing_column_leaves_alone", func(st *pbx.State) []*pbx.Row {
			member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550111", "ann@acme.example", pbx.RoleOutboundOnly)
			return []*pbx.Row{same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")}
		}, sync},
		{"outbound_only_onboard_never_removes", func(st *pbx.State) []*pbx.Row {
			// an onboarding adds 102; 100 is not on the row, yet stays.
			member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
			return []*pbx.Row{outbound(same(st, 2, "ann@acme.example"), "+14155550102"), outbound(same(st, 3, "bob@acme.example"))}
		}, plan.Options{}},
		{"leaver_loses_memberships", func(st *pbx.State) []*pbx.Row {
			// bob leaves: his outbound-only and assigned memberships end;
			// ann's outbound-only access to bob's number (back to the pool)
			// stays.
			member(st, "+14155550100", "bob@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550110", "bob@acme.example", pbx.RoleAssigned)
			member(st, "+14155550111", "ann@acme.example", pbx.RoleOutboundOnly)
			return []*pbx.Row{same(st, 2, "ann@acme.example")}
		}, sync},
		{"outbound_only_own_number_is_conflict", func(st *pbx.State) []*pbx.Row {
			// no number column: ann keeps +14155550110, so she cannot be
			// outbound-only on it.
			return []*pbx.Row{outbound(row(2, "ann@acme.example"), "+14155550110")}
		}, plan.Options{}},
		{"outbound_only_own_number_unassigned_in_sync", func(st *pbx.State) []*pbx.Row {
			// a sync row that drops the number from ann's numbers and makes
			// her outbound-only on it: un-assigned first, then the member.
			a := outbound(same(st, 2, "ann@acme.example"), "+14155550110")
			a.Numbers = []pbx.E164{"+14155550100"}
			return []*pbx.Row{a, same(st, 3, "bob@acme.example")}
		}, sync},
		{"outbound_only_assigned_member_is_conflict", func(st *pbx.State) []*pbx.Row {
			member(st, "+14155550100", "ann@acme.example", pbx.RoleAssigned)
			return []*pbx.Row{outbound(same(st, 2, "ann@acme.example"), "+14155550100")}
		}, plan.Options{}},
		{"number_assigned_to_its_outbound_only_user", func(st *pbx.State) []*pbx.Row {
			// ann is given the number she had caller-ID access to: the
			// access is part of the assignment now. bob's stays.
			member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550100", "bob@acme.example", pbx.RoleOutboundOnly)
			a := same(st, 2, "ann@acme.example")
			a.Numbers = append(a.Numbers, "+14155550100")
			return []*pbx.Row{a}
		}, plan.Options{}},
		{"allocate_from_pool", func(st *pbx.State) []*pbx.Row {
			// cat asks for a number and an extension from the pool, dan for
			// an extension only, and ann, who holds both, asks again: the
			// allocator keeps hers and the plan says what it picked for the others.
			cat := joiner(2, "cat@acme.example", "", "", "805ec0000003")
			cat.Numbers, cat.Alloc = nil, &pbx.Alloc{Number: true, Ext: true}
			dan := row(3, "dan@acme.example", pbx.FFirstName, pbx.FLastName, pbx.FExtension)
			dan.User.FirstName, dan.User.LastName, dan.Alloc = "Dan", "New", &pbx.Alloc{Ext: true}
			ann := same(st, 4, "ann@acme.example")
			ann.Numbers, ann.User.Extension, ann.Alloc = nil, "", &pbx.Alloc{Number: true, Ext: true}
			rows := []*pbx.Row{cat, dan, ann}
			if ps := validate.Allocate(st, rows, ""); len(ps) > 0 {
				t.Fatalf("allocating: %v", ps)
			}
			return rows
		}, plan.Options{}},
		{"common_area_phone", func(st *pbx.State) []*pbx.Row {
			// the lobby's phone rings a pool number and no user; a second
			// one asks for ann's number, which is a conflict
			lobby := row(2, "", pbx.FNumber, pbx.FNumberLabel, pbx.FMAC, pbx.FModel, pbx.FStreet, pbx.FCity, pbx.FRegion, pbx.FPostal, pbx.FCountry)
			lobby.CommonArea, lobby.Numbers, lobby.NumberLabel = true, []pbx.E164{"+14155550103"}, "Lobby"
			lobby.Device = &pbx.RowDevice{MAC: "805ec0000009", Model: "yealink-t42g", Port: 1, Lines: 1}
			lobby.Location = &pbx.Address{Street: "1 Main St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}
			fax := row(3, "", pbx.FNumber, pbx.FMAC, pbx.FModel)
			fax.CommonArea, fax.Numbers = true, []pbx.E164{"+14155550110"}
			fax.Device = &pbx.RowDevice{MAC: "805ec000000a", Model: "yealink-t42g", Port: 1, Lines: 1}
			return []*pbx.Row{lobby, fax, same(st, 4, "ann@acme.example")}
		}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}},
		{"deprovisioned_user_back_on_roster", func(st *pbx.State) []*pbx.Row {
			st.Users["bob@acme.example"].Status = pbx.StatusDeprovisioned
			return []*pbx.Row{same(st, 3, "bob@acme.example")}
		}, plan.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := live()
			rows := tt.rows(st)
			if tt.opts.Today == "" {
				tt.opts.Today = "2030-01-15" // the day leavers are deprovisioned on, in the golden files
			}
			p, err := plan.Make(st, rows, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, render(p))
		})
	}
}

func TestRerunIsEmpty(t *testing.T) {
	st := live()
	p, err := plan.Make(st, []*pbx.Row{same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")},
		plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Fatalf("an unchanged roster planned %d changes:\n%s", len(p.Changes), render(p))
	}
	for _, r := range p.Rows {
		if r.Status != plan.StatusUnchanged {
			t.Errorf("row %d: status %s, want unchanged", r.Line, r.Status)
		}
	}
}

func TestRerunWithMembersIsEmpty(t *testing.T) {
	st := live()
	member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
	member(st, "+14155550111", "ann@acme.example", pbx.RoleOutboundOnly)
	member(st, "+14155550110", "bob@acme.example", pbx.RoleAssigned)
	rows := []*pbx.Row{
		outbound(same(st, 2, "ann@acme.example"), "+14155550111", "+14155550100"),
		outbound(same(st, 3, "bob@acme.example")),
	}
	for _, opts := range []plan.Options{{}, {Mode: plan.Sync, Manage: plan.Scope{All: true}}} {
		p, err := plan.Make(st, rows, opts)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Empty() {
			t.Errorf("%s: an unchanged roster with outbound-only members planned %d changes:\n%s", opts.Mode, len(p.Changes), render(p))
		}
	}
}

func TestMemberKey(t *testing.T) {
	key := plan.MemberKey("+14155550100", "jdoe@acme.example")
	if key != "+14155550100/jdoe@acme.example" {
		t.Fatalf("MemberKey = %q", key)
	}
	e, u, err := plan.SplitMemberKey(key)
	if err != nil || e != "+14155550100" || u != "jdoe@acme.example" {
		t.Fatalf("SplitMemberKey(%q) = %q, %q, %v", key, e, u, err)
	}
	for _, bad := range []string{"", "+14155550100", "/jdoe@acme.example", "+14155550100/", "14155550100/jdoe@acme.example"} {
		if _, _, err := plan.SplitMemberKey(bad); !errors.Is(err, pbx.ErrInvalid) {
			t.Errorf("SplitMemberKey(%q): err %v, want ErrInvalid", bad, err)
		}
	}
}

func TestTruncatedExportTripsRemovalLimit(t *testing.T) {
	st := live()
	for i := 0; i < 8; i++ {
		addUser(st, fmt.Sprintf("u%02d@acme.example", i), fmt.Sprintf("20%02d", i), fmt.Sprintf("+1415555020%d", i), fmt.Sprintf("805ec00001%02d", i))
	}
	rows := []*pbx.Row{same(st, 2, "ann@acme.example")} // 9 of 10 users missing
	_, err := plan.Make(st, rows, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}})
	var le *plan.LimitError
	if !errors.As(err, &le) || !errors.Is(err, pbx.ErrRefused) {
		t.Fatalf("err = %v, want a LimitError wrapping ErrRefused", err)
	}
	if le.Leavers != 9 || le.Managed != 10 {
		t.Errorf("limit error counts %d of %d, want 9 of 10", le.Leavers, le.Managed)
	}
	p, err := plan.Make(st, rows, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true})
	if err != nil || p.Summary.Deprovision != 9 {
		t.Fatalf("with Force: err %v, %d deprovisioned, want 9", err, p.Summary.Deprovision)
	}
}

func TestSyncNeedsScope(t *testing.T) {
	_, err := plan.Make(live(), nil, plan.Options{Mode: plan.Sync})
	if !errors.Is(err, pbx.ErrRefused) {
		t.Fatalf("err = %v, want ErrRefused", err)
	}
}

func TestSyncScopeSiteLeavesOtherSitesAlone(t *testing.T) {
	st := live()
	st.Users["bob@acme.example"].Site = "lab"
	p, err := plan.Make(st, []*pbx.Row{same(st, 2, "ann@acme.example")}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{Site: "hq"}})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() {
		t.Fatalf("a sync of site hq touched another site:\n%s", render(p))
	}
}

func TestMakeDoesNotChangeState(t *testing.T) {
	st := live()
	before := render(mustPlan(t, st, nil))
	_ = mustPlan(t, st, []*pbx.Row{joiner(2, "cat@acme.example", "1002", "+14155550111", "805ec0000002")})
	if after := render(mustPlan(t, st, nil)); before != after {
		t.Fatal("Make changed the live state it was given")
	}
	if n := st.Numbers["+14155550111"]; n.Target != "user:bob@acme.example" {
		t.Fatalf("live number target changed to %q", n.Target)
	}
}

func mustPlan(t *testing.T, st *pbx.State, rows []*pbx.Row) *plan.Plan {
	t.Helper()
	p, err := plan.Make(st, rows, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// render is a compact, stable text form of a plan for golden files.
func render(p *plan.Plan) string {
	var b strings.Builder
	for i, c := range p.Changes {
		fmt.Fprintf(&b, "%d %s %s %s v%d rows%v: %s\n", i, c.Action, c.Kind, c.Key, c.Version, c.Rows, c.Reason)
		for _, f := range c.Fields.All() {
			fmt.Fprintf(&b, "    %s: %q -> %q\n", f.Field, f.Before, f.After)
		}
	}
	for _, r := range p.Rows {
		fmt.Fprintf(&b, "row %d %s %s changes%v\n", r.Line, r.Key, r.Status, r.Changes)
		for _, pr := range r.Problems {
			fmt.Fprintf(&b, "    %s %s: %s (%s)\n", pr.Cell, pr.Code, pr.Message, pr.Hint)
		}
	}
	fmt.Fprintf(&b, "summary: %s\n", p.Summary)
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./plan -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("plan differs from %s (go test ./plan -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}
