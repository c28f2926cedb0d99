package storetest

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// applyScenario applies the Mixed roster to a fresh acme and returns the
// state before and the run's record.
func applyScenario(t *testing.T, h *harness, n int) (*pbx.State, *plan.RunRecord) {
	t.Helper()
	sc := Mixed(n)
	h.ready(sc.Seed)
	h.configure(t, ApplyOptions{BatchRows: 4})
	before := h.load(Acme)
	p, err := sc.Plan(before, sc.Rows(before))
	if err != nil {
		t.Fatal(err)
	}
	res := h.applyOK(p)
	rec, err := h.s.Run(h.ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	return before, rec
}

// revertAndApply plans the revert of rec against the live state and
// applies it.
func revertAndApply(t *testing.T, h *harness, rec *plan.RunRecord) (*plan.Plan, *plan.Result) {
	t.Helper()
	rp, err := plan.Revert(h.load(Acme), rec)
	if err != nil {
		t.Fatalf("Revert: %v", err)
	}
	return rp, h.apply(rp)
}

// testRevert: the revert of a run brings every object the run wrote back to
// what it was (numbers to their users or the pool with their routing, ports
// freed or given back, leavers active again, swapped extensions swapped
// back), disables the users it created (never deletes them), and leaves the
// devices and locations it created in the inventory.
func testRevert(t *testing.T, h *harness) {
	before, rec := applyScenario(t, h, 10)
	rp, res := revertAndApply(t, h, rec)
	if len(res.Failed) > 0 || res.Rollback {
		t.Fatalf("applying the revert: %+v", res)
	}
	for _, r := range rp.Rows {
		if r.Status == plan.StatusConflict {
			t.Errorf("row %d %s refused: %v", r.Line, r.Key, r.Problems[0])
		}
	}
	after := h.load(Acme)
	want := CopyState(before)
	for id, u := range after.Users {
		if _, ok := before.Users[id]; !ok {
			if u.Status != pbx.StatusDeprovisioned {
				t.Errorf("user %s that the run created is %s after the revert, want deprovisioned", id, u.Status)
			}
			want.Users[id] = u
		}
	}
	for m, d := range after.Devices {
		if _, ok := before.Devices[m]; !ok {
			want.Devices[m] = d
		}
	}
	for k, l := range after.Locations {
		if _, ok := before.Locations[k]; !ok {
			want.Locations[k] = l
		}
	}
	checkState(t, withoutVersions(after), withoutVersions(want))
	if !strings.Contains(strings.Join(rp.Notes, "\n"), "reverts run") {
		t.Errorf("notes %q do not say which run is reverted", rp.Notes)
	}
	runs, err := h.s.Runs(h.ctx, Acme, 0)
	if err != nil || len(runs) != 2 || runs[0].Outcome != plan.RunApplied {
		t.Errorf("runs after the revert: %+v, %v", runs, err)
	}
	// Nothing is left to revert twice: every object moved on since.
	again, err := plan.Revert(h.load(Acme), rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again.Rows {
		if r.Status != plan.StatusConflict && len(r.Changes) > 0 {
			t.Errorf("reverting the run a second time plans row %d %s: %v", r.Line, r.Key, r.Changes)
		}
	}
}

// testRevertRefusesChanged: a row whose objects changed since the run is
// refused, and says which object; the others are reverted.
func testRevertRefusesChanged(t *testing.T, h *harness) {
	_, rec := applyScenario(t, h, 10)
	changed := pbx.UserID("joiner0001@acme.example")
	h.applyOK(NewPlan(Acme, Change(plan.KindUser, plan.Update, string(changed), 1, plan.AttrCallerID, "anonymous")))
	rp, res := revertAndApply(t, h, rec)
	if len(res.Failed) > 0 {
		t.Fatalf("applying the revert: %+v", res.Failed)
	}
	var refused []plan.RowPlan
	for _, r := range rp.Rows {
		if r.Status == plan.StatusConflict {
			refused = append(refused, r)
		}
	}
	if len(refused) != 1 || refused[0].Key != string(changed) || refused[0].Problems[0].Code != plan.CodeRevertChanged ||
		!strings.Contains(refused[0].Problems[0].Message, "user "+string(changed)+" changed since run") {
		t.Fatalf("refused rows %+v, want only %s's, saying it changed since the run", refused, changed)
	}
	t.Logf("refused: %s", refused[0].Problems[0].Message)
	after := h.load(Acme)
	if u := after.Users[changed]; u.Status != pbx.StatusActive || u.CallerID != "anonymous" {
		t.Errorf("the refused row's user: %+v, want it left as it is", u)
	}
	if u := after.Users["joiner0002@acme.example"]; u.Status != pbx.StatusDeprovisioned {
		t.Errorf("another joiner after the revert: %+v, want deprovisioned", u)
	}
	if n := after.Numbers[ScenarioPool(1)]; n.Target != pbx.UserTarget(changed) {
		t.Errorf("the refused row's number: %+v, want it still assigned", n)
	}
	if n := after.Numbers[ScenarioPool(2)]; n.Target != "" || n.Routing != "aa:main" {
		t.Errorf("another joiner's number after the revert: %+v, want it back in the pool, routed to aa:main", n)
	}
}

// withoutVersions copies st with every version zero.
func withoutVersions(st *pbx.State) *pbx.State {
	c := CopyState(st)
	for _, x := range c.Users {
		x.Version = 0
	}
	for _, x := range c.Numbers {
		x.Version = 0
	}
	for _, x := range c.Devices {
		x.Version = 0
	}
	for _, x := range c.Lines {
		x.Version = 0
	}
	for _, x := range c.Locations {
		x.Version = 0
	}
	return c
}
