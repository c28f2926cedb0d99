package plan_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// secondLine gives the row a second-line column with number num ("": an
// empty cell) and, as validation does, two line appearances for it.
func secondLine(r *pbx.Row, num string) *pbx.Row {
	r.SetCell(pbx.FSecondLine, pbx.Cell{File: "roster.csv", Row: r.Line, Col: r.Layout.Len(), Header: "Second Line"})
	r.SecondLine = pbx.E164(num)
	if num != "" && r.Device != nil {
		r.Device.Lines = max(r.Device.Lines, 2)
	}
	return r
}

func TestSecondLineScenarios(t *testing.T) {
	sync := plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}
	tests := []struct {
		name string
		rows func(st *pbx.State) []*pbx.Row
		opts plan.Options
	}{
		{"second_line_added", func(st *pbx.State) []*pbx.Row {
			// bob's number appears on ann's phone: she becomes its assigned
			// member, her port gets a second line appearance.
			return []*pbx.Row{secondLine(same(st, 2, "ann@acme.example"), "+14155550111"), same(st, 3, "bob@acme.example")}
		}, plan.Options{}},
		{"second_line_removed_in_sync", func(st *pbx.State) []*pbx.Row {
			// the cell is cleared: her membership ends and her port is back
			// to one appearance; her assigned membership of her own number
			// is not the column's.
			member(st, "+14155550111", "ann@acme.example", pbx.RoleAssigned)
			member(st, "+14155550110", "ann@acme.example", pbx.RoleAssigned)
			st.Lines[pbx.LineKey("805ec0000001", 1)].Lines = 2
			ann := secondLine(same(st, 2, "ann@acme.example"), "")
			ann.Device.Lines = 1 // as validation gives a row without a line count
			return []*pbx.Row{ann, same(st, 3, "bob@acme.example")}
		}, sync},
		{"second_line_onboard_never_removes", func(st *pbx.State) []*pbx.Row {
			member(st, "+14155550111", "ann@acme.example", pbx.RoleAssigned)
			return []*pbx.Row{secondLine(same(st, 2, "ann@acme.example"), "+14155550100")}
		}, plan.Options{}},
		{"second_line_conflicts", func(st *pbx.State) []*pbx.Row {
			// ann's own number as her second line; bob's second line is a
			// number he may show as caller ID only.
			member(st, "+14155550100", "bob@acme.example", pbx.RoleOutboundOnly)
			return []*pbx.Row{
				secondLine(row(2, "ann@acme.example"), "+14155550110"),
				secondLine(row(3, "bob@acme.example"), "+14155550100"),
			}
		}, plan.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := live()
			tt.opts.Today = "2030-01-15"
			p, err := plan.Make(st, tt.rows(st), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name, render(p))
		})
	}
}
