package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

// The writes of day-two files (plan.Objects): sites, device models, hunt
// groups and auto attendants created, changed and removed, numbers added
// to and removed from the inventory, a pool number routed to a group and
// one moved from another group; each version-less object written only
// where it has the values the plan read; none of it from a user roster's
// plan; revert restores what the run changed, except a deleted number.

func runObjectCases(t *testing.T, h func(func(*testing.T, *harness)) func(*testing.T)) {
	t.Run("WriteAndRevert", h(testObjectsWrite))
	t.Run("Stale", h(testObjectsStale))
	t.Run("NotFromRoster", h(testObjectsNotFromRoster))
	t.Run("NumberRemovedForGood", h(testNumberRemovedForGood))
}

// ExportAll is every kind's export of a company, one after the other:
// what a revert must restore.
func ExportAll(t testing.TB, s importer.Store, company string) string {
	t.Helper()
	st, err := s.Load(context.Background(), company)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, w := range []func(*bytes.Buffer, *pbx.State) error{
		func(b *bytes.Buffer, st *pbx.State) error { return report.WriteNumbers(b, st) },
		func(b *bytes.Buffer, st *pbx.State) error { return report.WriteSites(b, st) },
		func(b *bytes.Buffer, st *pbx.State) error { return report.WriteModels(b, st) },
		func(b *bytes.Buffer, st *pbx.State) error { return report.WriteHuntGroups(b, st) },
		func(b *bytes.Buffer, st *pbx.State) error { return report.WriteAutoAttendants(b, st) },
		func(b *bytes.Buffer, st *pbx.State) error { return report.WriteRoster(b, st) },
	} {
		if err := w(&b, st); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// broadway is the default E911 address of dayTwo's new site.
var broadway = pbx.Address{Street: "1 Broadway", City: "New York", Region: "NY", Postal: "10004", Country: "US"}

// dayTwo are objects of every kind against AcmeSeed.
func dayTwo() []plan.Object {
	return []plan.Object{
		{Kind: plan.KindSite, Key: "nyc", Line: 2, Fields: map[string]string{plan.AttrName: "New York", plan.AttrRegion: "US",
			plan.AttrExtLen: "4", plan.AttrOwnDialPlan: "true", plan.AttrReserved: "911,9000-9999", plan.AttrLocation: pbx.LocationID(broadway)},
			Location: &pbx.Location{ID: pbx.LocationID(broadway), Company: Acme, Address: broadway}},
		{Kind: plan.KindSite, Key: "lab", Line: 3, Fields: map[string]string{plan.AttrName: "Research lab", plan.AttrExtLen: "5"}},
		{Kind: plan.KindModel, Key: "polycom-vvx250", Line: 4, Fields: map[string]string{plan.AttrVendor: "Polycom", plan.AttrDeviceKind: "deskphone",
			plan.AttrPorts: "1", plan.AttrMaxLines: "4", plan.AttrOUIs: "0004f2,64167f"}},
		{Kind: plan.KindNumber, Key: "+16505550100", Line: 5, Fields: map[string]string{plan.AttrSite: "nyc", plan.AttrLabel: "NY main",
			plan.AttrRouting: "aa:main", plan.AttrHolidayRouting: "vm:6001"}},
		{Kind: plan.KindNumber, Key: string(Pool(5)), Line: 6, Fields: map[string]string{plan.AttrLabel: "Lab line", plan.AttrHolidayRouting: "aa:main"}},
		{Kind: plan.KindHuntGroup, Key: "support", Line: 7, Fields: map[string]string{plan.AttrName: "Support", plan.AttrExtension: "6200"},
			Numbers: []pbx.E164{Pool(3), Pool(1)}, // one from the pool, one moved from sales
			Members: []pbx.UserID{ASmith, JDoe}, SetMembers: true},
		{Kind: plan.KindAutoAttendant, Key: "main", Line: 8, Fields: map[string]string{plan.AttrName: "Main menu (day)"}},
	}
}

func testObjectsWrite(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	before := ExportAll(t, h.s, Acme)
	p := plan.Objects(h.load(Acme), dayTwo(), plan.FileSeed)
	if p.Summary.Invalid+p.Summary.Conflict > 0 {
		t.Fatalf("plan has problems: %+v", p.Rows)
	}
	res := h.applyOK(p)
	st := h.load(Acme)
	nyc := st.Sites["nyc"]
	if nyc == nil || nyc.Name != "New York" || !nyc.OwnDialPlan || nyc.ExtLen != 4 || plan.FormatRanges(nyc.Reserved) != "911,9000-9999" {
		t.Errorf("site nyc = %+v", nyc)
	}
	if l := st.Locations[pbx.LocationID(broadway)]; nyc == nil || nyc.E911 != pbx.LocationID(broadway) || l == nil || l.Address != broadway {
		t.Errorf("site nyc = %+v, its E911 location %+v, want %+v", nyc, l, broadway)
	}
	if lab := st.Sites["lab"]; lab.Name != "Research lab" || lab.ExtLen != 5 || lab.Region != "GB" {
		t.Errorf("site lab = %+v, want its name and length changed, its region kept", lab)
	}
	if m := st.Models["polycom-vvx250"]; m == nil || m.MaxLines != 4 || len(m.OUIs) != 2 {
		t.Errorf("model = %+v", m)
	}
	if n := st.Numbers["+16505550100"]; n == nil || n.Site != "nyc" || n.HolidayRouting != "vm:6001" || n.Target != "" || n.Version != 1 {
		t.Errorf("new number = %+v", n)
	}
	if n := st.Numbers[Pool(5)]; n.Label != "Lab line" || n.HolidayRouting != "aa:main" || n.Routing != "aa:main" {
		t.Errorf("number %s = %+v", Pool(5), n)
	}
	if g := st.Hunts["support"]; g == nil || g.Extension != "6200" || len(g.Members) != 2 ||
		g.Members[0] != (pbx.HuntMember{User: ASmith, Position: 1}) || g.Members[1] != (pbx.HuntMember{User: JDoe, Position: 2}) {
		t.Errorf("hunt group support = %+v, want asmith then jdoe", g)
	}
	for _, e := range []pbx.E164{Pool(3), Pool(1)} {
		if n := st.Numbers[e]; n.Target != "huntgroup:support" || n.Routing != "hg:support" {
			t.Errorf("number %s = %+v, want routed to support", e, n)
		}
	}
	if n := st.Numbers[Pool(1)]; n.HolidayRouting != "aa:main" {
		t.Errorf("moved number %s lost its holiday routing: %+v", Pool(1), n)
	}
	if st.AAs["main"].Name != "Main menu (day)" || st.AAs["main"].Extension != "6001" {
		t.Errorf("auto attendant main = %+v", st.AAs["main"])
	}
	if again := plan.Objects(st, dayTwo(), plan.FileSeed); !again.Empty() {
		t.Errorf("planned again, the objects change %d things: %+v", len(again.Changes), again.Changes)
	}
	rp := h.revertPlan(st, res.RunID)
	if rp.Summary.Conflict > 0 {
		t.Fatalf("revert refuses rows: %+v", rp.Rows)
	}
	h.applyOK(rp)
	if after := ExportAll(t, h.s, Acme); after != before {
		t.Errorf("after the revert the exports differ:\n--- before\n%s\n--- after\n%s", before, after)
	}
}

func testObjectsStale(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	site := func(name string) plan.Object {
		return plan.Object{Kind: plan.KindSite, Key: "lab", Line: 2, Fields: map[string]string{plan.AttrName: name}}
	}
	first := plan.Objects(h.load(Acme), []plan.Object{site("Lab one"),
		{Kind: plan.KindModel, Key: "yealink-t42g", Line: 3, Fields: map[string]string{plan.AttrMaxLines: "7"}}}, plan.FileSites)
	h.applyOK(plan.Objects(h.load(Acme), []plan.Object{site("Lab two")}, plan.FileSites)) // another writer, in between
	res := h.apply(first)
	if len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, pbx.ErrStale) || first.Changes[res.Failed[0].Change].Kind != plan.KindSite {
		t.Fatalf("failed = %+v, want the site's change stale", res.Failed)
	}
	st := h.load(Acme)
	if got := st.Sites["lab"].Name; got != "Lab two" {
		t.Errorf("site lab = %q, want the other writer's %q kept", got, "Lab two")
	}
	if got := st.Models["yealink-t42g"].MaxLines; got != 7 {
		t.Errorf("model's max lines = %d, want 7: the other row is written", got)
	}
}

func testObjectsNotFromRoster(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	for _, o := range []plan.Object{
		{Kind: plan.KindNumber, Key: "+16505550199", Line: 2, Fields: map[string]string{plan.AttrSite: "hq"}},
		{Kind: plan.KindNumber, Key: string(Pool(3)), Line: 2, Remove: true},
		{Kind: plan.KindSite, Key: "nyc", Line: 2, Fields: map[string]string{plan.AttrName: "New York"}},
	} {
		p := plan.Objects(h.load(Acme), []plan.Object{o}, plan.FileNumbers)
		p.File = "" // as a user roster's plan
		res := h.apply(p)
		if len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, pbx.ErrInvalid) {
			t.Errorf("%s %s from a roster's plan: failed = %+v, want refused as invalid", o.Kind, o.Key, res.Failed)
		}
	}
	st := h.load(Acme)
	if st.Numbers["+16505550199"] != nil || st.Numbers[Pool(3)] == nil || st.Sites["nyc"] != nil {
		t.Errorf("a roster's plan changed the inventory or the sites")
	}
}

