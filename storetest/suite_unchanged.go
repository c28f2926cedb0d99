package storetest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// The unchanged-roster fast path (importer.Plan without Full, the stores'
// UnchangedSince and the company generation behind it).

const rosterHeader = "User ID,First Name,Last Name,Email,Extension,Phone Number,Phone Model,MAC Address,Port,E911 Street,E911 City,E911 State,E911 Postal Code,E911 Country\n"

// cleanSync is a roster of acme with no problem at all, applied as a sync
// of every user: a joiner with a pool number and a desk phone, jdoe kept,
// and asmith, bgone and ada (not named) deprovisioned.
const cleanSync = rosterHeader +
	"jdoe@acme.example,John,Doe,john.doe@acme.example,4021,+14155550100,yealink-t42g,80:5e:c0:aa:bb:01,1,,,,,\n" +
	"kim@acme.example,Kim,Lee,kim.lee@acme.example,4050,+14155550103,yealink-t42g,80:5e:c0:aa:bb:77,1,1 Market St,San Francisco,CA,94105,US\n"

// withMistakes is an onboarding of acme whose rows have problems: a bad MAC
// (invalid), a number not in the inventory (invalid, found against the
// store), another company's number (invalid) and a warning (the MAC's
// vendor is not the model's), besides two joiners.
const withMistakes = rosterHeader +
	"kim@acme.example,Kim,Lee,kim.lee@acme.example,4050,+14155550103,,,,1 Market St,San Francisco,CA,94105,US\n" +
	"max@acme.example,Max,Bad,max@acme.example,4051,+14155550105,yealink-t42g,01:00:5e:00:00:01,1,1 Market St,San Francisco,CA,94105,US\n" +
	"nat@acme.example,Nat,Gone,nat@acme.example,4052,+14155559999,,,,1 Market St,San Francisco,CA,94105,US\n" +
	"oli@acme.example,Oli,Fox,oli@acme.example,4053,+14155550199,,,,1 Market St,San Francisco,CA,94105,US\n" +
	"pat@acme.example,Pat,Ward,pat@acme.example,4054,,yealink-t42g,00:0b:82:12:34:56,1,,,,,\n"

func runUnchangedCases(t *testing.T, h func(func(*testing.T, *harness)) func(*testing.T)) {
	for _, c := range []struct {
		name   string
		roster string
		opts   importer.Options
		rows   int // batch rows
	}{
		{"clean sync", cleanSync, importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}}, 0},
		{"clean sync in batches of 1", cleanSync, importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}}, 1},
		{"onboard with mistakes", withMistakes, importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Onboard}}, 0},
		{"sync with mistakes", withMistakes, importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}}, 2},
	} {
		t.Run(c.name, h(func(t *testing.T, h *harness) { testUnchanged(t, h, c.roster, c.opts, c.rows) }))
	}
	t.Run("LiveProblemsPlanInFull", h(testUnchangedLiveProblems))
	t.Run("WriteBetweenPlanAndApply", h(testUnchangedWriteBetween))
	t.Run("FailedRow", h(testUnchangedFailedRow))
}

// rosterFile writes a roster to a file of the test.
func rosterFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func (h *harness) plan(path string, opts importer.Options, defaults map[pbx.Field]string) (*plan.Plan, *importer.Checked) {
	h.t.Helper()
	p, c, err := importer.Plan(h.ctx, h.s, importer.Source{Path: path, Defaults: defaults}, opts)
	if err != nil {
		h.t.Fatalf("Plan %s: %v", filepath.Base(path), err)
	}
	return p, c
}

func (h *harness) generation(company string) int64 { h.t.Helper(); return h.load(company).Generation }

// rowsOf renders the rows of a plan for comparison: line, key, status,
// changes and each problem's code, severity, cell and message.
func rowsOf(p *plan.Plan) []string {
	var out []string
	for _, r := range p.Rows {
		s := fmt.Sprintf("%d %s %s %v", r.Line, r.Key, r.Status, r.Changes)
		for _, pr := range r.Problems {
			s += fmt.Sprintf(" [%s %s %s %q]", pr.Code, pr.Severity, pr.Cell, pr.Message)
		}
		out = append(out, s)
	}
	return out
}

func problemsOf(c *importer.Checked) []string {
	var out []string
	for _, pr := range c.Problems {
		out = append(out, fmt.Sprintf("%s %s %s", pr.Code, pr.Cell, pr.Message))
	}
	return out
}

