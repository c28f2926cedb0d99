package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/storetest"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// hrPerson is one row of the golden HR export, whatever its language.
type hrPerson struct {
	hrID, first, last, email, ext string
	voice                         bool
	status                        string // "active", "leaver", "keep"
	exit                          string // ISO date or ""
}

// The golden export of issue 17, run on 2026-12-07 against the staff of
// samples/hr: Anna stays; Bernd left (status, exit date 30.11.2026); Carla
// leaves on 31.03.2027; Dana married (HR id 1004 under a new login);
// Emil's voice is turned off while he holds a number; Felix is on parental
// leave (a status of the HR system's own, or the built-in "leave of
// absence"); HR id 1007 is on two rows.
var hrRun1 = []hrPerson{
	{"1001", "Anna", "Schmidt", "anna.schmidt@acme.example", "2001", true, "active", ""},
	{"1002", "Bernd", "Keller", "bernd.keller@acme.example", "2002", true, "leaver", "2026-11-30"},
	{"1003", "Carla", "Wolf", "carla.wolf@acme.example", "2003", true, "active", "2027-03-31"},
	{"1004", "Dana", "Berger", "dana.berger@acme.example", "2004", true, "active", ""},
	{"1005", "Emil", "Braun", "emil.braun@acme.example", "2005", false, "active", ""},
	{"1006", "Felix", "Koch", "felix.koch@acme.example", "2006", true, "keep", ""},
	{"1007", "Gina", "Roth", "gina.roth@acme.example", "2007", true, "active", ""},
	{"1007", "Gina", "Roth", "g.roth@acme.example", "2008", true, "active", ""},
}

// hrRun3 is the next export: the duplicate gone, and a new hire who asks
// for Bernd's extension.
var hrRun3 = append(slices.Clone(hrRun1[:7]),
	hrPerson{"1008", "Ida", "Lang", "ida.lang@acme.example", "2002", true, "active", ""})

// hrFormat writes the golden export as one HR system does.
type hrFormat struct {
	name    string
	profile string // YAML, "" for the built-in pbxsync profile
	write   func(t *testing.T, people []hrPerson) string
}

// csvExport writes people as an HR system of one language does: its
// header, its status and yes/no words, its date layout, ';' separated, in
// encoding enc (nil: UTF-8).
func csvExport(name, header string, words map[string]string, yes, no, dateLayout string, enc *charmap.Charmap) func(*testing.T, []hrPerson) string {
	return func(t *testing.T, people []hrPerson) string {
		var b strings.Builder
		b.WriteString(header + "\r\n")
		for _, p := range people {
			voice, exit := yes, ""
			if !p.voice {
				voice = no
			}
			if p.exit != "" {
				d, _ := time.Parse("2006-01-02", p.exit)
				exit = d.Format(dateLayout)
			}
			b.WriteString(strings.Join([]string{p.hrID, p.first, p.last, p.email, "ber", p.ext, voice, words[p.status], exit}, ";") + "\r\n")
		}
		text := b.String()
		if enc != nil {
			var err error
			text, err = enc.NewEncoder().String(text)
			must(t, err)
		}
		return writeFile(t, name, text)
	}
}

var hrFormats = []hrFormat{
	{name: "german-csv", profile: "../samples/hr/personal.yaml",
		write: csvExport("personal.csv", "Personalnummer;Vorname;Nachname;E-Mail;Standort;Nebenstelle;Telefonie;Beschäftigungsstatus;Austrittsdatum",
			map[string]string{"active": "Aktiv", "leaver": "Ausgeschieden", "keep": "Ruhend (Elternzeit)"}, "ja", "nein", "02.01.2006", charmap.Windows1252)},
	{name: "french-csv", profile: "extends: pbxsync\naliases: {external_id: Matricule, first_name: Prénom, last_name: Nom, email: Courriel, extension: Poste, voice_enabled: Téléphonie}\n",
		write: csvExport("salaries.csv", "Matricule;Prénom;Nom;Courriel;Site;Poste;Téléphonie;Statut;Date de sortie",
			map[string]string{"active": "Actif", "leaver": "Sorti", "keep": "En congé parental"}, "oui", "non", "02/01/2006", nil)},
	{name: "english-xlsx", write: func(t *testing.T, people []hrPerson) string {
		words := map[string]string{"active": "Active", "leaver": "Terminated", "keep": "Leave of Absence"}
		f := excelize.NewFile()
		defer f.Close()
		header := []any{"Employee ID", "First Name", "Last Name", "Work Email", "Site", "Extension", "Voice Enabled", "Worker Status", "Termination Date"}
		must(t, f.SetSheetRow("Sheet1", "A1", &header))
		for i, p := range people {
			voice := "Yes"
			if !p.voice {
				voice = "No"
			}
			row := []any{p.hrID, p.first, p.last, p.email, "ber", p.ext, voice, words[p.status], nil}
			if p.exit != "" {
				d, _ := time.Parse("2006-01-02", p.exit)
				if i%2 == 0 {
					row[8] = d // a date cell
				} else {
					row[8] = int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24) // a serial in a General cell
				}
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			must(t, f.SetSheetRow("Sheet1", cell, &row))
		}
		path := filepath.Join(t.TempDir(), "workers.xlsx")
		must(t, f.SaveAs(path))
		return path
	}},
}

