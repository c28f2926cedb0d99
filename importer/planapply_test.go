package importer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
)

// A roster applied slice by slice as it is planned (PlanApply) and cut off
// after its first slice (Ctrl-C) leaves that slice written and recorded,
// the run interrupted, and the rest not written; applying it again writes
// the rest, in one run that records every row, and planning after that
// finds nothing to do.
func TestPlanApplyCutOffAndResumed(t *testing.T) {
	ctx := context.Background()
	st, src := sixRows(t)
	opts := importer.Options{Full: true, Slice: 1}

	cut, cancel := context.WithCancel(ctx)
	slices, changes := 0, 0
	p, _, res, written, err := importer.PlanApply(cut, st, src, opts, apply.Options{}, func(q *plan.Plan, r *plan.Result) {
		slices++
		changes += r.Applied
		cancel() // after the first slice: the second is not written
	})
	if !errors.Is(err, context.Canceled) || !written || p != nil {
		t.Fatalf("cut off: written %v, plan %v, err %v", written, p != nil, err)
	}
	if slices != 1 || changes == 0 || res == nil || res.Applied != changes || res.RunID == 0 {
		t.Fatalf("cut off: %d slices written, %d changes, result %+v", slices, changes, res)
	}
	rec, err := st.Run(ctx, res.RunID)
	must(t, err)
	if rec.Outcome != plan.RunInterrupted || rec.Applied != changes {
		t.Errorf("the cut-off run is recorded %s with %d changes applied; want interrupted with %d", rec.Outcome, rec.Applied, changes)
	}
	// The live state is as reported: the first row written, the others not.
	left := writtenUpTo(t, st, src, 2, "the cut-off run")

	p, _, res, written, err = importer.PlanApply(ctx, st, src, opts, apply.Options{}, nil)
	must(t, err)
	if !written || res.Applied != len(left.Changes) || p.Written() != len(left.Changes) || len(p.Changes) != 0 || len(p.Rows) != 6 {
		t.Fatalf("run again: written %v, applied %d, plan %d written + %d held, %d rows; want the %d changes left, 6 rows",
			written, res.Applied, p.Written(), len(p.Changes), len(p.Rows), len(left.Changes))
	}
	rec, err = st.Run(ctx, res.RunID)
	must(t, err)
	if rec.Outcome != plan.RunApplied || rec.Changes != len(left.Changes) || len(rec.Plan.Rows) != 6 {
		t.Errorf("the second run is recorded %s with %d changes and %d rows; want applied, %d, 6", rec.Outcome, rec.Changes, len(rec.Plan.Rows), len(left.Changes))
	}
	for i, o := range rec.Outcomes {
		if o.Outcome != plan.ChangeApplied || rec.Plan.Changes[i].Kind == "" {
			t.Errorf("change %d of the second run: %s %+v", i, o.Outcome, rec.Plan.Changes[i])
		}
	}
	again, _, err := importer.Plan(ctx, st, src, importer.Options{})
	must(t, err)
	if !again.Empty() || again.UnchangedSince != res.RunID {
		t.Errorf("planned again: %d changes, unchanged since run %d; want none, since run %d", len(again.Changes), again.UnchangedSince, res.RunID)
	}
}

// pacedStore is a store whose ApplySlices hands each slice's write to
// before first, with the slice's number (0, 1... in the order written).
type pacedStore struct {
	*sqlite.Store
	before func(k int, q *plan.Plan) error
	writes int // the slices handed to write
}

func (s *pacedStore) ApplySlices(ctx context.Context, o apply.Options, slices func(write func(q *plan.Plan) (*plan.Result, error)) (*plan.Plan, error)) (*plan.Result, error) {
	return s.Store.ApplySlices(ctx, o, func(write func(q *plan.Plan) (*plan.Result, error)) (*plan.Plan, error) {
		return slices(func(q *plan.Plan) (*plan.Result, error) {
			k := s.writes
			s.writes++
			if err := s.before(k, q); err != nil {
				return nil, err
			}
			return write(q)
		})
	})
}

