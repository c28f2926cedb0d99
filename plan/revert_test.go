package plan_test

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// memberRun is the record of a run that gave ann outbound-only access to
// +14155550100 and took her access to +14155550101 away (row 2).
func memberRun() *plan.RunRecord {
	p := &plan.Plan{Format: plan.FormatVersion, Company: "acme", Mode: plan.Sync, Roster: "roster.csv",
		Changes: []plan.Change{
			{Action: plan.Delete, Kind: plan.KindMember, Key: plan.MemberKey("+14155550101", "ann@acme.example"),
				Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrRole, Before: "outbound-only"}), Rows: []int{2}},
			{Action: plan.Create, Kind: plan.KindMember, Key: plan.MemberKey("+14155550100", "ann@acme.example"),
				Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrRole, After: "outbound-only"}), Rows: []int{2}},
		},
		Rows: []plan.RowPlan{{Line: 2, Key: "ann@acme.example", Status: plan.StatusUpdated, Changes: []int{0, 1}}},
	}
	return &plan.RunRecord{
		Run:  plan.Run{ID: 7, Company: "acme", Outcome: plan.RunApplied, Changes: 2, Applied: 2},
		Plan: p,
		Outcomes: []plan.RunChange{
			{Outcome: plan.ChangeApplied, AfterVersion: 0},
			{Outcome: plan.ChangeApplied, AfterVersion: plan.MemberVersion},
		},
	}
}

func TestRevertMembers(t *testing.T) {
	st := live()
	member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly) // as the run left it
	p, err := plan.Revert(st, memberRun())
	if err != nil {
		t.Fatal(err)
	}
	got := render(p)
	want := `0 delete member +14155550100/ann@acme.example v0 rows[2]: undo run 7: the run added this member: removed
    role: "outbound-only" -> ""
1 create member +14155550101/ann@acme.example v0 rows[2]: undo run 7: the run removed this member: added back
    role: "" -> "outbound-only"
row 2 ann@acme.example updated changes[0 1]
summary: 1 to create, 1 to change, 0 to move, 0 to deprovision
`
	if got != want {
		t.Errorf("revert plan:\n%s\nwant:\n%s", got, want)
	}
}

func TestRevertMembersChangedSince(t *testing.T) {
	tests := []struct {
		name  string
		setup func(st *pbx.State)
		words string
	}{
		{"added member removed since", func(st *pbx.State) {}, "ann@acme.example's membership of number +14155550100 no longer exists"},
		{"added member of another role now", func(st *pbx.State) {
			member(st, "+14155550100", "ann@acme.example", pbx.RoleAssigned)
		}, "is assigned now; run 7 left it outbound-only"},
		{"removed member added again since", func(st *pbx.State) {
			member(st, "+14155550100", "ann@acme.example", pbx.RoleOutboundOnly)
			member(st, "+14155550101", "ann@acme.example", pbx.RoleOutboundOnly)
		}, "membership of number +14155550101 was removed by run 7 and has been added again since (outbound-only)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := live()
			tt.setup(st)
			p, err := plan.Revert(st, memberRun())
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 0 || len(p.Rows) != 1 || p.Rows[0].Status != plan.StatusConflict {
				t.Fatalf("want row 2 refused and nothing reverted:\n%s", render(p))
			}
			pr := p.Rows[0].Problems[0]
			if pr.Code != plan.CodeRevertChanged || !strings.Contains(pr.Message, tt.words) {
				t.Errorf("problem %s %q, want %s saying %q", pr.Code, pr.Message, plan.CodeRevertChanged, tt.words)
			}
		})
	}
}