func (h hrFormat) source(t *testing.T, people []hrPerson) importer.Source {
	t.Helper()
	src := importer.Source{Path: h.write(t, people)}
	switch {
	case h.profile == "":
		p, err := mapping.Builtin("pbxsync")
		must(t, err)
		src.Profile = p
	case strings.HasSuffix(h.profile, ".yaml"):
		p, err := mapping.Load(h.profile)
		must(t, err)
		src.Profile = p
	default:
		path := filepath.Join(t.TempDir(), "profile.yaml")
		must(t, os.WriteFile(path, []byte(h.profile), 0o644))
		p, err := mapping.Load(path)
		must(t, err)
		src.Profile = p
	}
	return src
}

// hrStore is a store with samples/hr's company and staff.
func hrStore(t *testing.T, s importer.Store) importer.Store {
	t.Helper()
	ctx := context.Background()
	must(t, s.Migrate(ctx))
	sd, err := importer.ReadSeed("../samples/hr/company.json")
	must(t, err)
	must(t, s.Seed(ctx, sd))
	staff, err := os.ReadFile("../samples/hr/staff.csv")
	must(t, err)
	applyRoster(t, s, string(staff))
	return s
}

func hrSync(today string, take bool) importer.Options {
	return importer.Options{Full: true, Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{External: true}, Today: today, Take: take}}
}

// rowOf returns the plan's row of line.
func rowOf(t *testing.T, p *plan.Plan, line int) plan.RowPlan {
	t.Helper()
	for _, r := range p.Rows {
		if r.Line == line {
			return r
		}
	}
	t.Fatalf("no row %d in the plan: %+v", line, p.Rows)
	return plan.RowPlan{}
}

func hasCode(r plan.RowPlan, code, in string) bool {
	for _, p := range r.Problems {
		if p.Code == code && strings.Contains(p.Message+p.Value, in) {
			return true
		}
	}
	return false
}

// TestHRSyncGolden is the golden scenario of issue 17 on both stores, as a
// German Windows-1252 ';' export (the sample itself), a French one and an
// English workbook.
func TestHRSyncGolden(t *testing.T) {
	for _, format := range hrFormats {
		for _, e := range storetest.Engines {
			t.Run(format.name+"/"+e.Name, func(t *testing.T) { testHRSync(t, format, e.Open(t)) })
		}
	}
}