func testNumberRemovedForGood(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	objs := []plan.Object{
		{Kind: plan.KindNumber, Key: string(Pool(3)), Line: 2, Remove: true},
		{Kind: plan.KindNumber, Key: string(Pool(0)), Line: 3, Remove: true}, // assigned to jdoe
	}
	p := plan.Objects(h.load(Acme), objs, plan.FileNumbers)
	if p.Rows[1].Status != plan.StatusConflict || p.Rows[1].Problems[0].Code != plan.CodeNumberRemoveAssigned {
		t.Fatalf("removing an assigned number: row = %+v, want a conflict", p.Rows[1])
	}
	res := h.applyOK(p)
	st := h.load(Acme)
	if st.Numbers[Pool(3)] != nil || st.Numbers[Pool(0)] == nil {
		t.Fatalf("after the removal: %s present %v, %s present %v", Pool(3), st.Numbers[Pool(3)] != nil, Pool(0), st.Numbers[Pool(0)] != nil)
	}
	rp := h.revertPlan(st, res.RunID)
	if !rp.Empty() || len(rp.Rows) != 1 || len(rp.Rows[0].Problems) != 1 || rp.Rows[0].Problems[0].Code != plan.CodeRevertIrreversible {
		t.Errorf("revert of a removal = %d changes, rows %+v; want none, and the row saying it cannot be undone", len(rp.Changes), rp.Rows)
	}
}

// revertPlan plans the revert of run id against st.
func (h *harness) revertPlan(st *pbx.State, id int64) *plan.Plan {
	h.t.Helper()
	rec, err := h.s.Run(h.ctx, id)
	if err != nil {
		h.t.Fatal(err)
	}
	rp, err := plan.Revert(st, rec)
	if err != nil {
		h.t.Fatal(err)
	}
	return rp
}
