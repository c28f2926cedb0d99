// Package storetest is the contract every live-state store of pbxsync must
// pass (importer.Store): the same suite runs against the sqlite and the
// postgres stores. It also gives other packages' tests isolated, migrated
// stores (OpenSQLite, OpenPostgres) and the fixture companies acme and globex.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Run runs the contract suite. open returns a fresh, empty store for one
// subtest (migrated or not), isolated from every other store it returns, and
// arranges for it to be closed; the subtests run in parallel.
func Run(t *testing.T, open func(t *testing.T) importer.Store) {
	h := func(f func(*testing.T, *harness)) func(*testing.T) {
		return func(t *testing.T) {
			t.Parallel()
			f(t, &harness{t: t, s: open(t), ctx: context.Background()})
		}
	}
	t.Run("MigrateTwice", h(testMigrateTwice))
	t.Run("SeedLoadRoundTrip", h(testSeedLoadRoundTrip))
	t.Run("SeedAgainUpdates", h(testSeedAgainUpdates))
	t.Run("SeedForeignObject", h(testSeedForeignObject))
	t.Run("SeedForeignReference", h(testSeedForeignReference))
	t.Run("Companies", h(testCompanies))
	t.Run("LoadMissingCompany", h(testLoadMissing))
	t.Run("LoadForeign", h(testLoadForeign))
	t.Run("Apply", func(t *testing.T) { runApplyCases(t, h) })
	t.Run("ApplyFailures", func(t *testing.T) { runFailureCases(t, h) })
	t.Run("VersionsIncrease", h(testVersionsIncrease))
	t.Run("SameExtensionOtherCompany", h(testSameExtensionOtherCompany))
	t.Run("EmptyPlan", h(testEmptyPlan))
	t.Run("ApplyMissingCompany", h(testApplyMissingCompany))
	t.Run("ConcurrentApplies", h(testConcurrentApplies))
	t.Run("PlanPredictsApply", func(t *testing.T) {
		for _, o := range []ApplyOptions{{}, {BatchRows: 3}, {BatchRows: 1}, {Atomic: true}} {
			t.Run(fmt.Sprintf("atomic=%v,rows=%d", o.Atomic, o.BatchRows), h(func(t *testing.T, h *harness) { testPlanPredictsApply(t, h, o) }))
		}
	})
	t.Run("PlanPredictsFailedRows", h(testPlanPredictsFailedRows))
	t.Run("ApplyProgress", func(t *testing.T) {
		for _, o := range []ApplyOptions{{BatchRows: 4}, {BatchRows: 1}, {Atomic: true}} {
			t.Run(fmt.Sprintf("atomic=%v,rows=%d", o.Atomic, o.BatchRows), h(func(t *testing.T, h *harness) { testApplyProgress(t, h, o) }))
		}
	})
	t.Run("NewLocationOfFailedRows", func(t *testing.T) {
		for _, c := range []struct {
			rows    int
			failing []int
		}{{1, []int{2, 3}}, {2, []int{2, 3}}, {0, []int{2, 3}}, {1, []int{2}}} {
			t.Run(fmt.Sprintf("rows=%d,failing=%v", c.rows, c.failing), h(func(t *testing.T, h *harness) {
				testNewLocationOfFailedRows(t, h, c.rows, c.failing)
			}))
		}
	})
	t.Run("StaleReads", func(t *testing.T) { runStaleCases(t, h) })
	t.Run("Revert", h(testRevert))
	t.Run("RevertRefusesChanged", h(testRevertRefusesChanged))
	t.Run("Unchanged", func(t *testing.T) { runUnchangedCases(t, h) })
	t.Run("Rename", func(t *testing.T) { runRenameCases(t, h) })  // suite_rename.go
	t.Run("Erase", h(testErase))                                  // suite_erase.go
	t.Run("Objects", func(t *testing.T) { runObjectCases(t, h) }) // suite_objects.go
}

// harness is one subtest's store and helpers that fail the test on error.
type harness struct {
	t    *testing.T
	s    importer.Store
	ctx  context.Context
	opts apply.Options // how h.apply applies (h.configure)
}