func testHRSync(t *testing.T, format hrFormat, s importer.Store) {
	ctx := context.Background()
	s = hrStore(t, s)
	src := format.source(t, hrRun1)
	if format.name == "german-csv" { // the sample is this export, byte for byte
		sample, err := os.ReadFile("../samples/hr/personal.csv")
		must(t, err)
		made, err := os.ReadFile(src.Path)
		must(t, err)
		if string(sample) != string(made) {
			t.Fatalf("samples/hr/personal.csv is not the golden export:\n%q\n%q", sample, made)
		}
	}

	p, c, err := importer.Plan(ctx, s, src, hrSync("2026-12-07", false))
	must(t, err)
	want := map[int]plan.Status{2: plan.StatusUnchanged, 3: plan.StatusDeprovisioned, 4: plan.StatusUnchanged,
		5: plan.StatusRenamed, 6: plan.StatusConflict, 7: plan.StatusUnchanged, 8: plan.StatusInvalid, 9: plan.StatusInvalid}
	for line, st := range want {
		if got := rowOf(t, p, line); got.Status != st {
			t.Errorf("row %d is %s, want %s: %+v (problems %v)", line, got.Status, st, got, got.Problems)
		}
	}
	if r := rowOf(t, p, 6); !hasCode(r, plan.CodeVoiceOffHoldsNumbers, "+493090182014") {
		t.Errorf("row 6 (voice off) does not name Emil's number: %v", r.Problems)
	}
	for _, line := range []int{8, 9} {
		if r := rowOf(t, p, line); !hasCode(r, "duplicate.external_id", "1007") {
			t.Errorf("row %d (HR id 1007 twice) has %v", line, r.Problems)
		}
	}
	if !slices.ContainsFunc(p.Notes, func(n string) bool { return strings.Contains(n, "row 4") && strings.Contains(n, "2027-03-31") }) {
		t.Errorf("the plan does not say when Carla leaves: %q", p.Notes)
	}
	var rename *plan.Change
	for i := range p.Changes {
		ch := &p.Changes[i]
		if ch.Action == plan.Rename {
			rename = ch
		}
		if ch.Kind == plan.KindUser && ch.Action == plan.Create {
			t.Errorf("the sync creates a user: %+v", ch)
		}
		if ch.Action == plan.Deprovision && ch.Key != "bernd.keller@acme.example" {
			t.Errorf("the sync deprovisions %s", ch.Key)
		}
	}
	if to, _ := rename.After(plan.AttrUserID); rename == nil || rename.Key != "dana.meier@acme.example" || to != "dana.berger@acme.example" {
		t.Fatalf("the rename is %+v", rename)
	}
	if len(c.Invalid) != 2 {
		t.Errorf("%d invalid rows, want 2: %v", len(c.Invalid), c.Invalid)
	}

	res, err := importer.Apply(ctx, s, p, apply.Options{})
	must(t, err)
	if len(res.Failed) != 0 {
		t.Errorf("the sync failed changes: %+v", res.Failed)
	}
	syncRun := res.RunID
	st, err := s.Load(ctx, "acme")
	must(t, err)
	if u := st.Users["bernd.keller@acme.example"]; u == nil || u.Status != pbx.StatusDeprovisioned || u.DeprovisionedAt != "2026-12-07" {
		t.Errorf("Bernd after the sync: %+v", u)
	}
	if n := st.Numbers["+493090182011"]; n.Target != "" {
		t.Errorf("Bernd's number is still %s's", n.Target)
	}
	// Dana is renamed in place: the same person, her number, extension
	// and HR id kept, no dana.meier left behind.
	dana := st.Users["dana.berger@acme.example"]
	if dana == nil || st.Users["dana.meier@acme.example"] != nil {
		t.Fatalf("after the rename dana.berger is %+v, dana.meier %+v", dana, st.Users["dana.meier@acme.example"])
	}
	if dana.Status != pbx.StatusActive || dana.LastName != "Berger" || dana.Email != "dana.berger@acme.example" ||
		dana.Extension != "2004" || dana.ExternalID != "1004" || dana.Site != "ber" || !dana.VoiceEnabled {
		t.Errorf("Dana after the rename: %+v", dana)
	}
	if n := st.Numbers["+493090182013"]; n.Target != pbx.UserTarget("dana.berger@acme.example") || n.Routing != "ext:2004" {
		t.Errorf("Dana's number after the rename: %s, routing %s", n.Target, n.Routing)
	}
	if u := st.Users["emil.braun@acme.example"]; !u.VoiceEnabled || st.Numbers["+493090182014"].Target != pbx.UserTarget(u.ID) {
		t.Errorf("Emil after the refused voice-off: %+v", u)
	}
	for _, id := range []pbx.UserID{"carla.wolf@acme.example", "felix.koch@acme.example", "anna.schmidt@acme.example"} {
		if u := st.Users[id]; u.Status != pbx.StatusActive {
			t.Errorf("%s is %s", id, u.Status)
		}
	}

	// The same export again changes nothing.
	again, _, err := importer.Plan(ctx, s, src, hrSync("2026-12-07", false))
	must(t, err)
	if len(again.Changes) != 0 {
		t.Errorf("the second run plans %+v", again.Changes)
	}
	if r := rowOf(t, again, 5); r.Status != plan.StatusUnchanged {
		t.Errorf("the second run: Dana's row is %s", r.Status)
	}

	// Carla's exit date is her last day; she goes the day after.
	for day, want := range map[string]plan.Status{"2027-03-31": plan.StatusUnchanged, "2027-04-01": plan.StatusDeprovisioned} {
		later, _, err := importer.Plan(ctx, s, src, hrSync(day, false))
		must(t, err)
		if r := rowOf(t, later, 4); r.Status != want {
			t.Errorf("on %s Carla's row is %s, want %s", day, r.Status, want)
		}
	}

	// The next export: the new hire asks for Bernd's extension. Without
	// --take the row says Bernd has it and left; with it, it is reclaimed.
	next := format.source(t, hrRun3)
	p3, _, err := importer.Plan(ctx, s, next, hrSync("2026-12-08", false))
	must(t, err)
	if r := rowOf(t, p3, 9); r.Status != plan.StatusConflict && r.Status != plan.StatusInvalid ||
		!hasCode(r, plan.CodeExtensionOfLeaver, "held by bernd.keller@acme.example, who was deprovisioned (left) on 2026-12-07: held for them through 2027-01-06") {
		t.Errorf("the new hire asking for Bernd's extension without --take: %+v %v", r, r.Problems)
	}
	// The hold is 30 days by default: on its last day the extension is
	// still Bernd's; the day after, it is free without --take, the plan
	// clearing it from him as a visible change; a hold of 0 days frees it
	// at once.
	for _, c := range []struct {
		today string
		hold  int
		free  bool
	}{{"2027-01-06", 0, false}, {"2027-01-07", 0, true}, {"2026-12-08", -1, true}, {"2026-12-20", 10, true}, {"2026-12-17", 10, false}} {
		opts := hrSync(c.today, false)
		opts.Plan.ExtensionHoldDays = c.hold
		later, _, err := importer.Plan(ctx, s, next, opts)
		must(t, err)
		r := rowOf(t, later, 9)
		cleared := slices.ContainsFunc(later.Changes, func(ch plan.Change) bool {
			return ch.Key == "bernd.keller@acme.example" && slices.Contains(ch.Fields.Slice(), plan.FieldChange{Field: plan.AttrExtension, Before: "2002"})
		})
		if (r.Status == plan.StatusCreated) != c.free || cleared != c.free {
			t.Errorf("on %s with a hold of %d days: the new hire's row is %s (%v), Bernd's extension cleared %v; want free %v",
				c.today, c.hold, r.Status, r.Problems, cleared, c.free)
		}
	}
	p3, _, err = importer.Plan(ctx, s, next, hrSync("2026-12-08", true))
	must(t, err)
	if r := rowOf(t, p3, 9); r.Status != plan.StatusCreated {
		t.Fatalf("the new hire with --take: %+v %v", r, r.Problems)
	}
	_, err = importer.Apply(ctx, s, p3, apply.Options{})
	must(t, err)
	st, err = s.Load(ctx, "acme")
	must(t, err)
	if u := st.Users["ida.lang@acme.example"]; u == nil || u.Extension != "2002" {
		t.Errorf("Ida: %+v", u)
	}
	if u := st.Users["bernd.keller@acme.example"]; u.Extension != "" || u.Status != pbx.StatusDeprovisioned {
		t.Errorf("Bernd after his extension was reclaimed: %+v", u)
	}

	// Reverting the sync renames Dana back (a rename to her old login),
	// her number and extension with her; Bernd's row, changed since, is
	// not reverted.
	rec, err := s.Run(ctx, syncRun)
	must(t, err)
	rev, err := plan.Revert(st, rec)
	must(t, err)
	if r := rowOf(t, rev, 5); r.Status != plan.StatusRenamed {
		t.Errorf("the revert's row 5 is %s: %+v", r.Status, r.Problems)
	}
	if r := rowOf(t, rev, 3); r.Status != plan.StatusConflict {
		t.Errorf("the revert's row 3 (Bernd, whose extension Ida took since) is %s", r.Status)
	}
	res, err = importer.Apply(ctx, s, rev, apply.Options{})
	must(t, err)
	if len(res.Failed) != 0 {
		t.Errorf("the revert failed: %+v", res.Failed)
	}
	st, err = s.Load(ctx, "acme")
	must(t, err)
	if u := st.Users["dana.meier@acme.example"]; u == nil || st.Users["dana.berger@acme.example"] != nil ||
		u.LastName != "Meier" || u.Email != "dana.meier@acme.example" || u.Extension != "2004" || u.ExternalID != "1004" {
		t.Errorf("after the revert dana.meier is %+v, dana.berger %+v", u, st.Users["dana.berger@acme.example"])
	}
	if n := st.Numbers["+493090182013"]; n.Target != pbx.UserTarget("dana.meier@acme.example") {
		t.Errorf("after the revert Dana's number is %s's", n.Target)
	}
}

// A roster whose exit date is still to come is never answered from the run
// that applied it: on the day after the exit date the same file plans the
// leaver, though neither the file nor the store changed.
func TestLaterExitNotReplayed(t *testing.T) {
	ctx := context.Background()
	s := hrStore(t, storetest.OpenSQLite(t))
	path := writeFile(t, "exits.csv", "User ID,First Name,Termination Date\ncarla.wolf@acme.example,Carla Maria,2027-03-31\n")
	opts := importer.Options{Plan: plan.Options{Today: "2026-12-07"}}
	p, _, err := importer.Plan(ctx, s, importer.Source{Path: path}, opts)
	must(t, err)
	_, err = importer.Apply(ctx, s, p, apply.Options{})
	must(t, err)
	opts.Plan.Today = "2027-04-01"
	p, c, err := importer.Plan(ctx, s, importer.Source{Path: path}, opts)
	must(t, err)
	if c.Unchanged != nil || rowOf(t, p, 2).Status != plan.StatusDeprovisioned {
		t.Errorf("after the exit date: answered from run %+v, row 2 %s", c.Unchanged, rowOf(t, p, 2).Status)
	}
}
