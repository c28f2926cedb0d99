package validate

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// objState is testState with a user on 4021, a hunt group sales on 6000,
// an auto attendant main on 6001, and numbers: +14155550100 in the pool,
// +14155550101 routed to sales, +14155550102 another company's.
func objState() *pbx.State {
	st := testState()
	st.Users["jdoe@acme.example"] = &pbx.User{ID: "jdoe@acme.example", Company: "acme", Extension: "4021", Status: pbx.StatusActive}
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000"}
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Name: "Main", Extension: "6001"}
	st.Numbers["+14155550100"] = &pbx.Number{E164: "+14155550100", Company: "acme", Site: "lon", Version: 1}
	st.Numbers["+14155550101"] = &pbx.Number{E164: "+14155550101", Company: "acme", Target: "huntgroup:sales", Routing: "hg:sales", Version: 1}
	st.Numbers["+14155550102"] = &pbx.Number{E164: "+14155550102", Company: "globex", Version: 1}
	return st
}

// objRows makes rows of a day-two file from a header and lines of cells,
// the first row numbered 2; the column of a field is its place in header.
func objRows(fk plan.FileKind, header []string, lines ...[]string) []ObjectRow {
	prof, _ := mapping.KindProfileOf(string(fk))
	bind, _ := prof.Bind("f.csv", "", 1, header)
	var rows []ObjectRow
	for i, cells := range lines {
		r := ObjectRow{Line: i + 2, Fields: map[string]string{}}
		for f := range bind.Cols {
			r.Fields[f], _ = bind.Get(cells, f)
		}
		line := r.Line
		r.Cell = func(f string) pbx.Cell { return bind.Cell("f.csv", "", line, f) }
		rows = append(rows, r)
	}
	return rows
}