// ready migrates the store and seeds it.
func (h *harness) ready(seeds ...*pbx.Seed) {
	h.t.Helper()
	if err := h.s.Migrate(h.ctx); err != nil {
		h.t.Fatalf("Migrate: %v", err)
	}
	for _, sd := range seeds {
		if err := h.s.Seed(h.ctx, sd); err != nil {
			h.t.Fatalf("Seed %s: %v", sd.Company.ID, err)
		}
	}
}

func (h *harness) load(company string) *pbx.State {
	h.t.Helper()
	st, err := h.s.Load(h.ctx, company)
	if err != nil {
		h.t.Fatalf("Load %s: %v", company, err)
	}
	return st
}

func (h *harness) apply(p *plan.Plan) *plan.Result {
	h.t.Helper()
	res, err := h.s.Apply(h.ctx, p, h.opts)
	if err != nil {
		h.t.Fatalf("Apply: %v", err)
	}
	if res == nil {
		h.t.Fatalf("Apply returned no result and no error")
	}
	return res
}

// applyOK applies p and fails the test unless every change was written.
func (h *harness) applyOK(p *plan.Plan) *plan.Result {
	h.t.Helper()
	res := h.apply(p)
	if res.Rollback || len(res.Failed) > 0 {
		h.t.Fatalf("Apply rolled back: %+v", res.Failed)
	}
	if res.Applied != len(p.Changes) {
		h.t.Errorf("Applied = %d, want %d", res.Applied, len(p.Changes))
	}
	if res.RunID <= 0 {
		h.t.Errorf("RunID = %d, want a recorded run", res.RunID)
	}
	return res
}

// checkRun checks the audit log's record of run id.
func (h *harness) checkRun(id int64, want string, changes []string) {
	h.t.Helper()
	rec, err := h.s.Run(h.ctx, id)
	if err != nil {
		h.t.Fatalf("Run(%d): %v", id, err)
	}
	got, gotChanges := string(rec.Outcome), make([]string, len(rec.Outcomes))
	for i, c := range rec.Outcomes {
		gotChanges[i] = c.Outcome
	}
	if got != want {
		h.t.Errorf("run %d outcome = %q, want %q", id, got, want)
	}
	if len(gotChanges) != len(changes) {
		h.t.Fatalf("run %d change outcomes = %q, want %q", id, gotChanges, changes)
	}
	for i := range changes {
		if gotChanges[i] != changes[i] {
			h.t.Errorf("run %d change %d outcome = %q, want %q", id, i, gotChanges[i], changes[i])
		}
	}
}

