package importer_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/storetest"
)

// The day-two files against the pool company on both stores: a sites file
// adds a site, a numbers file adds 50 numbers by area code and quantity
// (each one shown in the plan); the 20 users of poolRoster onboard from
// the pool (and the lobby's phone); a hunt group file creates a group
// routing one of the new numbers, with two of the new users as members. A
// second apply of every file changes nothing, the export of every kind fed
// back plans as no change, and the revert of each run, newest first,
// restores every export taken before it.
func TestDayTwoFiles(t *testing.T) {
	storetest.OnEach(t, testDayTwoFiles)
}

func testDayTwoFiles(t *testing.T, s importer.Store) {
	ctx := context.Background()
	must(t, s.Migrate(ctx))
	must(t, s.Seed(ctx, poolSeed()))
	files := []struct {
		name, text string
		src        importer.Source
	}{
		{name: "sites.csv", text: "Site Code,Site Name,Region,Extension Length,Own Dial Plan,Reserved Extensions\n" +
			"hq,HQ,US,4,no,9000-9999\npa,Palo Alto,US,4,yes,\"911, 9000-9999\"\n"},
		{name: "numbers.csv", text: "Number,Area Code,Quantity,Site,Label,Routing\n,628,50,pa,Palo Alto pool,hg:sales\n"},
		{name: "pool.csv", text: poolRoster(), src: importer.Source{Allocate: pbx.Allocate{Numbers: true, Extensions: true}}},
		{name: "hunt-groups.csv", text: "Hunt Group ID,Name,Extension,Numbers,Members\n" +
			"support,Support,1100,+1 628 555 0100,u01@acme.example; u00@acme.example\n"},
	}
	var runs []int64
	var before []string
	for i := range files {
		f := &files[i]
		f.src.Path = writeFile(t, f.name, f.text)
		before = append(before, storetest.ExportAll(t, s, "acme"))
		p, c, err := importer.Plan(ctx, s, f.src, importer.Options{Full: true})
		must(t, err)
		if !c.Valid() || p.Summary.Conflict > 0 {
			t.Fatalf("%s: problems %v, rows %+v", f.name, c.Problems, p.Rows)
		}
		if f.name == "numbers.csv" {
			if p.Summary.Create != 50 || p.File != plan.FileNumbers || !c.KindDetected {
				t.Errorf("numbers.csv: %+v, file kind %q (told by the header: %v), want 50 numbers created", p.Summary, p.File, c.KindDetected)
			}
			for j, ch := range p.Changes {
				want := fmt.Sprintf("+16285550%03d", 100+j)
				if ch.Action != plan.Create || ch.Key != want || !strings.Contains(ch.Reason, "area code 628") {
					t.Errorf("change %d = %s %s (%s), want %s added from area code 628", j, ch.Action, ch.Key, ch.Reason, want)
				}
			}
		}
		res, err := importer.Apply(ctx, s, p, apply.Options{})
		must(t, err)
		if len(res.Failed) > 0 || res.Applied != len(p.Changes) {
			t.Fatalf("%s: applied %d of %d, failed %+v", f.name, res.Applied, len(p.Changes), res.Failed)
		}
		runs = append(runs, res.RunID)
	}
	st, err := s.Load(ctx, "acme")
	must(t, err)
	if n := st.Numbers["+16285550100"]; n == nil || n.Target != "huntgroup:support" || n.Routing != "hg:support" || n.SavedRouting != "hg:sales" {
		t.Errorf("the number routed to support: %+v", n)
	}
	if g := st.Hunts["support"]; g == nil || len(g.Members) != 2 || g.Members[0] != (pbx.HuntMember{User: "u01@acme.example", Position: 1}) ||
		g.Members[1] != (pbx.HuntMember{User: "u00@acme.example", Position: 2}) {
		t.Errorf("hunt group support: %+v, want u01 then u00", g)
	}
	if st.Sites["pa"] == nil || !st.Sites["pa"].OwnDialPlan {
		t.Errorf("site pa: %+v", st.Sites["pa"])
	}
	for _, f := range files {
		p, _, err := importer.Plan(ctx, s, f.src, importer.Options{Full: true})
		must(t, err)
		if !p.Empty() {
			t.Errorf("%s applied again plans %d changes: %+v", f.name, len(p.Changes), p.Changes)
		}
	}
	roundTrip(t, s, st)
	for i := len(runs) - 1; i >= 0; i-- {
		storetest.RevertRun(t, s, runs[i])
		if got := storetest.ExportAll(t, s, "acme"); got != before[i] {
			t.Errorf("after the revert of run %d (%s) the exports differ from before it:\n--- before\n%s\n--- after\n%s", runs[i], files[i].name, before[i], got)
		}
	}
}