func TestObjectRowProblems(t *testing.T) {
	num := []string{"Number", "Site", "Label", "Routing", "Holiday Routing", "Action", "Area Code", "Quantity"}
	site := []string{"Site Code", "Name", "Region", "Extension Length", "Own Dial Plan", "Reserved"}
	siteE911 := []string{"Site Code", "Region", "E911 Street", "E911 City", "E911 State", "E911 Postal"}
	model := []string{"Model", "Vendor", "Kind", "Ports", "Max Lines", "OUIs"}
	hg := []string{"Hunt Group ID", "Name", "Extension", "Numbers"}
	aa := []string{"Auto Attendant ID", "Name", "Extension", "Numbers"}
	for _, c := range []struct {
		name     string
		fk       plan.FileKind
		header   []string
		cells    []string
		code     string
		sentinel error
		col      string // the header of the cell named
		value    string
	}{
		{"number not a number", plan.FileNumbers, num, []string{"call me", "", "", "", "", "", "", ""}, CodeNumberInvalid, pbx.ErrNumber, "Number", "call me"},
		{"number scientific", plan.FileNumbers, num, []string{"1.41555E+10", "", "", "", "", "", "", ""}, CodeNumberScientific, pbx.ErrNumber, "Number", "1.41555E+10"},
		{"range backwards", plan.FileNumbers, num, []string{"+14155550150-+14155550140", "", "", "", "", "", "", ""}, CodeObjectRange, pbx.ErrNumber, "Number", "+14155550150-+14155550140"},
		{"range too large", plan.FileNumbers, num, []string{"+14155500000-+14155599999", "", "", "", "", "", "", ""}, CodeObjectRange, pbx.ErrNumber, "Number", "+14155500000-+14155599999"},
		{"site unknown", plan.FileNumbers, num, []string{"+14155550150", "nyc", "", "", "", "", "", ""}, CodeObjectUnknownSite, pbx.ErrNotFound, "Site", "nyc"},
		{"routing no kind", plan.FileNumbers, num, []string{"+14155550150", "", "", "4021", "", "", "", ""}, CodeObjectRouting, pbx.ErrInvalid, "Routing", "4021"},
		{"routing unknown group", plan.FileNumbers, num, []string{"+14155550150", "", "", "hg:support", "", "", "", ""}, CodeObjectRouting, pbx.ErrInvalid, "Routing", "hg:support"},
		{"holiday routing unknown attendant", plan.FileNumbers, num, []string{"+14155550150", "", "", "", "aa:night", "", "", ""}, CodeObjectRouting, pbx.ErrInvalid, "Holiday Routing", "aa:night"},
		{"action unknown", plan.FileNumbers, num, []string{"+14155550150", "", "", "", "", "archive", "", ""}, CodeObjectAction, pbx.ErrInvalid, "Action", "archive"},
		{"number and area code", plan.FileNumbers, num, []string{"+14155550150", "", "", "", "", "", "650", "5"}, CodeObjectBoth, pbx.ErrInvalid, "Area Code", "650"},
		{"area code not NANP", plan.FileNumbers, num, []string{"", "", "", "", "", "", "065", "5"}, CodeObjectAreaCode, pbx.ErrInvalid, "Area Code", "065"},
		{"quantity zero", plan.FileNumbers, num, []string{"", "", "", "", "", "", "650", "0"}, CodeObjectQuantity, pbx.ErrInvalid, "Quantity", "0"},
		{"quantity with number", plan.FileNumbers, num, []string{"+14155550150", "", "", "", "", "", "", "5"}, CodeObjectQuantity, pbx.ErrInvalid, "Quantity", "5"},
		{"remove by area code", plan.FileNumbers, num, []string{"", "", "", "", "", "remove", "650", "5"}, CodeObjectBoth, pbx.ErrInvalid, "Area Code", "650"},
		{"number missing", plan.FileNumbers, num, []string{"", "", "Lobby", "", "", "", "", ""}, CodeObjectKeyMissing, pbx.ErrInvalid, "Number", ""},
		{"site code with a space", plan.FileSites, site, []string{"new york", "", "", "", "", ""}, CodeObjectKeyInvalid, pbx.ErrInvalid, "Site Code", "new york"},
		{"region unknown", plan.FileSites, site, []string{"nyc", "", "Narnia", "", "", ""}, CodeObjectValue, pbx.ErrInvalid, "Region", "Narnia"},
		{"extension length 9", plan.FileSites, site, []string{"nyc", "", "", "9", "", ""}, CodeObjectValue, pbx.ErrInvalid, "Extension Length", "9"},
		{"dial plan maybe", plan.FileSites, site, []string{"nyc", "", "", "", "maybe", ""}, CodeObjectValue, pbx.ErrInvalid, "Own Dial Plan", "maybe"},
		{"reserved uneven range", plan.FileSites, site, []string{"nyc", "", "", "", "", "900-9999"}, CodeObjectValue, pbx.ErrInvalid, "Reserved", "900-9999"},
		{"site address without city", plan.FileSites, siteE911, []string{"nyc", "US", "1 Broadway", "", "NY", "10004"}, CodeE911Incomplete, pbx.ErrInvalid, "E911 City", ""},
		{"site address postal", plan.FileSites, siteE911, []string{"nyc", "US", "1 Broadway", "New York", "NY", "1000"}, CodeE911Postal, pbx.ErrInvalid, "E911 Postal", "1000"},
		{"site address state", plan.FileSites, siteE911, []string{"nyc", "US", "1 Broadway", "New York", "Gotham", "10004"}, CodeE911Region, pbx.ErrInvalid, "E911 State", "Gotham"},
		{"model kind toaster", plan.FileModels, model, []string{"acme-1", "", "toaster", "", "", ""}, CodeObjectValue, pbx.ErrInvalid, "Kind", "toaster"},
		{"model ports 0", plan.FileModels, model, []string{"acme-1", "", "", "0", "", ""}, CodeObjectValue, pbx.ErrInvalid, "Ports", "0"},
		{"model lines 65", plan.FileModels, model, []string{"acme-1", "", "", "", "65", ""}, CodeObjectValue, pbx.ErrInvalid, "Max Lines", "65"},
		{"model OUI short", plan.FileModels, model, []string{"acme-1", "", "", "", "", "805ec"}, CodeObjectValue, pbx.ErrMAC, "OUIs", "805ec"},
		{"group extension a user's", plan.FileHuntGroups, hg, []string{"support", "", "4021", ""}, CodeObjectExtTaken, pbx.ErrConflict, "Extension", "4021"},
		{"group extension an attendant's", plan.FileHuntGroups, hg, []string{"support", "", "6001", ""}, CodeObjectExtTaken, pbx.ErrConflict, "Extension", "6001"},
		{"group extension letters", plan.FileHuntGroups, hg, []string{"support", "", "six", ""}, CodeExtensionInvalid, pbx.ErrExtension, "Extension", "six"},
		{"group number not ours", plan.FileHuntGroups, hg, []string{"support", "", "", "+14155550102"}, CodeObjectNumberNotOwn, pbx.ErrNotFound, "Numbers", "+14155550102"},
		{"attendant extension a group's", plan.FileAutoAttendants, aa, []string{"night", "", "6000", ""}, CodeObjectExtTaken, pbx.ErrConflict, "Extension", "6000"},
		{"attendant ID missing", plan.FileAutoAttendants, aa, []string{"", "Night", "6100", ""}, CodeObjectKeyMissing, pbx.ErrInvalid, "Auto Attendant ID", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			objs, asks, ps := ObjectRows(c.fk, objState(), objRows(c.fk, c.header, c.cells))
			if len(objs)+len(asks) != 0 {
				t.Errorf("an invalid row asks for %d objects and %d area codes", len(objs), len(asks))
			}
			if len(ps) != 1 {
				t.Fatalf("problems = %v, want one %s", ps, c.code)
			}
			p := ps[0]
			col := slices.Index(c.header, c.col)
			if p.Code != c.code || !errors.Is(p, c.sentinel) || p.Cell.Row != 2 || p.Cell.Col != col || p.Cell.Header != c.col ||
				p.Value != c.value || p.Hint == "" || p.Cell.File != "f.csv" {
				t.Errorf("problem = %+v at %+v; want %s wrapping %v at row 2, column %d (%s), value %q, with a fix", p, p.Cell, c.code, c.sentinel, col, c.col, c.value)
			}
		})
	}
}