func repeat(s string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func testMigrateTwice(t *testing.T, h *harness) {
	for i := 0; i < 2; i++ {
		if err := h.s.Migrate(h.ctx); err != nil {
			t.Fatalf("Migrate #%d: %v", i+1, err)
		}
	}
	h.ready(AcmeSeed())
	if err := h.s.Migrate(h.ctx); err != nil {
		t.Fatalf("Migrate after seeding: %v", err)
	}
	checkState(t, h.load(Acme), StateOf(AcmeSeed()))
}

func testSeedLoadRoundTrip(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	checkState(t, h.load(Acme), StateOf(AcmeSeed()))
	want := StateOf(GlobexSeed())
	for _, m := range Models() {
		want.Models[m.Name] = &m
	}
	checkState(t, h.load(Globex), want)
}

func testSeedAgainUpdates(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	sd := AcmeSeed()
	sd.Company.Name = "Acme Corporation"
	sd.Users[0].FirstName = "Johnny"
	sd.Numbers[3].Label = "Spare"
	sd.Sites[0].Reserved = []pbx.ExtRange{{From: "9000", To: "9099"}}
	if err := h.s.Seed(h.ctx, sd); err != nil {
		t.Fatalf("Seed again: %v", err)
	}
	want := StateOf(sd)
	for _, u := range want.Users {
		u.Version = 2 // every seeded user is written again
	}
	for _, n := range want.Numbers {
		n.Version = 2
	}
	for _, x := range want.Devices {
		x.Version = 2
	}
	for _, x := range want.Lines {
		x.Version = 2
	}
	for _, x := range want.Locations {
		x.Version = 2
	}
	checkState(t, h.load(Acme), want)
}

func testSeedForeignObject(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	sd := GlobexSeed()
	sd.Users = append(sd.Users, pbx.User{ID: JDoe, FirstName: "Impostor", Status: pbx.StatusActive})
	err := h.s.Seed(h.ctx, sd)
	if !errors.Is(err, pbx.ErrConflict) {
		t.Fatalf("seeding globex with acme's user: err = %v, want one wrapping pbx.ErrConflict", err)
	}
	checkState(t, h.load(Acme), StateOf(AcmeSeed()))
	if _, err := h.s.Load(h.ctx, Globex); !errors.Is(err, pbx.ErrNotFound) {
		t.Errorf("the failed seed left company globex behind: Load err = %v", err)
	}
}

// testSeedForeignReference: a seed's device line or number member that
// names another company's device, number or user is refused, and that
// company's rows are left as they were (lines and members carry no company
// of their own, so only this check keeps a seed inside its company).
func testSeedForeignReference(t *testing.T, h *harness) {
	for _, tc := range []struct {
		name string
		add  func(sd *pbx.Seed)
	}{
		{"line on globex's phone", func(sd *pbx.Seed) {
			sd.Lines = append(sd.Lines, pbx.DeviceLine{MAC: GlobexMAC, Port: 1, User: JDoe, Lines: 1})
		}},
		{"line with globex's number", func(sd *pbx.Seed) {
			sd.Lines = append(sd.Lines, pbx.DeviceLine{MAC: DeskPhone, Port: 1, User: JDoe, Number: GlobexNumber, Lines: 1})
		}},
		{"member of globex's number", func(sd *pbx.Seed) {
			sd.Members = append(sd.Members, pbx.Member{Number: GlobexNumber, User: JDoe, Role: pbx.RoleOutboundOnly})
		}},
		{"globex's user on acme's number", func(sd *pbx.Seed) {
			sd.Members = append(sd.Members, pbx.Member{Number: Pool(1), User: WCoyote, Role: pbx.RoleOutboundOnly})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h.ready(AcmeSeed(), GlobexSeed())
			acme, globex := h.load(Acme), h.load(Globex)
			sd := AcmeSeed()
			tc.add(sd)
			if err := h.s.Seed(h.ctx, sd); !errors.Is(err, pbx.ErrConflict) {
				t.Fatalf("seed: err = %v, want one wrapping pbx.ErrConflict", err)
			}
			checkState(t, h.load(Globex), globex)
			checkState(t, h.load(Acme), acme)
		})
	}
}

func testCompanies(t *testing.T, h *harness) {
	h.ready()
	cs, err := h.s.Companies(h.ctx)
	if err != nil || len(cs) != 0 {
		t.Fatalf("Companies of an empty store = %v, %v; want none", cs, err)
	}
	h.ready(GlobexSeed(), AcmeSeed())
	cs, err = h.s.Companies(h.ctx)
	if err != nil {
		t.Fatalf("Companies: %v", err)
	}
	want := []pbx.Company{AcmeSeed().Company, GlobexSeed().Company}
	if len(cs) != len(want) || cs[0] != want[0] || cs[1] != want[1] {
		t.Errorf("Companies = %+v, want %+v", cs, want)
	}
}

func testLoadMissing(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	st, err := h.s.Load(h.ctx, "initech")
	if !errors.Is(err, pbx.ErrNotFound) {
		t.Fatalf("Load of a missing company: state %v, err %v; want an error wrapping pbx.ErrNotFound", st, err)
	}
}

func testLoadForeign(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	keys := pbx.Keys{
		Users:   []pbx.UserID{WCoyote, JDoe, "nobody@acme.example"},
		Emails:  []string{"WILE@globex.example", "ann.smith@acme.example"},
		Numbers: []pbx.E164{GlobexNumber, Pool(0), "+14155550177"},
		MACs:    []pbx.MAC{GlobexMAC, DeskPhone, "805ec0000000"},
	}
	// Found by user ID, and (separately) by e-mail only.
	for _, k := range []pbx.Keys{keys, {Emails: keys.Emails}} {
		st := pbx.NewState(AcmeSeed().Company)
		if err := h.s.LoadForeign(h.ctx, st, k); err != nil {
			t.Fatalf("LoadForeign: %v", err)
		}
		want := pbx.NewState(AcmeSeed().Company)
		g := StateOf(GlobexSeed())
		want.Users[WCoyote] = g.Users[WCoyote]
		if len(k.Numbers) > 0 {
			want.Numbers[GlobexNumber] = g.Numbers[GlobexNumber]
			want.Devices[GlobexMAC] = g.Devices[GlobexMAC]
		}
		checkState(t, st, want)
	}
	// Nothing of the state's own company is added.
	st := pbx.NewState(GlobexSeed().Company)
	if err := h.s.LoadForeign(h.ctx, st, pbx.Keys{Users: []pbx.UserID{WCoyote}, Numbers: []pbx.E164{GlobexNumber}, MACs: []pbx.MAC{GlobexMAC}}); err != nil {
		t.Fatalf("LoadForeign: %v", err)
	}
	checkState(t, st, pbx.NewState(GlobexSeed().Company))
}

func testVersionsIncrease(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	for v := int64(1); v <= 3; v++ {
		h.applyOK(NewPlan(Acme, Change(plan.KindUser, plan.Update, string(JDoe), v, plan.AttrCallerID, "anonymous")))
		if got := h.load(Acme).Users[JDoe].Version; got != v+1 {
			t.Fatalf("after update %d: version %d, want %d", v, got, v+1)
		}
	}
	// The version a plan saw before the last update is now stale.
	res := h.apply(NewPlan(Acme, Change(plan.KindUser, plan.Update, string(JDoe), 3, plan.AttrFirstName, "J")))
	if res.Rollback || res.Applied != 0 || len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, pbx.ErrStale) {
		t.Fatalf("update at an old version: %+v, want it failed wrapping pbx.ErrStale", res)
	}
	if u := h.load(Acme).Users[JDoe]; u.FirstName != "John" || u.Version != 4 {
		t.Errorf("after the stale update: %+v, want it unchanged at version 4", u)
	}
}

