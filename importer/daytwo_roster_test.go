package importer_test

import (
	"context"
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

// Day two of a phone system (issue 16, "Done when"), the roster's part: a
// company seeded small grows by files (a sites file adds a site, a numbers
// file 50 numbers by area code and quantity, a hunt group file a group with
// two members: i16f's files), then its users come from a roster that
// takes their numbers and extensions from the pool, joins some to the
// group, routes a number to it, gives the receptionist the main line as a
// second line and sets up the lobby's phone. Applying every file again
// changes nothing; reverting each run, newest first, restores the exports
// taken before it. (TestDayTwoFiles, beside it, holds the files' own part.)

// dayOneSeed is the company as first seeded: site hq, the catalogue, an
// auto attendant, the hunt group sales (no members), two users and three
// numbers of area code 415 (one the auto attendant's).
func dayOneSeed() *pbx.Seed {
	return &pbx.Seed{
		Company: pbx.Company{ID: "acme", Name: "Acme", Plan: "C2"},
		Sites:   []pbx.Site{{Company: "acme", Code: "hq", Name: "HQ", Region: "US", ExtLen: 4, Reserved: []pbx.ExtRange{{From: "9000", To: "9999"}}}},
		Models:  storetest.Models(),
		AAs:     []pbx.AutoAttendant{{ID: "main", Company: "acme", Name: "Main menu", Extension: "1001"}},
		Hunts:   []pbx.HuntGroup{{ID: "sales", Company: "acme", Name: "Sales", Extension: "1002"}},
		Users: []pbx.User{
			{ID: "kim@acme.example", Company: "acme", Site: "hq", FirstName: "Kim", LastName: "Lee", Extension: "0200", VoiceEnabled: true, Status: pbx.StatusActive},
			{ID: "max@acme.example", Company: "acme", Site: "hq", FirstName: "Max", LastName: "Ray", Extension: "0201", VoiceEnabled: true, Status: pbx.StatusActive},
		},
		Numbers: []pbx.Number{
			{E164: "+14155550100", Company: "acme", Site: "hq", Target: "autoattendant:main", Routing: "aa:main", HolidayRouting: "vm:1001"},
			{E164: "+14155550101", Company: "acme", Site: "hq", Routing: "aa:main"},
			{E164: "+14155550102", Company: "acme", Site: "hq", Routing: "aa:main"},
		},
	}
}

// dayTwoFiles are the additions, as files: a site sf (4-digit extensions,
// 1000-1099 reserved), 50 numbers of area code 650 there, and the group
// support ringing kim, then max.
var dayTwoFiles = []struct{ name, text string }{
	{"sites.csv", "Site Code,Site Name,Region,Extension Length,Own Dial Plan,Reserved Extensions\n" +
		"hq,HQ,US,4,no,9000-9999\nsf,San Francisco,US,4,no,1000-1099\n"},
	{"numbers.csv", "Number,Area Code,Quantity,Site,Label,Routing\n,650,50,sf,SF pool,aa:main\n"},
	{"hunt-groups.csv", "Hunt Group ID,Name,Extension,Members\nsupport,Support,1000,kim@acme.example; max@acme.example\n"},
}

// dayTwoRoster is 20 new users at hq, each with a number of area code 650
// (the new site's: a reverted user is deprovisioned, never deleted, and a
// site with users cannot be taken back)
// and an extension from the pool, the first three joining the sales group
// (the hunt group file manages support's members), the fourth with a phone whose second line is
// the main number (the auto attendant's); the number +16505550149 routed
// to the support group; and the lobby's phone on +16505550148, with no user.
func dayTwoRoster() string {
	var b strings.Builder
	b.WriteString("User ID,First Name,Last Name,Site,Number,Extension,Hunt Groups,Target,E911 Street,E911 City,E911 State,E911 Postal,E911 Country,MAC,Model,Second Line\n")
	for i := range 20 {
		groups, phone := "", ",,"
		if i < 3 {
			groups = "Sales"
		}
		if i == 3 { // the receptionist: the main line as a second line on her phone
			phone = "805ec0dd0003,Yealink T42G,+1 415 555 0100"
		}
		fmt.Fprintf(&b, "d%02d@acme.example,D%02d,Day,hq,auto:650,auto,%s,,1 Market St,San Francisco,CA,94105,US,%s\n", i, i, groups, phone)
	}
	b.WriteString(",,,sf,+1 650 555 0149,,,huntgroup:support,,,,,,,,\n")
	b.WriteString(",,,sf,+1 650 555 0148,,,,1 Market St,San Francisco,CA,94105,US,805ec0dd0001,Yealink T42G,\n")
	return b.String()
}

func TestDayTwo(t *testing.T) {
	storetest.OnEach(t, testDayTwo)
}

func testDayTwo(t *testing.T, s importer.Store) {
	ctx := context.Background()
	must(t, s.Seed(ctx, dayOneSeed()))
	var runs []int64
	var before []string // the exports before each run
	var srcs []importer.Source
	for _, f := range dayTwoFiles {
		src := importer.Source{Path: writeFile(t, f.name, f.text)}
		before = append(before, storetest.ExportAll(t, s, "acme"))
		p, c, err := importer.Plan(ctx, s, src, importer.Options{Full: true})
		must(t, err)
		if !c.Valid() || p.Summary.Conflict > 0 {
			t.Fatalf("%s: problems %v, rows %+v", f.name, c.Problems, p.Rows)
		}
		if f.name == "numbers.csv" {
			if len(p.Changes) != 50 {
				t.Errorf("numbers.csv plans %d changes, want the 50 numbers added", len(p.Changes))
			}
			for j, ch := range p.Changes {
				if want := fmt.Sprintf("+16505550%03d", 100+j); ch.Key != want || ch.Action != plan.Create || !strings.Contains(ch.Reason, "area code 650") {
					t.Errorf("numbers.csv change %d: %s %s (%s), want %s added from area code 650", j, ch.Action, ch.Key, ch.Reason, want)
				}
			}
		}
		res, err := importer.Apply(ctx, s, p, apply.Options{})
		must(t, err)
		if len(res.Failed) > 0 {
			t.Fatalf("%s: failed %+v", f.name, res.Failed)
		}
		runs, srcs = append(runs, res.RunID), append(srcs, src)
	}
	st, err := s.Load(ctx, "acme")
	must(t, err)
	if n := len(st.Numbers); n != 53 || st.Sites["sf"] == nil || st.Hunts["support"] == nil || !slices.Equal(st.Hunts["support"].Members,
		[]pbx.HuntMember{{User: "kim@acme.example", Position: 1}, {User: "max@acme.example", Position: 2}}) {
		t.Fatalf("after the files: %d numbers, site sf %+v, support %+v", n, st.Sites["sf"], st.Hunts["support"])
	}
	before = append(before, storetest.ExportAll(t, s, "acme"))
	mustHold := dayTwoExport(t, s) // what the roster's revert must give back besides the exports

	src := importer.Source{Path: writeFile(t, "day-two.csv", dayTwoRoster())}
	opts := importer.Options{Full: true}
	p, c, err := importer.Plan(ctx, s, src, opts)
	must(t, err)
	if !c.Valid() {
		t.Fatalf("problems: %v", c.Problems)
	}
	nums, exts := map[string]string{}, map[string]string{}
	var joined []string
	for _, ch := range p.Changes {
		switch {
		case ch.Kind == plan.KindNumber && ch.Action == plan.Assign && strings.HasPrefix(ch.Reason, "allocate "):
			if !strings.HasPrefix(ch.Reason, "allocate "+ch.Key+" from the pool (area code 650)") {
				t.Errorf("number %s: the pick's reason %q", ch.Key, ch.Reason)
			}
			target, _ := ch.After(plan.AttrTarget)
			nums[string(pbx.Target(target).User())] = ch.Key
		case ch.Kind == plan.KindUser && ch.Action == plan.Create:
			ext, _ := ch.After(plan.AttrExtension)
			if !strings.Contains(ch.Reason, "allocate extension "+ext+" (") {
				t.Errorf("user %s: the pick's reason %q", ch.Key, ch.Reason)
			}
			exts[ch.Key] = ext
		case ch.Kind == plan.KindHuntMember && ch.Action == plan.Create:
			pos, _ := ch.After(plan.AttrPosition)
			joined = append(joined, ch.Key+"@"+pos)
		}
	}
	if len(nums) != 20 || len(exts) != 20 {
		t.Fatalf("picks: %d numbers %v, %d extensions %v; want 20 of each", len(nums), nums, len(exts), exts)
	}
	for u, e := range nums {
		if e == "+16505550148" || e == "+16505550149" {
			t.Errorf("%s was given %s, which the roster routes to the group or rings on the lobby's phone", u, e)
		}
	}
	if want := []string{"sales/d00@acme.example@1", "sales/d01@acme.example@2", "sales/d02@acme.example@3"}; !slices.Equal(joined, want) {
		t.Errorf("joined the sales group: %v, want %v", joined, want)
	}
	if r := rowOf(t, p, 22); r.Key != "+16505550149" || r.Status != plan.StatusUpdated {
		t.Errorf("the routed number's row: %+v", r)
	}

	res, err := importer.Apply(ctx, s, p, apply.Options{})
	must(t, err)
	if len(res.Failed) > 0 {
		t.Fatalf("failed: %+v", res.Failed)
	}
	runs, srcs = append(runs, res.RunID), append(srcs, src)
	st, err = s.Load(ctx, "acme")
	must(t, err)
	for u, e := range nums {
		if n := st.Numbers[pbx.E164(e)]; n == nil || n.Target != pbx.UserTarget(pbx.UserID(u)) || n.Location == "" {
			t.Errorf("%s is not %s's with an E911 location: %+v", e, u, n)
		}
		if x := st.Users[pbx.UserID(u)]; x == nil || x.Extension != pbx.Extension(exts[u]) || x.Site != "hq" {
			t.Errorf("user %s: %+v, want extension %s at hq", u, x, exts[u])
		}
	}
	if n := st.Numbers["+16505550149"]; n.Target != "huntgroup:support" || n.Routing != "hg:support" || n.SavedRouting != "aa:main" {
		t.Errorf("the routed number: %+v", n)
	}
	if l := st.Lines[pbx.LineKey("805ec0dd0001", 1)]; l == nil || l.User != "" || l.Number != "+16505550148" {
		t.Errorf("the lobby's line: %+v", l)
	}
	if l := st.Lines[pbx.LineKey("805ec0dd0003", 1)]; l == nil || l.User != "d03@acme.example" || l.Lines != 2 || l.Number != pbx.E164(nums["d03@acme.example"]) ||
		!slices.Contains(st.Members, pbx.Member{Number: "+14155550100", User: "d03@acme.example", Role: pbx.RoleAssigned}) {
		t.Errorf("the receptionist's phone: line %+v, members %+v; want two appearances, her number, and her an assigned member of the main line", l, st.Members)
	}
	if g := st.Hunts["sales"]; len(g.Members) != 3 || g.Members[2] != (pbx.HuntMember{User: "d02@acme.example", Position: 3}) {
		t.Errorf("sales rings %+v", g.Members)
	}

	// Every file again: nothing to do.
	for _, src := range srcs {
		again, c, err := importer.Plan(ctx, s, src, importer.Options{Full: true})
		must(t, err)
		if !c.Valid() || len(again.Changes) != 0 {
			t.Errorf("%s applied again plans %d changes: %+v (problems %v)", src.Path, len(again.Changes), again.Changes, c.Problems)
		}
	}

	// Each run reverted, newest first, gives back the exports before it.
	for i := len(runs) - 1; i >= 0; i-- {
		storetest.RevertRun(t, s, runs[i])
		if got := storetest.ExportAll(t, s, "acme"); got != before[i] {
			t.Errorf("after the revert of run %d the exports differ from before it:\n--- before\n%s\n--- after\n%s", runs[i], before[i], got)
		}
		if i == len(runs)-1 {
			if got := dayTwoExport(t, s); got != mustHold {
				t.Errorf("the revert of the roster does not give back the group's members and the number members:\n%s\nwant\n%s", got, mustHold)
			}
		}
	}
}

// dayTwoExport is what the exports do not say of acme: each hunt group's
// members with their positions, and the number members.
func dayTwoExport(t *testing.T, s importer.Store) string {
	t.Helper()
	st, err := s.Load(context.Background(), "acme")
	must(t, err)
	var b strings.Builder
	for _, id := range []string{"sales", "support"} {
		fmt.Fprintf(&b, "hunt group %s: %+v\n", id, st.Hunts[id].Members)
	}
	fmt.Fprintf(&b, "number members: %+v\n", st.Members)
	return b.String()
}
