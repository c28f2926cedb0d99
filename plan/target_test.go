package plan_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// routed is a row with no user whose numbers ring target.
func routed(line int, target string, nums ...string) *pbx.Row {
	r := row(line, "", pbx.FNumber, pbx.FTarget)
	r.CommonArea, r.TargetRef = true, target
	for _, n := range nums {
		r.Numbers = append(r.Numbers, pbx.E164(n))
	}
	return r
}

// groups gives the fixture the hunt group sales and the auto attendant
// main (Main menu), and ann's number a holiday routing and SMS.
func groups(st *pbx.State) {
	hunts(st)
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Name: "Main menu", Extension: "6100"}
	n := st.Numbers["+14155550110"]
	n.HolidayRouting, n.SMS = "vm:1001", true
}

func TestTargetScenarios(t *testing.T) {
	tests := []struct {
		name string
		rows func(st *pbx.State) []*pbx.Row
		opts plan.Options
	}{
		{"numbers_routed_to_groups", func(st *pbx.State) []*pbx.Row {
			// two pool numbers go to sales, one to the attendant by its name;
			// one already sales' changes nothing.
			st.Numbers["+14155550104"].Target, st.Numbers["+14155550104"].Routing = "huntgroup:sales", "hg:sales"
			return []*pbx.Row{
				routed(2, "huntgroup:sales", "+14155550100", "+14155550101"),
				routed(3, "Main Menu", "+14155550102"),
				routed(4, "sales", "+14155550104"),
			}
		}, plan.Options{}},
		{"number_moved_from_user_to_group", func(st *pbx.State) []*pbx.Row {
			// ann is on the roster: her number moves to sales, explicitly;
			// its holiday routing stays, its SMS goes, her phone's line
			// loses it.
			return []*pbx.Row{row(2, "ann@acme.example"), routed(3, "hg:sales", "+14155550110")}
		}, plan.Options{}},
		{"number_held_outside_routed_is_conflict", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{routed(2, "autoattendant:main", "+14155550111")}
		}, plan.Options{}},
		{"number_held_outside_routed_taken", func(st *pbx.State) []*pbx.Row {
			return []*pbx.Row{routed(2, "autoattendant:main", "+14155550111")}
		}, plan.Options{Take: true}},
		{"leaver_number_routed_to_group", func(st *pbx.State) []*pbx.Row {
			// bob leaves; his number goes to sales rather than the pool.
			return []*pbx.Row{same(st, 2, "ann@acme.example"), routed(3, "sales", "+14155550111")}
		}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := live()
			groups(st)
			tt.opts.Today = "2030-01-15"
			p, err := plan.Make(st, tt.rows(st), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, render(p))
		})
	}
}