// planningSeen follows the slices whose planning has started
// (importer.SetSlicePlanning) for the length of the test: started(k) is
// closed when slice k's starts.
func planningSeen(t *testing.T, n int) (started func(k int) <-chan struct{}) {
	ch := make([]chan struct{}, n)
	for k := range ch {
		ch[k] = make(chan struct{})
	}
	old := importer.SetSlicePlanning(func(k int) {
		if k < n {
			close(ch[k])
		}
	})
	t.Cleanup(func() { importer.SetSlicePlanning(old) })
	return func(k int) <-chan struct{} { return ch[k] }
}

// sixRows seeds a store and writes a roster of six new users, joined by
// nothing: in slices of one row, six slices.
func sixRows(t *testing.T) (*sqlite.Store, importer.Source) {
	t.Helper()
	st := propertyStore(t)
	var b strings.Builder
	b.WriteString("User ID,First Name,Last Name,Email,Extension\n")
	for u := range 6 {
		fmt.Fprintf(&b, "u%d@acme.example,First%d,Last%d,u%d@acme.example,20%02d\n", u, u, u, u, 10+u)
	}
	return st, importer.Source{Path: writeFile(t, "six.csv", b.String())}
}

// Each slice is written while the next is planned: the write of slice k
// does not start until the planning of slice k+1 has, which it could not
// if the planning waited for the write. The slices are still written one
// at a time, in order, and the run is as one plan applied.
func TestPlanApplyOverlapsWritingAndPlanning(t *testing.T) {
	ctx := context.Background()
	base, src := sixRows(t)
	started := planningSeen(t, 6)
	var writing atomic.Int32 // slices being written at once
	s := &pacedStore{Store: base}
	s.before = func(k int, q *plan.Plan) error {
		if n := writing.Add(1); n != 1 {
			t.Errorf("slice %d: %d slices written at once", k, n)
		}
		defer writing.Add(-1)
		if len(q.Rows) != 1 || q.Rows[0].Line != k+2 {
			t.Errorf("slice %d written with rows %+v; want line %d alone", k, q.Rows, k+2)
		}
		if k == 5 {
			return nil
		}
		select {
		case <-started(k + 1):
			return nil
		case <-time.After(10 * time.Second):
			return fmt.Errorf("slice %d: the next slice was not planned while it was written", k)
		}
	}
	var order []int
	p, _, res, written, err := importer.PlanApply(ctx, s, src, importer.Options{Full: true, Slice: 1}, apply.Options{}, func(q *plan.Plan, r *plan.Result) {
		order = append(order, q.Rows[0].Line)
	})
	must(t, err)
	if !written || s.writes != 6 || !slices.Equal(order, []int{2, 3, 4, 5, 6, 7}) {
		t.Fatalf("written %v, %d slices handed to write, heard in the order %v; want 6, lines 2 to 7", written, s.writes, order)
	}
	if len(p.Rows) != 6 || p.Written() != res.Applied || res.Applied == 0 || len(res.Failed) != 0 {
		t.Errorf("the run's plan: %d rows, %d changes written; result %+v", len(p.Rows), p.Written(), res)
	}
	rec, err := base.Run(ctx, res.RunID)
	must(t, err)
	if rec.Outcome != plan.RunApplied || rec.Applied != res.Applied || len(rec.Plan.Rows) != 6 {
		t.Errorf("the run is recorded %s with %d changes applied and %d rows; want applied, %d, 6", rec.Outcome, rec.Applied, len(rec.Plan.Rows), res.Applied)
	}
	again, _, err := importer.Plan(ctx, base, src, importer.Options{Full: true})
	must(t, err)
	if !again.Empty() {
		t.Errorf("planned again: %d changes; want none", len(again.Changes))
	}
}

