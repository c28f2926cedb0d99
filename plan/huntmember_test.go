package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// hunts gives the fixture two hunt groups: sales (Sales) rings bob at
// position 1 and ann at 3; support (Tech Support) has no member.
func hunts(st *pbx.State) {
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000",
		Members: []pbx.HuntMember{{User: "bob@acme.example", Position: 1}, {User: "ann@acme.example", Position: 3}}}
	st.Hunts["support"] = &pbx.HuntGroup{ID: "support", Company: "acme", Name: "Tech Support", Extension: "6001"}
}

// inGroups gives the row a hunt-group column naming refs (none: an empty cell).
func inGroups(r *pbx.Row, refs ...string) *pbx.Row {
	r.SetCell(pbx.FHuntGroups, pbx.Cell{File: "roster.csv", Row: r.Line, Col: r.Layout.Len(), Header: "Hunt Groups"})
	r.HuntGroups = append(r.HuntGroups, refs...)
	return r
}

func TestHuntGroupScenarios(t *testing.T) {
	sync := plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}
	tests := []struct {
		name string
		rows func(st *pbx.State) []*pbx.Row
		opts plan.Options
	}{
		{"hunt_groups_added", func(st *pbx.State) []*pbx.Row {
			// bob joins support (named by its name, in another case); cat,
			// new, joins sales after ann (4: the last member is at 3) and
			// support after bob; ann, in sales already, changes nothing.
			return []*pbx.Row{
				inGroups(same(st, 2, "ann@acme.example"), "sales"),
				inGroups(same(st, 3, "bob@acme.example"), "Sales", "tech support"),
				inGroups(joiner(4, "cat@acme.example", "1003", "+14155550100", "805ec0000003"), "support", "sales", "SALES"),
			}
		}, plan.Options{}},
		{"hunt_groups_sync_removes_extra", func(st *pbx.State) []*pbx.Row {
			// ann leaves sales for support; bob's cell keeps him in sales.
			return []*pbx.Row{
				inGroups(same(st, 2, "ann@acme.example"), "support"),
				inGroups(same(st, 3, "bob@acme.example"), "sales"),
			}
		}, sync},
		{"hunt_groups_empty_cell_removes_all", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{inGroups(same(st, 2, "ann@acme.example")), same(st, 3, "bob@acme.example")}
		}, sync},
		{"hunt_groups_onboard_never_removes", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{inGroups(same(st, 2, "ann@acme.example"), "support")}
		}, plan.Options{}},
		{"leaver_leaves_hunt_groups", func(st *pbx.State) []*pbx.Row {
			// bob leaves: sales rings ann alone; no column is needed for it.
			return []*pbx.Row{same(st, 2, "ann@acme.example")}
		}, sync},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := live()
			hunts(st)
			tt.opts.Today = "2030-01-15"
			p, err := plan.Make(st, tt.rows(st), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, render(p))
		})
	}
}

// The hunt-group column of an applied roster changes nothing, and without
// the column a sync leaves every membership alone.
func TestHuntGroupsRerunIsEmpty(t *testing.T) {
	sync := plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}
	for name, rows := range map[string]func(st *pbx.State) []*pbx.Row{
		"same groups": func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{inGroups(same(st, 2, "ann@acme.example"), "Sales"), inGroups(same(st, 3, "bob@acme.example"), "sales")}
		},
		"no column": func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")}
		},
	} {
		t.Run(name, func(t *testing.T) {
			st := live()
			hunts(st)
			p, err := plan.Make(st, rows(st), sync)
			if err != nil {
				t.Fatal(err)
			}
			if !p.Empty() {
				t.Errorf("planned:\n%s", render(p))
			}
		})
	}
}

func TestHuntMemberKey(t *testing.T) {
	key := plan.HuntMemberKey("sales", "ann@acme.example")
	g, u, err := plan.SplitHuntMemberKey(key)
	if err != nil || g != "sales" || u != "ann@acme.example" {
		t.Fatalf("SplitHuntMemberKey(%q) = %q, %q, %v", key, g, u, err)
	}
	for _, bad := range []string{"sales", "/ann@acme.example", "sales/", ""} {
		if _, _, err := plan.SplitHuntMemberKey(bad); !errors.Is(err, pbx.ErrInvalid) {
			t.Errorf("SplitHuntMemberKey(%q): err %v, want ErrInvalid", bad, err)
		}
	}
}