func testSameExtensionOtherCompany(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	// asmith has 4022 in acme; globex may give 4022 to its own user.
	h.applyOK(NewPlan(Globex, Change(plan.KindUser, plan.Create, "rrunner@globex.example", 0,
		plan.AttrCompany, Globex, plan.AttrFirstName, "Road", plan.AttrLastName, "Runner",
		plan.AttrEmail, "rr@globex.example", plan.AttrExtension, "4022", plan.AttrStatus, "active")))
	if u := h.load(Globex).Users["rrunner@globex.example"]; u == nil || u.Extension != "4022" {
		t.Errorf("globex user with acme's extension: %+v", u)
	}
	checkState(t, h.load(Acme), StateOf(AcmeSeed()))
}

func testEmptyPlan(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	res := h.apply(NewPlan(Acme))
	if res.Rollback || len(res.Failed) != 0 || res.Applied != 0 || res.RunID != 0 {
		t.Errorf("empty plan: %+v, want nothing written and no run", res)
	}
	// The next run gets the first id: the empty plan recorded nothing.
	first := h.applyOK(NewPlan(Acme, Change(plan.KindUser, plan.Update, string(JDoe), 1, plan.AttrCallerID, "")))
	second := h.applyOK(NewPlan(Acme, Change(plan.KindUser, plan.Update, string(JDoe), 2, plan.AttrCallerID, "anonymous")))
	if second.RunID <= first.RunID {
		t.Errorf("run ids %d then %d, want increasing", first.RunID, second.RunID)
	}
}

func testApplyMissingCompany(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	res, err := h.s.Apply(h.ctx, NewPlan("initech", Change(plan.KindUser, plan.Update, "x@initech.example", 1, plan.AttrFirstName, "X")), h.opts)
	if !errors.Is(err, pbx.ErrNotFound) {
		t.Fatalf("Apply for a missing company: %+v, %v; want an error wrapping pbx.ErrNotFound", res, err)
	}
}