// checkSamePlan checks that a fast-path plan and its Checked say what a
// full re-plan says.
func checkSamePlan(t *testing.T, fast, full *plan.Plan, cf, cu *importer.Checked) {
	t.Helper()
	if !fast.Empty() || !full.Empty() {
		t.Fatalf("re-plan after apply: %d changes on the fast path, %d in full; want none", len(fast.Changes), len(full.Changes))
	}
	if got, want := rowsOf(fast), rowsOf(full); !reflect.DeepEqual(got, want) {
		t.Errorf("rows on the fast path:\n%s\nin full:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if fast.Summary != full.Summary || !reflect.DeepEqual(fast.Notes, full.Notes) || fast.Mode != full.Mode ||
		fast.Roster != full.Roster || fast.RosterHash != full.RosterHash || fast.OptionsHash != full.OptionsHash || fast.Company != full.Company {
		t.Errorf("fast path %+v %v, full %+v %v", fast.Summary, fast.Notes, full.Summary, full.Notes)
	}
	if cf.Total != cu.Total || len(cf.Invalid) != len(cu.Invalid) || cf.Profile != cu.Profile || cf.Hash != cu.Hash || cf.Company != cu.Company ||
		!reflect.DeepEqual(cf.Unknown, cu.Unknown) {
		t.Errorf("checked on the fast path: %d rows, %d invalid, profile %s; in full: %d, %d, %s", cf.Total, len(cf.Invalid), cf.Profile, cu.Total, len(cu.Invalid), cu.Profile)
	}
	if got, want := problemsOf(cf), problemsOf(cu); !reflect.DeepEqual(got, want) {
		t.Errorf("problems on the fast path:\n%s\nin full:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !reflect.DeepEqual(rowsOfInvalid(cf), rowsOfInvalid(cu)) {
		t.Errorf("invalid rows on the fast path %v, in full %v", rowsOfInvalid(cf), rowsOfInvalid(cu))
	}
}

func rowsOfInvalid(c *importer.Checked) []string { return rowsOf(&plan.Plan{Rows: c.Invalid}) }

// testUnchanged: a roster applied, then planned again, takes the fast path
// with what a full re-plan gives; any write to the company since, another
// option or another byte of the file plans in full; the generation goes up
// with every write.
func testUnchanged(t *testing.T, h *harness, roster string, opts importer.Options, batchRows int) {
	h.ready(AcmeSeed(), GlobexSeed())
	h.configure(t, ApplyOptions{BatchRows: batchRows})
	path := rosterFile(t, "roster.csv", roster)

	gen := h.generation(Acme)
	p, _ := h.plan(path, opts, nil)
	if p.UnchangedSince != 0 || p.Empty() || p.OptionsHash == "" || p.Generation != gen {
		t.Fatalf("first plan: unchanged since %d, %d changes, options hash %q, generation %d (store: %d)",
			p.UnchangedSince, len(p.Changes), p.OptionsHash, p.Generation, gen)
	}
	if !p.Replayable {
		t.Fatalf("the roster's plan is not replayable: %v", rowsOf(p))
	}
	res := h.applyOK(p)
	rec, err := h.s.Run(h.ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Batches < 1 || h.generation(Acme) != gen+int64(rec.Batches) {
		t.Errorf("after %d batches the generation is %d, was %d: want one more a batch", rec.Batches, h.generation(Acme), gen)
	}

	fast, cf := h.plan(path, opts, nil)
	if fast.UnchangedSince != res.RunID || cf.Unchanged == nil || cf.Unchanged.ID != res.RunID || cf.State != nil {
		t.Fatalf("re-plan: unchanged since run %d, want run %d (the fast path)", fast.UnchangedSince, res.RunID)
	}
	full := opts
	full.Full = true
	fp, cu := h.plan(path, full, nil)
	if fp.UnchangedSince != 0 || cu.Unchanged != nil {
		t.Fatalf("a Full re-plan took the fast path")
	}
	checkSamePlan(t, fast, fp, cf, cu)
	// The same bytes under another name.
	renamed := rosterFile(t, "hr-2.csv", roster)
	fr, cr := h.plan(renamed, opts, nil)
	fu, cru := h.plan(renamed, full, nil)
	if fr.UnchangedSince != res.RunID {
		t.Errorf("the same roster under another name: unchanged since %d, want %d", fr.UnchangedSince, res.RunID)
	}
	checkSamePlan(t, fr, fu, cr, cru)

	// Another option, another byte: planned in full.
	notTaken := func(what string, path string, o importer.Options, defaults map[pbx.Field]string) {
		t.Helper()
		if p, c := h.plan(path, o, defaults); p.UnchangedSince != 0 || c.Unchanged != nil {
			t.Errorf("%s: the fast path was taken (run %d)", what, p.UnchangedSince)
		}
	}
	o := opts
	o.Plan.Take = !o.Plan.Take
	notTaken("--take", path, o, nil)
	o = opts
	if o.Plan.Mode == plan.Sync {
		o.Plan = plan.Options{Mode: plan.Onboard}
	} else {
		o.Plan = plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}
	}
	notTaken("another mode", path, o, nil)
	o = opts
	o.Plan.MaxRemove++
	notTaken("another removal limit", path, o, nil)
	notTaken("a --set default", path, opts, map[pbx.Field]string{pbx.FStationType: "premium"})
	notTaken("one byte more", rosterFile(t, "roster.csv", roster+"\n"), opts, nil)
	if fast, _ := h.plan(path, opts, nil); fast.UnchangedSince != res.RunID {
		t.Fatalf("planning with other options forgot the run: unchanged since %d", fast.UnchangedSince)
	}

	// A seed of another company raises acme's generation too (the shared
	// catalogue and inventory): planned in full.
	gen = h.generation(Acme)
	if err := h.s.Seed(h.ctx, GlobexSeed()); err != nil {
		t.Fatal(err)
	}
	if h.generation(Acme) != gen+1 {
		t.Errorf("a seed of globex: acme's generation %d, want %d", h.generation(Acme), gen+1)
	}
	notTaken("after a seed", path, opts, nil)

	// A write to one user by another roster: planned in full; applying the
	// roster again makes its new run the one that answers.
	other := rosterFile(t, "other.csv", rosterHeader+"kim@acme.example,Kimberly,Lee,kim.lee@acme.example,4050,,,,,,,,,\n")
	op, _ := h.plan(other, importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Onboard}}, nil)
	gen = h.generation(Acme)
	h.applyOK(op)
	if h.generation(Acme) <= gen {
		t.Errorf("an apply left the generation at %d", h.generation(Acme))
	}
	notTaken("after another apply", path, opts, nil)
	again, _ := h.plan(path, opts, nil)
	res2 := h.applyOK(again)
	if p, _ := h.plan(path, opts, nil); p.UnchangedSince != res2.RunID {
		t.Errorf("after applying the roster again: unchanged since %d, want %d", p.UnchangedSince, res2.RunID)
	}

	// A revert of that run: planned in full.
	rec2, err := h.s.Run(h.ctx, res2.RunID)
	if err != nil {
		t.Fatal(err)
	}
	gen = h.generation(Acme)
	if _, res := revertAndApply(t, h, rec2); res.Applied == 0 {
		t.Fatalf("the revert wrote nothing")
	}
	if h.generation(Acme) <= gen {
		t.Errorf("a revert left the generation at %d", h.generation(Acme))
	}
	notTaken("after a revert", path, opts, nil)
	// Globex was never written by acme's runs.
	if g := h.generation(Globex); g != 2 {
		t.Errorf("globex's generation is %d, want 2 (its seed, acme's seed)", g)
	}
}

// testUnchangedLiveProblems: a run whose rows had problems found against
// the users and devices of the live state (judged before its own writes)
// does not answer a later re-plan.
func testUnchangedLiveProblems(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	// wcoyote is globex's: user_id.foreign, found against the live state.
	path := rosterFile(t, "roster.csv", withMistakes+"wcoyote@globex.example,Wile,Coyote,wile@acme.example,4060,,,,,,,,,\n")
	opts := importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Onboard}}
	p, _ := h.plan(path, opts, nil)
	if p.Replayable {
		t.Fatalf("a plan with a user_id.foreign row is replayable: %v", rowsOf(p))
	}
	h.applyOK(p)
	if again, _ := h.plan(path, opts, nil); again.UnchangedSince != 0 || !again.Empty() {
		t.Errorf("re-plan: unchanged since %d, %d changes; want a full, empty plan", again.UnchangedSince, len(again.Changes))
	}
}