// huntRun is the record of a run that took ann out of sales (position 3)
// and put her in support at 1 (row 2).
func huntRun() *plan.RunRecord {
	p := &plan.Plan{Format: plan.FormatVersion, Company: "acme", Mode: plan.Sync, Roster: "roster.csv",
		Changes: []plan.Change{
			{Action: plan.Delete, Kind: plan.KindHuntMember, Key: plan.HuntMemberKey("sales", "ann@acme.example"),
				Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrPosition, Before: "3"}), Rows: []int{2}},
			{Action: plan.Create, Kind: plan.KindHuntMember, Key: plan.HuntMemberKey("support", "ann@acme.example"),
				Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrPosition, After: "1"}), Rows: []int{2}},
		},
		Rows: []plan.RowPlan{{Line: 2, Key: "ann@acme.example", Status: plan.StatusUpdated, Changes: []int{0, 1}}},
	}
	return &plan.RunRecord{
		Run:      plan.Run{ID: 8, Company: "acme", Outcome: plan.RunApplied, Changes: 2, Applied: 2},
		Plan:     p,
		Outcomes: []plan.RunChange{{Outcome: plan.ChangeApplied}, {Outcome: plan.ChangeApplied, AfterVersion: plan.MemberVersion}},
	}
}

// afterHuntRun is the live state as huntRun left it.
func afterHuntRun() *pbx.State {
	st := live()
	hunts(st)
	st.Hunts["sales"].Members = st.Hunts["sales"].Members[:1]
	st.Hunts["support"].Members = []pbx.HuntMember{{User: "ann@acme.example", Position: 1}}
	return st
}

func TestRevertHuntMembers(t *testing.T) {
	p, err := plan.Revert(afterHuntRun(), huntRun())
	if err != nil {
		t.Fatal(err)
	}
	want := `0 delete huntmember support/ann@acme.example v0 rows[2]: undo run 8: the run added this hunt group member: removed
    position: "1" -> ""
1 create huntmember sales/ann@acme.example v0 rows[2]: undo run 8: the run removed this hunt group member: added back at position 3
    position: "" -> "3"
row 2 ann@acme.example updated changes[0 1]
summary: 1 to create, 1 to change, 0 to move, 0 to deprovision
`
	if got := render(p); got != want {
		t.Errorf("revert plan:\n%s\nwant:\n%s", got, want)
	}
}

func TestRevertHuntMembersChangedSince(t *testing.T) {
	tests := []struct {
		name  string
		setup func(st *pbx.State)
		words string
	}{
		{"added member removed since", func(st *pbx.State) { st.Hunts["support"].Members = nil },
			"ann@acme.example's place in hunt group support no longer exists"},
		{"added member at another position now", func(st *pbx.State) { st.Hunts["support"].Members[0].Position = 2 },
			"is position 2 now; run 8 left it at 1"},
		{"removed member added again since", func(st *pbx.State) {
			st.Hunts["sales"].Members = append(st.Hunts["sales"].Members, pbx.HuntMember{User: "ann@acme.example", Position: 5})
		}, "place in hunt group sales was removed by run 8 and has been added again since (position 5)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := afterHuntRun()
			tt.setup(st)
			p, err := plan.Revert(st, huntRun())
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 0 || len(p.Rows) != 1 || p.Rows[0].Status != plan.StatusConflict {
				t.Fatalf("want row 2 refused and nothing reverted:\n%s", render(p))
			}
			if pr := p.Rows[0].Problems[0]; pr.Code != plan.CodeRevertChanged || !strings.Contains(pr.Message, tt.words) {
				t.Errorf("problem %s %q, want %s mentioning %q", pr.Code, pr.Message, plan.CodeRevertChanged, tt.words)
			}
		})
	}
}
