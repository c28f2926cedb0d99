package report_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares got with testdata/name.golden, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("output differs from %s (go test ./report -update to accept):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

// live is the fixture state: company acme, site hq (US, 4-digit
// extensions), pool numbers +1 415 555 0100..0104, a sales number on a hunt
// group, three users with a number and a phone each (ann, bob and eve) and
// dan with neither.
// eve's first name starts with "=" and her last name with "-", as a
// malicious or careless HR export may have it.
func live() *pbx.State {
	st := pbx.NewState(pbx.Company{ID: "acme", Name: "Acme", Plan: "C2", SMS: true})
	st.Sites["hq"] = &pbx.Site{Company: "acme", Code: "hq", Region: "US", ExtLen: 4}
	st.Models["yealink-t42g"] = &pbx.DeviceModel{Name: "yealink-t42g", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 3}
	for i := range 5 {
		e := pbx.E164(fmt.Sprintf("+1415555010%d", i))
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme", Site: "hq", Routing: "aa:main", Version: 1}
	}
	st.Numbers["+14155550120"] = &pbx.Number{E164: "+14155550120", Company: "acme", Site: "hq", Label: "Sales",
		Target: "huntgroup:sales", Routing: "hg:sales", HolidayRouting: "aa:closed", Version: 4}
	addUser(st, "ann@acme.example", "Ann", "Lee", "1001", "+14155550110", "805ec0000001")
	addUser(st, "bob@acme.example", "Bob", "Ray", "1002", "+14155550111", "805ec0000002")
	addUser(st, "eve@acme.example", "=1+2", "-Eve", "1003", "+14155550112", "805ec0000003")
	// dan has an account but no number or phone yet
	st.Users["dan@acme.example"] = &pbx.User{ID: "dan@acme.example", Company: "acme", Site: "hq", FirstName: "Dan", LastName: "Wu",
		Email: "dan@acme.example", Extension: "1005", StationType: "standard", VoiceEnabled: true, Status: pbx.StatusActive, Version: 1}
	st.Locations["us|94105|1 main st"] = &pbx.Location{ID: "us|94105|1 main st", Company: "acme",
		Address: pbx.Address{Street: "1 Main St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}, Version: 1}
	st.Numbers["+14155550110"].Location = "us|94105|1 main st"
	st.Numbers["+14155550110"].SMS = true
	// eve may show the sales line as caller ID (outbound-only)
	st.Members = append(st.Members, pbx.Member{Number: "+14155550120", User: "eve@acme.example", Role: pbx.RoleOutboundOnly})
	return st
}

func addUser(st *pbx.State, id, first, last, ext, num, mac string) {
	u := &pbx.User{ID: pbx.UserID(id), Company: "acme", Site: "hq", FirstName: first, LastName: last,
		Email: id, Extension: pbx.Extension(ext), StationType: "standard", VoiceEnabled: true,
		Status: pbx.StatusActive, ExternalID: "hr-" + id[:3], Version: 3}
	st.Users[u.ID] = u
	e := pbx.E164(num)
	st.Numbers[e] = &pbx.Number{E164: e, Company: "acme", Site: "hq", Target: pbx.UserTarget(u.ID),
		Routing: pbx.ExtRouting(u.Extension), SavedRouting: "aa:main", Version: 2}
	m := pbx.MAC(mac)
	st.Devices[m] = &pbx.Device{MAC: m, Company: "acme", Model: "yealink-t42g", Version: 1}
	st.Lines[pbx.LineKey(m, 1)] = &pbx.DeviceLine{MAC: m, Port: 1, User: u.ID, Number: e, Lines: 1, Version: 1}
}

// headers of the fixture roster, by field: the columns a site survey has.
var headers = []struct {
	f pbx.Field
	h string
}{
	{pbx.FUserID, "User ID"}, {pbx.FFirstName, "First Name"}, {pbx.FLastName, "Last Name"}, {pbx.FEmail, "Email"},
	{pbx.FExtension, "Extension"}, {pbx.FNumber, "Phone Number"}, {pbx.FMAC, "MAC Address"}, {pbx.FModel, "Phone Model"},
}

// row is a roster row of roster.csv carrying every fixture column.
func row(line int, id string) *pbx.Row {
	r := &pbx.Row{Line: line}
	r.User.ID = pbx.UserID(id)
	for i, c := range headers {
		r.SetCell(c.f, pbx.Cell{File: "roster.csv", Row: line, Col: i, Header: c.h})
	}
	return r
}

// same is the roster row that describes a fixture user as they are.
func same(st *pbx.State, line int, id string) *pbx.Row {
	r := row(line, id)
	u := st.Users[pbx.UserID(id)]
	r.User = *u
	for _, l := range st.Lines {
		if l.User == u.ID {
			r.Numbers = append(r.Numbers, l.Number)
			r.Device = &pbx.RowDevice{MAC: l.MAC, Model: "yealink-t42g", Port: l.Port, Lines: l.Lines}
		}
	}
	return r
}

func joiner(line int, id, ext, num, mac string) *pbx.Row {
	r := row(line, id)
	r.User = pbx.User{ID: pbx.UserID(id), FirstName: "Joe", LastName: "New", Email: id, Extension: pbx.Extension(ext)}
	r.Numbers = []pbx.E164{pbx.E164(num)}
	r.Device = &pbx.RowDevice{MAC: pbx.MAC(mac), Model: "yealink-t42g", Port: 1, Lines: 1}
	return r
}

// fixturePlan is a sync of roster.csv against live(), with a row of every
// planned status: unchanged (ann), updated (bob's new extension), created
// (cat), moved (dan takes eve's number, eve being a leaver), in conflict
// (fay wants the sales line), invalid (rows 7 and 8, one with a key that
// looks like a formula), a warning on an unchanged row, and eve
// deprovisioned (losing her outbound-only access to the sales line).
func fixturePlan(t *testing.T) *plan.Plan {
	t.Helper()
	st := live()
	bob := same(st, 3, "bob@acme.example")
	bob.User.Extension = "1050"
	rows := []*pbx.Row{
		same(st, 2, "ann@acme.example"),
		bob,
		joiner(4, "cat@acme.example", "1004", "+14155550101", "805ec0000004"),
		row(5, "dan@acme.example"),
		joiner(6, "fay@acme.example", "1006", "+14155550120", "805ec0000006"),
	}
	dan := rows[3]
	dan.User = *st.Users["dan@acme.example"]
	dan.Numbers = []pbx.E164{"+14155550112"}
	dan.Device = &pbx.RowDevice{MAC: "805ec0000005", Model: "yealink-t42g", Port: 1, Lines: 1}
	p, err := plan.Make(st, rows, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true, Today: "2030-01-15"})
	if err != nil {
		t.Fatal(err)
	}
	p.Roster, p.RosterHash = "roster.csv", "0f1e2d3c"
	p.CreatedAt = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	for i := range p.Rows {
		if p.Rows[i].Line == 2 {
			p.Rows[i].Problems = append(p.Rows[i].Problems, &pbx.Problem{
				Cell: pbx.Cell{File: "roster.csv", Row: 2, Col: 7, Header: "Phone Model"}, Severity: pbx.SevWarning,
				Code: "model.guessed", Value: "T42G", Message: `model "T42G" read as yealink-t42g`,
				Hint: "write the model as the catalogue names it"})
		}
	}
	p.AddRows([]plan.RowPlan{
		{Line: 7, Key: "@SUM(1+1)*cmd|' /C calc'!A0", Status: plan.StatusInvalid, Problems: []*pbx.Problem{{
			Cell: pbx.Cell{File: "roster.csv", Row: 7, Col: 0, Header: "User ID"}, Severity: pbx.SevError,
			Code: "user_id.invalid", Value: "@SUM(1+1)*cmd|' /C calc'!A0",
			Message: `"@SUM(1+1)*cmd|' /C calc'!A0" is not a user ID in e-mail form`,
			Hint:    "write the login as name@domain, e.g. jdoe@acme.example", Err: pbx.ErrUserID}}},
		{Line: 8, Key: "gil@acme.example", Status: plan.StatusInvalid, Problems: []*pbx.Problem{
			{Cell: pbx.Cell{File: "roster.csv", Row: 8, Col: 6, Header: "MAC Address"}, Severity: pbx.SevError,
				Code: "mac.multicast", Value: "01:00:5E:11:22:08", Message: "01:00:5E:11:22:08 is a multicast address, not a phone's",
				Hint: "copy the MAC from the label on the back of the phone", Err: pbx.ErrMAC},
			{Cell: pbx.Cell{File: "roster.csv", Row: 8, Col: 5, Header: "Phone Number"}, Severity: pbx.SevError,
				Code: "number.invalid", Value: "-415 555 01", Message: `"-415 555 01" is not a phone number`,
				Hint: "write it as +1 415 555 0101 or (415) 555-0101", Err: pbx.ErrNumber},
		}},
	})
	return p
}

// demoStore is a SQLite store seeded with samples/demo/company.json.
func demoStore(t *testing.T) importer.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seed, err := importer.ReadSeed(filepath.Join(demo, "company.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, seed); err != nil {
		t.Fatal(err)
	}
	return s
}

var demo = filepath.Join("..", "samples", "demo")

// lines splits text into lines for messages.
func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }
