package plan_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// objLive is live() with a hunt group sales on 6000 (one pool number
// routed to it; ann then bob its members) and an auto attendant main on 6001.
func objLive() *pbx.State {
	st := live()
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000",
		Members: []pbx.HuntMember{{User: "bob@acme.example", Position: 3}, {User: "ann@acme.example", Position: 1}}} // a gap at 2
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Name: "Main", Extension: "6001"}
	n := st.Numbers["+14155550104"]
	n.Target, n.Routing, n.SavedRouting, n.HolidayRouting = "huntgroup:sales", "hg:sales", "aa:main", "vm:6000"
	return st
}

func TestObjectsGolden(t *testing.T) {
	f := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for _, tt := range []struct {
		name string
		fk   plan.FileKind
		objs []plan.Object
	}{
		{"objects_numbers", plan.FileNumbers, []plan.Object{
			{Kind: plan.KindNumber, Key: "+16505550100", Line: 2, Fields: f(plan.AttrSite, "hq", plan.AttrLabel, "Pool"), RowKey: "area code 650 x 2", Why: "area code 650: 1 of 2"},
			{Kind: plan.KindNumber, Key: "+16505550101", Line: 2, Fields: f(plan.AttrSite, "hq", plan.AttrLabel, "Pool"), RowKey: "area code 650 x 2", Why: "area code 650: 2 of 2"},
			{Kind: plan.KindNumber, Key: "+14155550100", Line: 3, Fields: f(plan.AttrLabel, "Lobby", plan.AttrRouting, "aa:main", plan.AttrHolidayRouting, "vm:6001")},
			{Kind: plan.KindNumber, Key: "+14155550101", Line: 4, Remove: true},
			{Kind: plan.KindNumber, Key: "+14155550110", Line: 5, Remove: true},                            // ann's
			{Kind: plan.KindNumber, Key: "+14155550111", Line: 6, Fields: f(plan.AttrRouting, "ext:1002")}, // bob's, as it is
			{Kind: plan.KindNumber, Key: "+14155550104", Line: 7, Fields: f(plan.AttrRouting, "aa:main")},  // sales's: where it goes back to, as it is
			{Kind: plan.KindNumber, Key: "+14155550104", Line: 9, Fields: f(plan.AttrRouting, "vm:6000")},  // sales's: where it goes back to, changed
			{Kind: plan.KindNumber, Key: "+14155559999", Line: 8, Remove: true},                            // not there
		}},
		{"objects_sites_models", plan.FileSeed, []plan.Object{
			{Kind: plan.KindSite, Key: "pa", Line: 2, Fields: f(plan.AttrName, "Palo Alto", plan.AttrRegion, "US", plan.AttrExtLen, "4", plan.AttrOwnDialPlan, "true", plan.AttrReserved, "911,9000-9999")},
			{Kind: plan.KindSite, Key: "hq", Line: 3, Fields: f(plan.AttrName, "HQ", plan.AttrRegion, "US")},
			{Kind: plan.KindSite, Key: "hq", Line: 4, Remove: true}, // users are there
			{Kind: plan.KindModel, Key: "yealink-t42g", Line: 5, Fields: f(plan.AttrMaxLines, "3", plan.AttrOUIs, "805ec0")},
			{Kind: plan.KindModel, Key: "yealink-t42g", Line: 6, Remove: true}, // phones are of it
		}},
		{"objects_members", plan.FileHuntGroups, []plan.Object{
			{Kind: plan.KindHuntGroup, Key: "sales", Line: 2, Members: []pbx.UserID{"ann@acme.example", "bob@acme.example"}, SetMembers: true},                     // as it is
			{Kind: plan.KindHuntGroup, Key: "sales", Line: 3, Members: []pbx.UserID{"ann@acme.example", "bob@acme.example", "cat@acme.example"}, SetMembers: true}, // one more, last
			{Kind: plan.KindHuntGroup, Key: "sales", Line: 4, Members: []pbx.UserID{"bob@acme.example", "ann@acme.example"}, SetMembers: true},                     // another order
			{Kind: plan.KindHuntGroup, Key: "support", Line: 5, Fields: f(plan.AttrName, "Support"), Members: []pbx.UserID{"bob@acme.example"}, SetMembers: true},  // a new group
			{Kind: plan.KindHuntGroup, Key: "sales", Line: 6, Fields: f(plan.AttrName, "Sales team")},                                                              // members left alone
		}},
		{"objects_groups", plan.FileHuntGroups, []plan.Object{
			{Kind: plan.KindHuntGroup, Key: "support", Line: 2, Fields: f(plan.AttrName, "Support", plan.AttrExtension, "6200"),
				Numbers: []pbx.E164{"+14155550100", "+14155550104"}}, // from the pool, and moved from sales
			{Kind: plan.KindHuntGroup, Key: "billing", Line: 3, Fields: f(plan.AttrName, "Billing"), Numbers: []pbx.E164{"+14155550110"}}, // ann's: rings her phone
			{Kind: plan.KindHuntGroup, Key: "sales", Line: 4, Remove: true},
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			golden(t, tt.name, render(plan.Objects(objLive(), tt.objs, tt.fk)))
		})
	}
}