// testUnchangedWriteBetween: a write to the company between the plan and
// its apply (a seed takes no company lock) leaves the run's end generation
// unknown: the plan did not see that write.
func testUnchangedWriteBetween(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	path := rosterFile(t, "roster.csv", cleanSync)
	opts := importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}}
	p, _ := h.plan(path, opts, nil)
	if err := h.s.Seed(h.ctx, GlobexSeed()); err != nil {
		t.Fatal(err)
	}
	h.applyOK(p)
	if again, _ := h.plan(path, opts, nil); again.UnchangedSince != 0 {
		t.Errorf("a plan applied after a write it did not see answered the re-plan (run %d)", again.UnchangedSince)
	}
	// Applied again (nothing to write) it stays so; planned, applied and
	// planned again with nothing in between, it answers.
	sc := rosterFile(t, "roster2.csv", cleanSync+"zed@acme.example,Zed,Ray,zed@acme.example,4070,,,,,,,,,\n")
	p2, _ := h.plan(sc, opts, nil)
	res := h.applyOK(p2)
	if again, _ := h.plan(sc, opts, nil); again.UnchangedSince != res.RunID {
		t.Errorf("unchanged since %d, want %d", again.UnchangedSince, res.RunID)
	}
}

// testUnchangedFailedRow: a run in which a change failed does not answer:
// its failed row is still to do.
func testUnchangedFailedRow(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	h.configure(t, ApplyOptions{BatchRows: 1})
	path := rosterFile(t, "roster.csv", cleanSync)
	opts := importer.Options{Company: Acme, Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}}
	p, _ := h.plan(path, opts, nil)
	// A change the store refuses as stale: the version the plan saw is not
	// the user's.
	stale := -1
	for i, c := range p.Changes {
		if c.Kind == plan.KindUser && c.Action == plan.Deprovision {
			p.Changes[i].Version += 7
			stale = i
			break
		}
	}
	if stale < 0 {
		t.Fatalf("the plan deprovisions nobody: %v", rowsOf(p))
	}
	res := h.apply(p)
	if len(res.Failed) == 0 {
		t.Fatalf("no change failed")
	}
	if again, _ := h.plan(path, opts, nil); again.UnchangedSince != 0 || again.Empty() {
		t.Errorf("after a run with a failed row: unchanged since %d, %d changes; want the failed row planned again", again.UnchangedSince, len(again.Changes))
	}
}