func TestObjectRowsCanonical(t *testing.T) {
	rows := objRows(plan.FileSites, []string{"Code", "Site Name", "Country", "Ext Len", "Dial Plan", "Reserved Extensions", "Action"},
		[]string{"NYC", "New York", "usa", "4", "Yes", "911; 9000-9999", ""},
		[]string{"lon", "", "", "", "", "", "Remove"})
	objs, _, ps := ObjectRows(plan.FileSites, objState(), rows)
	if len(ps) != 0 || len(objs) != 2 {
		t.Fatalf("objects %+v, problems %v", objs, ps)
	}
	want := map[string]string{plan.AttrName: "New York", plan.AttrRegion: "US", plan.AttrExtLen: "4", plan.AttrOwnDialPlan: "true", plan.AttrReserved: "911,9000-9999"}
	if o := objs[0]; o.Key != "nyc" || !maps.Equal(o.Fields, want) || o.Remove {
		t.Errorf("row 2 = %+v, want nyc with %v", o, want)
	}
	if o := objs[1]; o.Key != "lon" || !o.Remove || len(o.Fields) != 0 {
		t.Errorf("row 3 = %+v, want lon removed, its empty cells left alone", o)
	}
	objs, _, ps = ObjectRows(plan.FileSites, objState(), objRows(plan.FileSites, []string{"Site Code", "Region", "E911 Street", "E911 City", "E911 State", "E911 Postal"},
		[]string{"nyc", "US", "1 Broadway", "New York", "new york", "10004"}))
	if len(ps) != 0 || objs[0].Location == nil || objs[0].Location.Address != (pbx.Address{Street: "1 Broadway", City: "New York", Region: "NY", Postal: "10004", Country: "US"}) ||
		objs[0].Fields[plan.AttrLocation] != objs[0].Location.ID {
		t.Errorf("site with an address: %+v, problems %v; want its E911 location, the country the site's region", objs, ps)
	}

	m, _, ps := ObjectRows(plan.FileModels, objState(), objRows(plan.FileModels, []string{"Model Name", "Manufacturer", "Device Type", "Ports", "Line Keys", "MAC Prefixes"},
		[]string{"Polycom-VVX250", "Polycom", "Desk Phone", "1", "4", "00:04:F2, 64-16-7F, 0004f2"}))
	if len(ps) != 0 || m[0].Key != "polycom-vvx250" || m[0].Fields[plan.AttrDeviceKind] != "deskphone" || m[0].Fields[plan.AttrOUIs] != "0004f2,64167f" {
		t.Errorf("model = %+v, problems %v", m, ps)
	}

	n, _, ps := ObjectRows(plan.FileNumbers, objState(), objRows(plan.FileNumbers, []string{"Phone Number", "Site", "Default Routing"},
		[]string{"020 7946 0000", "lon", "HG:sales"}, []string{"+14155550150-+14155550152", "", ""}))
	if len(ps) != 0 || len(n) != 4 || n[0].Key != "+442079460000" || n[0].Fields[plan.AttrRouting] != "hg:sales" || n[3].Key != "+14155550152" || n[3].RowKey != "+14155550150-+14155550152" {
		t.Errorf("numbers = %+v, problems %v; want a London number parsed in GB, and a range of 3", n, ps)
	}
}