// roundTrip exports every kind of st and plans each export: no change.
func roundTrip(t *testing.T, s importer.Store, st *pbx.State) {
	t.Helper()
	for _, k := range []struct {
		kind  plan.FileKind
		write func(*bytes.Buffer, *pbx.State) error
	}{
		{plan.FileNumbers, func(b *bytes.Buffer, st *pbx.State) error { return report.WriteNumbers(b, st) }},
		{plan.FileSites, func(b *bytes.Buffer, st *pbx.State) error { return report.WriteSites(b, st) }},
		{plan.FileModels, func(b *bytes.Buffer, st *pbx.State) error { return report.WriteModels(b, st) }},
		{plan.FileHuntGroups, func(b *bytes.Buffer, st *pbx.State) error { return report.WriteHuntGroups(b, st) }},
		{plan.FileAutoAttendants, func(b *bytes.Buffer, st *pbx.State) error { return report.WriteAutoAttendants(b, st) }},
		{plan.FileUsers, func(b *bytes.Buffer, st *pbx.State) error { return report.WriteRoster(b, st) }},
	} {
		var b bytes.Buffer
		must(t, k.write(&b, st))
		src := importer.Source{Path: writeFile(t, "export-"+string(k.kind)+".csv", b.String())}
		p, c, err := importer.Plan(context.Background(), s, src, importer.Options{Full: true})
		must(t, err)
		if want := k.kind; c.Kind != want {
			t.Errorf("the export of %s is read as a file of %s", want, c.Kind)
		}
		if !p.Empty() || len(c.Invalid) > 0 || p.Summary.Conflict > 0 {
			t.Errorf("the export of %s fed back: %d changes, %d invalid rows, %d in conflict: %+v", k.kind, len(p.Changes), len(c.Invalid), p.Summary.Conflict, p.Changes)
		}
	}
}

// A numbers workbook as a portal's export opens in Excel: a title row above
// the header, numbers stored as numbers (no plus, no leading zeros to
// lose), a site code in capitals; read, told by its header, planned.
func TestDayTwoNumbersWorkbook(t *testing.T) {
	s := storetest.OpenSQLite(t)
	ctx := context.Background()
	must(t, s.Migrate(ctx))
	must(t, s.Seed(ctx, poolSeed()))
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	must(t, f.SetSheetRow(sh, "A1", &[]any{"Phone numbers - Acme - exported 2026-12-07"}))
	must(t, f.SetSheetRow(sh, "A3", &[]any{"Phone Number", "Site", "Label", "Holiday Routing"}))
	must(t, f.SetSheetRow(sh, "A4", &[]any{16505550101, "HQ", "Front desk", "hg:sales"}))
	must(t, f.SetSheetRow(sh, "A5", &[]any{14155559999, "hq", "New line", ""}))
	path := filepath.Join(t.TempDir(), "numbers.xlsx")
	must(t, f.SaveAs(path))
	p, c, err := importer.Plan(ctx, s, importer.Source{Path: path}, importer.Options{Full: true})
	must(t, err)
	if c.Kind != plan.FileNumbers || !c.Valid() || len(p.Changes) != 2 {
		t.Fatalf("kind %s, problems %v, changes %+v", c.Kind, c.Problems, p.Changes)
	}
	if ch := p.Changes[0]; ch.Action != plan.Update || ch.Key != "+16505550101" || ch.Rows[0] != 4 {
		t.Errorf("row 4: %+v, want the label and holiday routing of +16505550101 changed", ch)
	}
	if ch := p.Changes[1]; ch.Action != plan.Create || ch.Key != "+14155559999" {
		t.Errorf("row 5: %+v, want +14155559999 added", ch)
	}
}
