package apply_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// CheckReads refuses the first change whose read moved, naming the object
// and what changed, and asks the store only for what the batch's changes read.
func TestCheckReads(t *testing.T) {
	hq := &pbx.Site{Code: "hq", Region: "US", ExtLen: 4}
	p := &plan.Plan{Company: "acme",
		Reads: []plan.Read{
			{Kind: plan.KindUser, Key: "bmartin@acme.example", Version: 3, Why: "routed to"},
			{Kind: plan.KindSite, Key: "hq", State: plan.SiteState(hq), Why: "checked against"},
			{Kind: plan.KindAutoAttendant, Key: "main", State: plan.GroupState("6100", true), Why: "routing goes back to it"},
			{Kind: plan.KindExtension, Why: "found free"},
			{Kind: plan.KindNumber, Key: "+14155550150", Version: 1, Why: "rings it"},
		},
		Changes: []plan.Change{
			{Action: plan.Assign, Kind: plan.KindNumber, Key: "+14155550102", Rows: []int{2}, Reads: []int{0, 1}},
			{Action: plan.Unassign, Kind: plan.KindNumber, Key: "+14155550103", Reads: []int{2}},
			{Action: plan.Create, Kind: plan.KindUser, Key: "new@acme.example", Rows: []int{4}, Reads: []int{1, 3},
				Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrExtension, After: "6200"})},
			{Action: plan.Create, Kind: plan.KindLine, Key: "805ec0112201/1", Rows: []int{5}, Reads: []int{4}},
		},
	}
	fresh := func() *apply.Current {
		return &apply.Current{
			Users:   map[string]int64{"bmartin@acme.example": 3},
			Numbers: map[string]int64{"+14155550150": 1},
			Sites:   map[string]*pbx.Site{"hq": {Code: "hq", Region: "US", ExtLen: 4}},
			Hunts:   map[string]*pbx.HuntGroup{"sales": {ID: "sales", Extension: "6000"}},
			AAs:     map[string]*pbx.AutoAttendant{"main": {ID: "main", Extension: "6100"}},
		}
	}
	all := []int{0, 1, 2, 3}
	for _, tt := range []struct {
		name    string
		move    func(c *apply.Current)
		changes []int
		change  int    // the change refused, -1 for none
		says    string // what the reason names
		others  []int  // the other changes refused with it
	}{
		{"nothing moved", func(*apply.Current) {}, all, -1, "", nil},
		{"the user changed", func(c *apply.Current) { c.Users["bmartin@acme.example"] = 4 }, all, 0, "user bmartin@acme.example", nil},
		{"the user is gone", func(c *apply.Current) { delete(c.Users, "bmartin@acme.example") }, all, 0, "no longer exists", nil},
		{"the site's length changed", func(c *apply.Current) { c.Sites["hq"].ExtLen = 5 }, all, 0, "site hq", []int{2}},
		{"the site changed, for a later change only", func(c *apply.Current) { c.Sites["hq"].ExtLen = 5 }, []int{2}, 2, "extensions of 5 digits", nil},
		{"the attendant is gone", func(c *apply.Current) { delete(c.AAs, "main") }, all, 1, "auto attendant main", nil},
		{"the extension was taken", func(c *apply.Current) { c.Hunts["support"] = &pbx.HuntGroup{ID: "support", Extension: "6200"} }, all, 2, "extension 6200 (found free): hunt group support has it now", nil},
		{"another extension was taken", func(c *apply.Current) { c.AAs["night"] = &pbx.AutoAttendant{ID: "night", Extension: "6300"} }, all, -1, "", nil},
		{"the number a port rings changed", func(c *apply.Current) { c.Numbers["+14155550150"] = 2 }, all, 3, "number +14155550150", nil},
		{"a move the batch does not rely on", func(c *apply.Current) { delete(c.AAs, "main") }, []int{0, 2}, -1, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var asked apply.Wanted
			err := apply.CheckReads(context.Background(), p, tt.changes, func(_ context.Context, w apply.Wanted) (*apply.Current, error) {
				asked = w
				c := fresh()
				tt.move(c)
				return c, nil
			})
			if tt.change < 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			ce, ok := apply.AsChangeError(err)
			if !ok || ce.Change != tt.change || !errors.Is(err, pbx.ErrStale) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("err = %v, want change %d refused as stale naming %q", err, tt.change, tt.says)
			}
			if len(asked.Users) > 1 || len(asked.Numbers) > 1 {
				t.Errorf("asked for %+v", asked)
			}
			var others []int
			for _, o := range ce.Others {
				others = append(others, o.Change)
				if !errors.Is(o, pbx.ErrStale) || !strings.Contains(o.Error(), apply.ObjectName(&p.Changes[o.Change])) {
					t.Errorf("other change refused with %v", o)
				}
			}
			if fmt.Sprint(others) != fmt.Sprint(tt.others) {
				t.Errorf("also refused changes %v, want %v", others, tt.others)
			}
		})
	}
}
