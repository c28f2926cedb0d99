package storetest

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// progressCalls records the calls of apply.Options.Progress.
type progressCalls struct{ done, total []int }

func (c *progressCalls) add(done, total int) {
	c.done = append(c.done, done)
	c.total = append(c.total, total)
}

// rowsWithChanges counts the rows (roster rows and leavers) of p that have
// changes: what Progress counts.
func rowsWithChanges(p *plan.Plan) int {
	n := 0
	for _, r := range p.Rows {
		if len(r.Changes) > 0 {
			n++
		}
	}
	return n
}

// testApplyProgress: an apply in batches tells Progress the rows done
// once before the first batch (0) and after each batch it commits, going
// up to the plan's rows; an atomic apply, before and after its one
// transaction.
func testApplyProgress(t *testing.T, h *harness, opts ApplyOptions) {
	sc := Mixed(25)
	h.ready(sc.Seed)
	h.configure(t, opts)
	st := h.load(Acme)
	p, err := sc.Plan(st, sc.Rows(st))
	if err != nil {
		t.Fatal(err)
	}
	var calls progressCalls
	h.opts.Progress = calls.add
	res := h.applyOK(p)
	rec, err := h.s.Run(h.ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	batches := len(apply.Batches(p, opts.BatchRows))
	if opts.Atomic {
		batches = 1
	}
	if rec.Batches != batches {
		t.Errorf("the run committed %d batches, want %d", rec.Batches, batches)
	}
	total := rowsWithChanges(p)
	t.Logf("%d batches, progress %v of %d", batches, calls.done, total)
	if len(calls.done) != batches+1 {
		t.Fatalf("Progress called %d times (%v), want once before the first batch and once after each of %d", len(calls.done), calls.done, batches)
	}
	for i, done := range calls.done {
		if calls.total[i] != total {
			t.Errorf("call %d: total %d, want the plan's %d rows", i, calls.total[i], total)
		}
		if i == 0 && done != 0 || i > 0 && done <= calls.done[i-1] {
			t.Errorf("progress %v: want 0, then rising with each batch", calls.done)
			break
		}
	}
	if last := calls.done[len(calls.done)-1]; last != total {
		t.Errorf("progress ends at %d, want %d", last, total)
	}
}

// locationRoster is acme with four joiners: rows 2 and 3 at a new E911
// address (Lab), rows 4 and 5 at hq's.
func locationRoster(t *testing.T, h *harness) (*pbx.State, *plan.Plan) {
	t.Helper()
	sc := Onboarding(4)
	sc.Rows = func(st *pbx.State) []*pbx.Row {
		var rows []*pbx.Row
		for i, addr := range []pbx.Address{Lab, Lab, HQ, HQ} {
			id := pbx.UserID(fmt.Sprintf("joiner%d@acme.example", i))
			rows = append(rows, Joiner(i+2, id, pbx.Extension(fmt.Sprint(5000+i)), ScenarioPool(i), pbx.MAC(fmt.Sprintf("805ec0ee%04x", i)), "yealink-t42g", 1, addr))
		}
		return rows
	}
	h.ready(sc.Seed)
	st := h.load(Acme)
	p, err := sc.Plan(st, sc.Rows(st))
	if err != nil {
		t.Fatal(err)
	}
	if p.Summary.Invalid+p.Summary.Conflict > 0 {
		t.Fatalf("the roster does not plan cleanly: %s", p.Summary)
	}
	return st, p
}

// testNewLocationOfFailedRows: a new E911 location that only failing rows
// need is not left created. Two rows at a new address and two at hq's are
// planned; then the numbers of rows at the new address change (another
// run), so those rows fail as stale. With every row of the address failing,
// the location is not written either, whatever the batch size; with one
// of them written, it is, with that row.
func testNewLocationOfFailedRows(t *testing.T, h *harness, rows int, failing []int) {
	_, p := locationRoster(t, h)
	h.configure(t, ApplyOptions{BatchRows: rows})
	loc := string(pbx.LocationID(Lab))
	locChange := -1
	for i, c := range p.Changes {
		if c.Kind == plan.KindLocation && c.Key == loc && c.Action == plan.Create {
			locChange = i
		}
	}
	if locChange < 0 {
		t.Fatalf("the plan creates no location %s", loc)
	}
	for _, line := range failing { // someone relabels the row's number since the plan
		n := ScenarioPool(line - 2)
		h.applyOK(NewPlan(Acme, Change(plan.KindNumber, plan.Update, string(n), 1, plan.AttrLabel, "taken")))
	}
	before := h.load(Acme)
	res := h.apply(p)
	if res.Rollback {
		t.Fatalf("a batched apply rolled back: %+v", res)
	}
	out := RowOutcomes(p, res)
	isFailing := map[int]bool{}
	for _, line := range failing {
		isFailing[line] = true
	}
	for _, r := range p.Rows {
		key := fmt.Sprintf("%d %s", r.Line, r.Key)
		if got := out[key]; isFailing[r.Line] != strings.HasPrefix(got, "failed") {
			t.Errorf("row %s: %s", key, got)
		} else if isFailing[r.Line] && !strings.Contains(got, "plan again") {
			t.Errorf("row %s: %s; want the stale number's reason", key, got)
		}
	}
	allFail := len(failing) == 2
	failed := map[int]plan.Outcome{}
	for _, o := range res.Failed {
		failed[o.Change] = o
	}
	lo, locFailed := failed[locChange]
	if locFailed != allFail {
		t.Fatalf("location change left out: %v (%s), want %v", locFailed, lo.Reason, allFail)
	}
	if allFail {
		if !strings.Contains(lo.Reason, "no row that needs it was written") || !errors.Is(lo.Err, pbx.ErrStale) {
			t.Errorf("the location's reason %q (%v): want it to say its rows failed, wrapping pbx.ErrStale", lo.Reason, lo.Err)
		}
	}
	got := h.load(Acme)
	if l, ok := got.Locations[pbx.LocationID(Lab)]; ok == allFail {
		t.Errorf("location %s in the store: %+v; want it there only if a row at it was written", loc, l)
	}
	want, err := Predict(before, p, func(i int) bool { _, ok := failed[i]; return !ok })
	if err != nil {
		t.Fatal(err)
	}
	checkState(t, got, want)
	changes := make([]string, len(p.Changes))
	for i := range changes {
		changes[i] = plan.ChangeApplied
		if o, ok := failed[i]; ok {
			changes[i] = plan.ChangeSkipped
			if !strings.HasPrefix(o.Reason, "not written") {
				changes[i] = plan.ChangeFailed
			}
		}
	}
	h.checkRun(res.RunID, "partial", changes)
}
