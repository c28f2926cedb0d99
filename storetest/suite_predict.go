package storetest

import (
	"errors"
	"fmt"
	"sort"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// RowOutcomes says, for each row of p that has changes, whether applying
// wrote it ("applied") or left it out ("failed: " and the reason of its first
// change not written), from the Result of Apply: a row failed when any of
// its changes is in Result.Failed.
func RowOutcomes(p *plan.Plan, res *plan.Result) map[string]string {
	failed := map[int]plan.Outcome{}
	for _, o := range res.Failed {
		failed[o.Change] = o
	}
	out := map[string]string{}
	for _, r := range p.Rows {
		if len(r.Changes) == 0 {
			continue
		}
		key := fmt.Sprintf("%d %s", r.Line, r.Key)
		out[key] = "applied"
		for _, ci := range r.Changes {
			if o, ok := failed[ci]; ok || res.Rollback {
				out[key] = "failed: " + o.Reason
				break
			}
		}
	}
	return out
}

// testPlanPredictsApply: what a plan says is what applying it does. A
// roster of every kind of change is planned against the store and applied in
// batches of several sizes (and atomically): the store ends exactly as the
// plan predicts, object by object and version by version, every row's
// outcome is applied, the audit log holds each change with the version it
// left, and planning the roster again finds nothing to do.
func testPlanPredictsApply(t *testing.T, h *harness, opts ApplyOptions) {
	sc := Mixed(25)
	h.ready(sc.Seed, GlobexSeed())
	h.configure(t, opts)
	before := h.load(Acme)
	rows := sc.Rows(before)
	p, err := sc.Plan(before, rows)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[plan.Action]int{}
	for _, c := range p.Changes {
		actions[c.Action]++
	}
	for _, a := range []plan.Action{plan.Create, plan.Update, plan.Assign, plan.Unassign, plan.Move, plan.Deprovision, plan.Delete} {
		if actions[a] == 0 {
			t.Fatalf("the scenario's plan has no %s change: %v", a, actions)
		}
	}
	members := map[plan.Action]int{}
	for _, c := range p.Changes {
		if c.Kind == plan.KindMember {
			members[c.Action]++
		}
	}
	if members[plan.Create] == 0 || members[plan.Delete] == 0 {
		t.Fatalf("the scenario's plan does not both add and remove number members: %v", members)
	}
	res := h.applyOK(p)
	want, err := Predict(before, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkState(t, h.load(Acme), want)
	checkState(t, h.load(Globex), globexState())
	for row, o := range RowOutcomes(p, res) {
		if o != "applied" {
			t.Errorf("row %s: %s", row, o)
		}
	}
	rec, err := h.s.Run(h.ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Outcome != plan.RunApplied || rec.Applied != len(p.Changes) || rec.Changes != len(p.Changes) || rec.Atomic != opts.Atomic {
		t.Errorf("run record %+v", rec.Run)
	}
	for i, rc := range rec.Outcomes {
		ch := p.Changes[i]
		if rc.Outcome != plan.ChangeApplied {
			t.Errorf("change %d recorded %q", i, rc.Outcome)
		}
		if v := versionOf(want, ch.Kind, ch.Key); rc.AfterVersion != v && !laterChange(p, i) {
			t.Errorf("change %d (%s %s %s): recorded after-version %d, the store holds version %d", i, ch.Action, ch.Kind, ch.Key, rc.AfterVersion, v)
		}
	}
	again, err := sc.Plan(h.load(Acme), rows)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Empty() {
		t.Errorf("planning the roster again after applying it: %d changes, want none: %+v", len(again.Changes), again.Changes)
	}
}

// laterChange reports whether another change of the plan after i writes the
// same object (then i's after-version is not the final one).
func laterChange(p *plan.Plan, i int) bool {
	for _, c := range p.Changes[i+1:] {
		if c.Kind == p.Changes[i].Kind && c.Key == p.Changes[i].Key {
			return true
		}
	}
	return false
}

// versionOf is the version an object has in st, 0 when it is not there.
func versionOf(st *pbx.State, k plan.Kind, key string) int64 {
	switch k {
	case plan.KindUser:
		if x := st.Users[pbx.UserID(key)]; x != nil {
			return x.Version
		}
	case plan.KindNumber:
		if x := st.Numbers[pbx.E164(key)]; x != nil {
			return x.Version
		}
	case plan.KindDevice:
		if x := st.Devices[pbx.MAC(key)]; x != nil {
			return x.Version
		}
	case plan.KindLine:
		if x := st.Lines[key]; x != nil {
			return x.Version
		}
	case plan.KindLocation:
		if x := st.Locations[key]; x != nil {
			return x.Version
		}
	case plan.KindMember:
		for _, m := range st.Members {
			if plan.MemberKey(m.Number, m.User) == key {
				return plan.MemberVersion
			}
		}
	case plan.KindHuntMember:
		if g, u, err := plan.SplitHuntMemberKey(key); err == nil && st.Hunts[g] != nil {
			if _, ok := st.Hunts[g].Member(u); ok {
				return plan.MemberVersion
			}
		}
	}
	return 0
}

// testPlanPredictsFailedRows: when a row's objects changed after planning,
// the rows that go with it are reported failed with the reason, and every
// other row is written exactly as planned.
func testPlanPredictsFailedRows(t *testing.T, h *harness) {
	sc := Mixed(25)
	h.ready(sc.Seed)
	h.configure(t, ApplyOptions{BatchRows: 4})
	st := h.load(Acme)
	p, err := sc.Plan(st, sc.Rows(st))
	if err != nil {
		t.Fatal(err)
	}
	// Someone changes jdoe after the plan was made.
	h.applyOK(NewPlan(Acme, Change(plan.KindUser, plan.Update, string(JDoe), 1, plan.AttrCallerID, "anonymous")))
	before := h.load(Acme)
	res := h.apply(p)
	if res.Rollback {
		t.Fatalf("a batched apply rolled back: %+v", res)
	}
	// jdoe's row and asmith's (they swap extensions and a number) fail.
	out := RowOutcomes(p, res)
	var failedRows []string
	for row, o := range out {
		if o != "applied" {
			failedRows = append(failedRows, row)
		}
	}
	sort.Strings(failedRows)
	if want := []string{"2 " + string(JDoe), "3 " + string(ASmith)}; fmt.Sprint(failedRows) != fmt.Sprint(want) {
		t.Fatalf("failed rows %v, want %v (outcomes %v)", failedRows, want, out)
	}
	left := map[int]bool{}
	stale := 0
	for _, o := range res.Failed {
		left[o.Change] = true
		if errors.Is(o.Err, pbx.ErrStale) && o.Reason != "" && !isSkipped(o) {
			stale++
		}
	}
	if stale != 1 {
		t.Errorf("%d changes failed stale, want jdoe's one: %+v", stale, res.Failed)
	}
	for _, r := range p.Rows {
		if r.Line == 2 || r.Line == 3 {
			for _, ci := range r.Changes {
				if !left[ci] {
					t.Errorf("change %d of row %d written", ci, r.Line)
				}
			}
		}
	}
	want, err := Predict(before, p, func(i int) bool { return !left[i] })
	if err != nil {
		t.Fatal(err)
	}
	checkState(t, h.load(Acme), want)
	if res.Applied != len(p.Changes)-len(left) {
		t.Errorf("Applied %d, want %d", res.Applied, len(p.Changes)-len(left))
	}
	runs, err := h.s.Runs(h.ctx, Acme, 1)
	if err != nil || len(runs) != 1 || runs[0].Outcome != plan.RunPartial || runs[0].Applied != res.Applied ||
		runs[0].Failed != 1 || runs[0].Skipped != len(left)-1 {
		t.Errorf("run %+v, %v; want partial, %d applied, 1 failed, %d skipped", runs, err, res.Applied, len(left)-1)
	}
}

func isSkipped(o plan.Outcome) bool {
	return len(o.Reason) >= len("not written") && o.Reason[:len("not written")] == "not written"
}