func TestObjectRowsAcrossRows(t *testing.T) {
	hg := []string{"Hunt Group ID", "Name", "Extension", "Numbers"}
	_, _, ps := ObjectRows(plan.FileHuntGroups, objState(), objRows(plan.FileHuntGroups, hg,
		[]string{"support", "Support", "6200", "+14155550100"},
		[]string{"Support", "Support again", "6300", ""},
		[]string{"billing", "Billing", "6200", "+1 415 555 0100"}))
	var got []string
	for _, p := range ps {
		got = append(got, p.Code+"@"+p.Cell.Header+":"+strings.TrimSpace(p.Value))
	}
	want := []string{"object.duplicate@Hunt Group ID:support", "object.duplicate@Extension:6200", "object.duplicate@Numbers:+14155550100"}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	_, _, ps = ObjectRows(plan.FileNumbers, objState(), objRows(plan.FileNumbers, []string{"Number"},
		[]string{"+14155550150-+14155550152"}, []string{"+1 415 555 0151"}))
	if len(ps) != 1 || ps[0].Code != CodeObjectDuplicate || ps[0].Cell.Row != 3 || !strings.Contains(ps[0].Message, "row 2") {
		t.Errorf("a number inside another row's range: %v", ps)
	}
}

func TestPickAreas(t *testing.T) {
	st := objState()
	st.Numbers["+16505550100"] = &pbx.Number{E164: "+16505550100", Company: "acme", Site: "lon"} // the company's already
	st.Numbers["+16505550102"] = &pbx.Number{E164: "+16505550102", Company: "globex"}            // another company's
	asks := []AreaAsk{{Line: 2, AreaCode: "650", Quantity: 4, Object: plan.Object{Kind: plan.KindNumber, Fields: map[string]string{}}}}
	held := func(cands []pbx.E164) (map[pbx.E164]bool, error) {
		h := map[pbx.E164]bool{}
		for _, e := range cands {
			h[e] = st.Numbers[e] != nil || e == "+16505550103" // +16505550103: another row of the file names it
		}
		return h, nil
	}
	var got []string
	ps, err := PickAreas(st, asks, held, func(o plan.Object) { got = append(got, o.Key) })
	if err != nil || len(ps) != 0 {
		t.Fatal(err, ps)
	}
	if want := []string{"+16505550101", "+16505550104", "+16505550105"}; !slices.Equal(got, want) {
		t.Errorf("picked %v, want %v (the company holds one of the 4 already)", got, want)
	}
	for _, e := range got {
		st.Numbers[pbx.E164(e)] = &pbx.Number{E164: pbx.E164(e), Company: "acme"}
	}
	got = nil
	if _, err := PickAreas(st, asks, held, func(o plan.Object) { got = append(got, o.Key) }); err != nil || len(got) != 0 {
		t.Errorf("applied again, the row picks %v, want none", got)
	}
	asks = append(asks, AreaAsk{Line: 3, AreaCode: "650", Quantity: 9, Object: asks[0].Object})
	ps, _ = PickAreas(st, asks, held, func(plan.Object) {})
	if len(ps) != 1 || ps[0].Code != CodeObjectDuplicate {
		t.Errorf("two rows of one area code: %v", ps)
	}
	if AreaCandidate("650", 100) != "+16502000000" || AreaCandidate("650", 99) != "+16505550199" {
		t.Errorf("candidates: %s, %s", AreaCandidate("650", 99), AreaCandidate("650", 100))
	}
}

// A row with no E911 address takes its site's default one, when the site
// has one (a sites file sets it); without it the number is refused.
func TestSiteDefaultE911(t *testing.T) {
	st := objState()
	addr := pbx.Address{Street: "1 Broadway", City: "New York", Region: "NY", Postal: "10004", Country: "US"}
	loc := &pbx.Location{ID: pbx.LocationID(addr), Company: "acme", Address: addr}
	row := kv{pbx.FUserID: "zoe@acme.example", pbx.FFirstName: "Zoe", pbx.FLastName: "Lee", pbx.FSite: "lon", pbx.FNumber: "+14155550100"}
	r, ps := New(st).Check(mapped(2, row))
	if r == nil || r.Location != nil {
		t.Fatalf("site without a default: row %+v, problems %v", r, ps)
	}
	st.Locations[loc.ID] = loc
	st.Sites["lon"].E911 = loc.ID
	r, ps = New(st).Check(mapped(2, row))
	if r == nil || r.Location == nil || *r.Location != addr {
		t.Errorf("site with a default: row location %+v, problems %v; want %+v", r.Location, ps, addr)
	}
}
