package apply

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// spillPlan is a plan of n roster rows, each a user created and a number
// assigned to it at one shared location, every change with a reason.
func spillPlan(n int) *plan.Plan {
	loc := "us|1 main st"
	p := &plan.Plan{Company: "acme"}
	var locRows []int
	p.Changes = append(p.Changes, plan.Change{}) // the location, filled below
	for i := range n {
		line := i + 2
		u := fmt.Sprintf("u%d@x.example", i)
		cu := change(plan.KindUser, plan.Create, u, []int{line}, plan.AttrExtension, "", fmt.Sprint(4000+i))
		cu.Reason = "new user " + u
		cn := change(plan.KindNumber, plan.Assign, fmt.Sprintf("+1415555%04d", i), []int{line},
			plan.AttrTarget, "", "user:"+u, plan.AttrLocation, "", loc)
		cn.Reason = "assigned to " + u
		p.Rows = append(p.Rows, plan.RowPlan{Line: line, Changes: []int{0, len(p.Changes), len(p.Changes) + 1}})
		p.Changes = append(p.Changes, cu, cn)
		locRows = append(locRows, line)
	}
	p.Changes[0] = change(plan.KindLocation, plan.Create, loc, locRows, plan.AttrStreet, "", "1 Main St")
	p.Changes[0].Reason = "new E911 location"
	return p
}

// auditWriter records what each batch's audit record says (EncodeBatch:
// every field and reason of its changes and notes) and how many of the
// plan's changes had their fields in memory when it was written.
type auditWriter struct {
	fakeWriter
	p       *plan.Plan
	records []string
	inMem   []int // per call
	bound   []int // per call: the batch's changes, next and notes, and the last batch's
	last    int
}

func (w *auditWriter) WriteBatch(ctx context.Context, b Batch) error {
	n := 0
	for _, c := range w.p.Changes {
		if !c.Fields.IsZero() {
			n++
		}
	}
	w.inMem = append(w.inMem, n)
	w.bound = append(w.bound, len(b.Changes)+len(b.Next)+len(b.Notes)+w.last)
	err := w.fakeWriter.WriteBatch(ctx, b)
	if err == nil {
		w.records = append(w.records, EncodeBatch(w.p, b))
		w.last = len(b.Changes) + len(b.Notes)
	}
	return err
}

// TestWriteSpilled: a spilled plan (plan.Spill) is written as the same
// plan in memory is, batch by batch, audit record by audit record, and
// holds only the fields of the batch being written (and the next's and the
// last's), whatever fails; a run cut off leaves the changes it did not
// reach in memory for the store to record.
func TestWriteSpilled(t *testing.T) {
	const rows = 40
	for _, tc := range []struct {
		name      string
		fail      map[int]bool
		stopAt    int
		batchRows int
		atomic    bool
	}{
		{name: "all written", batchRows: 7},
		{name: "rows fail", fail: map[int]bool{3: true, 20: true, 61: true}, batchRows: 5},
		{name: "the location fails", fail: map[int]bool{0: true}, batchRows: 9},
		{name: "cut off", stopAt: 3, batchRows: 6},
		{name: "atomic", atomic: true},
		{name: "atomic, one fails", fail: map[int]bool{8: true}, atomic: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(spilled bool) (*auditWriter, *plan.Result, *Tally, error) {
				p := spillPlan(rows)
				if spilled {
					remove, err := p.Spill(t.TempDir())
					if err != nil {
						t.Fatal(err)
					}
					defer remove()
					if got := Batches(p, tc.batchRows); !reflect.DeepEqual(got, Batches(spillPlan(rows), tc.batchRows)) {
						t.Fatalf("Batches of the spilled plan %v", got)
					}
				}
				w := &auditWriter{fakeWriter: fakeWriter{fail: tc.fail, stopAt: tc.stopAt}, p: p}
				res, tl, err := Write(context.Background(), p, w, tc.batchRows, Options{Atomic: tc.atomic})
				if tl != nil && len(tl.NotRun) > 0 {
					w.records = append(w.records, EncodeBatch(p, Batch{Notes: tl.NotRunNotes()})) // as the store records them
				}
				return w, res, tl, err
			}
			mem, mres, mtl, merr := run(false)
			sp, sres, stl, serr := run(true)
			if fmt.Sprint(merr) != fmt.Sprint(serr) || !reflect.DeepEqual(mres, sres) || !reflect.DeepEqual(mtl, stl) {
				t.Fatalf("spilled: %+v %+v %v\nin memory: %+v %+v %v", sres, stl, serr, mres, mtl, merr)
			}
			if tc.stopAt > 0 && !errors.Is(serr, context.Canceled) {
				t.Fatalf("cut off: %v", serr)
			}
			if !reflect.DeepEqual(mem.batches, sp.batches) || !reflect.DeepEqual(mem.records, sp.records) {
				t.Fatalf("batches or audit records differ:\nspilled %v\n%q\nin memory %v\n%q", sp.batches, sp.records, mem.batches, mem.records)
			}
			if len(sp.records) == 0 {
				t.Fatal("nothing recorded")
			}
			for i := range sp.inMem {
				if tc.atomic {
					break // one transaction: every change at once
				}
				if sp.inMem[i] > sp.bound[i] {
					t.Errorf("call %d: %d changes' fields in memory, more than the %d of its batch, its next, notes and the last batch", i+1, sp.inMem[i], sp.bound[i])
				}
			}
			if !tc.atomic && len(sp.inMem) > 2 && mem.inMem[1] != len(mem.p.Changes) {
				t.Fatalf("the plan in memory should hold every field: %v", mem.inMem)
			}
		})
	}
}

// TestWriteSpilledUnreadable: a spill file that cannot be read back stops
// the run before anything is written, every change not run.
func TestWriteSpilledUnreadable(t *testing.T) {
	p := spillPlan(5)
	remove, err := p.Spill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	remove()
	w := &fakeWriter{}
	res, tl, err := Write(context.Background(), p, w, 2, Options{})
	if err == nil || res == nil || tl == nil || tl.Outcome != plan.RunInterrupted || len(tl.NotRun) != len(p.Changes) || w.calls != 0 {
		t.Fatalf("err %v, result %+v, tally %+v, %d batches tried", err, res, tl, w.calls)
	}
	if errors.Is(err, pbx.ErrConflict) {
		t.Fatalf("an unreadable spill blamed on a row: %v", err)
	}
}

// BenchmarkGroupPlan groups a plan of 100,000 rows (a user and a number
// each): its bytes a run are what the apply holds beside the plan while
// it groups (go test -bench GroupPlan -benchmem ./apply/).
func BenchmarkGroupPlan(b *testing.B) {
	p := spillPlan(100000)
	b.ReportAllocs()
	for b.Loop() {
		groupPlan(p)
	}
}
