package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/storetest"
)

// poolSeed is a company whose site hq (4-digit extensions, 9000-9999
// reserved) has 25 free numbers of area code 650 and 6 of 415, a hunt group
// on extension 1000, one user, kim, on 0101 (the last digits of the first
// 650 number), and the E911 location of 100 Market St.
func poolSeed() *pbx.Seed {
	market := pbx.Address{Street: "100 Market St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}
	sd := &pbx.Seed{
		Company: pbx.Company{ID: "acme", Name: "Acme", Plan: "C2"},
		Sites: []pbx.Site{{Company: "acme", Code: "hq", Name: "HQ", Region: "US", ExtLen: 4,
			Reserved: []pbx.ExtRange{{From: "9000", To: "9999"}}}},
		Hunts:     []pbx.HuntGroup{{ID: "sales", Company: "acme", Name: "Sales", Extension: "1000"}},
		Models:    storetest.Models(),
		Locations: []pbx.Location{{ID: pbx.LocationID(market), Company: "acme", Address: market}},
		Users: []pbx.User{{ID: "kim@acme.example", Company: "acme", Site: "hq", FirstName: "Kim", LastName: "Lee",
			Extension: "0101", StationType: "standard", VoiceEnabled: true, Status: pbx.StatusActive}},
	}
	for i := range 25 {
		sd.Numbers = append(sd.Numbers, pbx.Number{E164: pbx.E164(fmt.Sprintf("+165055501%02d", i+1)), Company: "acme", Site: "hq", Routing: "hg:sales"})
	}
	for i := range 6 {
		sd.Numbers = append(sd.Numbers, pbx.Number{E164: pbx.E164(fmt.Sprintf("+141555502%02d", i+1)), Company: "acme", Site: "hq", Routing: "hg:sales"})
	}
	return sd
}

// poolRoster is 20 new users: ten ask for a number of area code 650 and an
// extension, five for a number of their site (their extension follows),
// five leave both cells blank for --allocate; and the lobby's phone, with
// the last 650 number of the pool and no user.
func poolRoster() string {
	var b strings.Builder
	b.WriteString("User ID,First Name,Last Name,Site,Number,Extension,E911 Street,E911 City,E911 State,E911 Postal,E911 Country,MAC,Model\n")
	for i := range 20 {
		num, ext := "auto:650", "auto"
		switch {
		case i >= 15:
			num, ext = "", ""
		case i >= 10:
			num, ext = "auto", ""
		}
		fmt.Fprintf(&b, "u%02d@acme.example,U%02d,Pool,hq,%s,%s,100 Market St,San Francisco,CA,94105,US,,\n", i, i, num, ext)
	}
	// the lobby's phone: a number of the pool, a MAC, no user
	b.WriteString(",,,hq,+1 650 555 0125,,100 Market St,San Francisco,CA,94105,US,805ec0aa0001,Yealink T42G\n")
	return b.String()
}

func TestPoolOnboard(t *testing.T) {
	storetest.OnEach(t, testPoolOnboard)
}

func testPoolOnboard(t *testing.T, s importer.Store) {
	ctx := context.Background()
	must(t, s.Migrate(ctx))
	must(t, s.Seed(ctx, poolSeed()))
	before := storetest.ExportText(t, s, "acme")
	src := importer.Source{Path: writeFile(t, "pool.csv", poolRoster()), Allocate: pbx.Allocate{Numbers: true, Extensions: true}}
	opts := importer.Options{Full: true}

	p, c, err := importer.Plan(ctx, s, src, opts)
	must(t, err)
	if !c.Valid() {
		t.Fatalf("problems: %v", c.Problems)
	}
	// picks returns the numbers and extensions picked, in roster order.
	picks := func(p *plan.Plan) (nums, exts []string) {
		numOf, extOf := map[string]string{}, map[string]string{}
		for _, ch := range p.Changes {
			switch {
			case ch.Kind == plan.KindNumber && ch.Action == plan.Assign:
				if !strings.HasPrefix(ch.Reason, "allocate "+ch.Key+" from the pool (") {
					t.Errorf("number %s: the reason does not say it is picked from the pool: %q", ch.Key, ch.Reason)
				}
				target, _ := ch.After(plan.AttrTarget)
				numOf[string(pbx.Target(target).User())] = ch.Key
			case ch.Kind == plan.KindUser && ch.Action == plan.Create:
				ext, _ := ch.After(plan.AttrExtension)
				if !strings.Contains(ch.Reason, "allocate extension "+ext+" (") {
					t.Errorf("user %s: the reason does not say extension %s is picked: %q", ch.Key, ext, ch.Reason)
				}
				extOf[ch.Key] = ext
			}
		}
		for i := range 20 {
			id := fmt.Sprintf("u%02d@acme.example", i)
			nums, exts = append(nums, numOf[id]), append(exts, extOf[id])
		}
		return nums, exts
	}
	nums, exts := picks(p)
	for _, l := range [][]string{nums, exts} {
		if u := slices.Compact(slices.Sorted(slices.Values(l))); len(u) != 20 || u[0] == "" {
			t.Errorf("picks missing or colliding: %v", l)
		}
	}
	for _, e := range exts {
		if e == "0101" || e == "1000" || e >= "9000" {
			t.Errorf("extension %s is held or reserved: %v", e, exts)
		}
	}
	for i, e := range nums[:10] {
		if !strings.HasPrefix(e, "+1650") {
			t.Errorf("row %d asked for area code 650 and got %s", i+2, e)
		}
	}
	if want := "+14155550201"; nums[10] != want { // the site's lowest free number
		t.Errorf("row 12 asked for a number of its site and got %s, want %s", nums[10], want)
	}
	again, _, err := importer.Plan(ctx, s, src, opts)
	must(t, err)
	if n2, e2 := picks(again); !slices.Equal(n2, nums) || !slices.Equal(e2, exts) {
		t.Errorf("the same roster picked otherwise:\n%v %v\n%v %v", nums, exts, n2, e2)
	}

	res, err := importer.Apply(ctx, s, p, apply.Options{})
	must(t, err)
	if len(res.Failed) > 0 {
		t.Fatalf("failed: %+v", res.Failed)
	}
	st, err := s.Load(ctx, "acme")
	must(t, err)
	for i, e := range nums {
		id := pbx.UserID(fmt.Sprintf("u%02d@acme.example", i))
		if n := st.Numbers[pbx.E164(e)]; n == nil || n.Target != pbx.UserTarget(id) || n.Location == "" {
			t.Errorf("%s is not %s's with an E911 location: %+v", e, id, n)
		}
	}

	lobby := pbx.MAC("805ec0aa0001")
	if l := st.Lines[pbx.LineKey(lobby, 1)]; st.Devices[lobby] == nil || l == nil || l.User != "" || l.Number != "+16505550125" {
		t.Errorf("the lobby's phone is %+v, its line %+v", st.Devices[lobby], l)
	}
	if n := st.Numbers["+16505550125"]; n == nil || n.Target != "" || n.Location == "" {
		t.Errorf("the lobby's number is %+v, want it in the pool with an E911 location", n)
	}
	if r := rowOf(t, p, 22); r.Status != plan.StatusCreated || r.Key != string(lobby) {
		t.Errorf("the lobby's row is %+v", r)
	}

	rerun, c2, err := importer.Plan(ctx, s, src, opts)
	must(t, err)
	if !c2.Valid() || len(rerun.Changes) != 0 {
		t.Fatalf("a re-run of the applied roster plans %d changes: %+v (problems %v)", len(rerun.Changes), rerun.Changes, c2.Problems)
	}

	storetest.RevertRun(t, s, res.RunID)
	if after := storetest.ExportText(t, s, "acme"); after != before {
		t.Errorf("the revert does not restore the state before:\n%s\nwant\n%s", after, before)
	}
	st, err = s.Load(ctx, "acme")
	must(t, err)
	// Not in the export (no user): as for any device a run registered, the
	// revert frees its port and keeps the phone in the inventory.
	if st.Devices[lobby] == nil || st.Lines[pbx.LineKey(lobby, 1)] != nil {
		t.Errorf("after the revert the lobby's phone is %+v, its line %+v; want the phone kept, its line gone", st.Devices[lobby], st.Lines[pbx.LineKey(lobby, 1)])
	}
}

// A saved plan pins its picks: when the number it picked is taken by
// another run before it is applied, it is refused as stale, naming the
// number and the row, and writes nothing; planned again, the roster picks
// the next free number.
func TestSavedPlanPinsItsPicks(t *testing.T) {
	ctx := context.Background()
	s := storetest.OpenSQLite(t)
	must(t, s.Migrate(ctx))
	must(t, s.Seed(ctx, poolSeed()))
	src := importer.Source{Path: writeFile(t, "ada.csv", "User ID,First Name,Last Name,Number,Extension,E911 Street,E911 City,E911 State,E911 Postal,E911 Country\n"+
		"ada@acme.example,Ada,Lovelace,auto:650,auto,100 Market St,San Francisco,CA,94105,US\n")}
	p, c, err := importer.Plan(ctx, s, src, importer.Options{Full: true})
	must(t, err)
	if !c.Valid() || c.Rows[0].Alloc.PickedNumber != "+16505550101" {
		t.Fatalf("the plan to save: problems %v, rows %+v", c.Problems, c.Rows)
	}
	saved, err := json.Marshal(p)
	must(t, err)
	p = &plan.Plan{}
	must(t, json.Unmarshal(saved, p))

	applyRoster(t, s, "User ID,First Name,Last Name,Number,Extension,E911 Street,E911 City,E911 State,E911 Postal,E911 Country\n"+
		"bob@acme.example,Bob,Other,+1 650 555 0101,2000,100 Market St,San Francisco,CA,94105,US\n")
	res, err := importer.Apply(ctx, s, p, apply.Options{Atomic: true})
	must(t, err)
	if !res.Rollback || len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, pbx.ErrStale) ||
		!strings.Contains(res.Failed[0].Reason, "+16505550101") {
		t.Fatalf("the saved plan whose pick was taken: %+v", res)
	}
	st, err := s.Load(ctx, "acme")
	must(t, err)
	if st.Users["ada@acme.example"] != nil || st.Numbers["+16505550101"].Target != pbx.UserTarget("bob@acme.example") {
		t.Errorf("the stale plan wrote: ada %+v, the number %+v", st.Users["ada@acme.example"], st.Numbers["+16505550101"])
	}
	again, c, err := importer.Plan(ctx, s, src, importer.Options{Full: true})
	must(t, err)
	if !c.Valid() || c.Rows[0].Alloc.PickedNumber != "+16505550102" || again.Empty() {
		t.Errorf("planned again: problems %v, picked %+v", c.Problems, c.Rows[0].Alloc)
	}
}