// A write that fails while the next slice is planned stops the run there:
// the slice planned meanwhile is neither written nor reported, nor any
// after it; the slices written before stay, recorded in a run told as
// interrupted, and the error is the write's.
func TestPlanApplyWriteFailsWhileNextPlanned(t *testing.T) {
	ctx := context.Background()
	base, src := sixRows(t)
	started := planningSeen(t, 6)
	failed := errors.New("the store went away")
	s := &pacedStore{Store: base}
	s.before = func(k int, q *plan.Plan) error {
		if k != 1 {
			return nil
		}
		select {
		case <-started(2):
		case <-time.After(10 * time.Second):
			t.Error("slice 2 was not planned while slice 1 was written")
		}
		return failed // slice 1's write fails, slice 2 planned meanwhile
	}
	var heard []int
	p, _, res, written, err := importer.PlanApply(ctx, s, src, importer.Options{Full: true, Slice: 1}, apply.Options{}, func(q *plan.Plan, r *plan.Result) {
		heard = append(heard, q.Rows[0].Line)
	})
	if !errors.Is(err, failed) || !written {
		t.Fatalf("written %v, err %v; want written, the write's error", written, err)
	}
	if s.writes != 2 || !slices.Equal(heard, []int{2}) {
		t.Errorf("%d slices handed to write, heard %v; want 2 handed, the first alone heard", s.writes, heard)
	}
	if p != nil {
		t.Errorf("a plan returned with the failure: %d rows", len(p.Rows))
	}
	if res == nil || res.RunID == 0 || res.Applied == 0 {
		t.Fatalf("result %+v; want the first slice's changes, in a run", res)
	}
	rec, err := base.Run(ctx, res.RunID)
	must(t, err)
	if rec.Outcome != plan.RunInterrupted || rec.Applied != res.Applied {
		t.Errorf("the run is recorded %s with %d changes applied; want interrupted, %d", rec.Outcome, rec.Applied, res.Applied)
	}
	writtenUpTo(t, base, src, 2, "the failed run")
}

// Another run that writes the company after its state was read and before
// the first slice takes the lock: ErrMoved at the lock, while the next
// slice is planned; nothing of the roster is written, no slice after the
// first is handed to write, and none is heard.
func TestPlanApplyMovedWhileNextPlanned(t *testing.T) {
	ctx := context.Background()
	base, src := sixRows(t)
	started := planningSeen(t, 6)
	other := importer.Source{Path: writeFile(t, "other.csv", "User ID,First Name,Last Name,Email,Extension\nz@acme.example,Zed,Zee,z@acme.example,2099\n")}
	s := &pacedStore{Store: base}
	s.before = func(k int, q *plan.Plan) error {
		if k != 0 {
			return nil
		}
		<-started(1) // (the test times out if the planning waits for the write)
		p, _, err := importer.Plan(ctx, base, other, importer.Options{})
		if err == nil {
			_, err = importer.Apply(ctx, base, p, apply.Options{})
		}
		return err
	}
	heard := 0
	_, _, res, written, err := importer.PlanApply(ctx, s, src, importer.Options{Full: true, Slice: 1}, apply.Options{}, func(*plan.Plan, *plan.Result) { heard++ })
	if !errors.Is(err, importer.ErrMoved) || written || res != nil {
		t.Fatalf("written %v, result %+v, err %v; want ErrMoved, nothing written", written, res, err)
	}
	if s.writes != 1 || heard != 0 {
		t.Errorf("%d slices handed to write, %d heard; want 1 handed (refused at the lock), none heard", s.writes, heard)
	}
	writtenUpTo(t, base, src, 0, "the refused run")
}

// writtenUpTo plans the six rows of src again (sixRows) after a run that
// wrote those up to line last and no more: those plan as unchanged, the
// others as created. It returns the plan.
func writtenUpTo(t *testing.T, st importer.Store, src importer.Source, last int, after string) *plan.Plan {
	t.Helper()
	left, _, err := importer.Plan(context.Background(), st, src, importer.Options{Full: true})
	must(t, err)
	for _, r := range left.Rows {
		want := plan.StatusCreated
		if r.Line <= last {
			want = plan.StatusUnchanged
		}
		if r.Status != want {
			t.Errorf("after %s, row %d plans as %s; want %s", after, r.Line, r.Status, want)
		}
	}
	return left
}
