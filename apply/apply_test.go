package apply

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// The pure parts of writing a plan are tested here with a fake Writer; the
// writing itself in the stores' contract suite (storetest).

func change(kind plan.Kind, action plan.Action, key string, rows []int, kv ...string) plan.Change {
	c := plan.Change{Kind: kind, Action: action, Key: key, Rows: rows}
	for i := 0; i+2 < len(kv)+1; i += 3 {
		c.Fields = c.Fields.Append(plan.FieldChange{Field: kv[i], Before: kv[i+1], After: kv[i+2]})
	}
	return c
}

// groupsOf returns the groups of p as lists of change indexes.
func groupsOf(p *plan.Plan) [][]int {
	g := groupPlan(p)
	out := make([][]int, len(g.groups))
	for i, gr := range g.groups {
		out[i] = gr.changes
	}
	return out
}

func TestGroupPlan(t *testing.T) {
	loc := "us|1 main st"
	p := &plan.Plan{Company: "acme", Changes: []plan.Change{
		/*0*/ change(plan.KindLocation, plan.Create, loc, []int{2, 3}, plan.AttrStreet, "", "1 Main St"),
		/*1*/ change(plan.KindUser, plan.Update, "old@x.example", nil, plan.AttrExtension, "4021", ""), // a leaver's extension freed
		/*2*/ change(plan.KindUser, plan.Create, "a@x.example", []int{2}, plan.AttrExtension, "", "4021"),
		/*3*/ change(plan.KindUser, plan.Create, "b@x.example", []int{3}, plan.AttrExtension, "", "4022"),
		/*4*/ change(plan.KindUser, plan.Create, "c@x.example", []int{4}, plan.AttrExtension, "", "4023"),
		/*5*/ change(plan.KindNumber, plan.Assign, "+1", []int{2}, plan.AttrTarget, "", "user:a@x.example", plan.AttrLocation, "", loc),
		/*6*/ change(plan.KindNumber, plan.Assign, "+2", []int{3}, plan.AttrTarget, "", "user:b@x.example", plan.AttrLocation, "", loc),
		/*7*/ change(plan.KindNumber, plan.Move, "+3", []int{4}, plan.AttrTarget, "user:d@x.example", "user:c@x.example"),
		/*8*/ change(plan.KindDevice, plan.Create, "ata", []int{3, 4}, plan.AttrModel, "", "ht802"), // one ATA, two rows
		/*9*/ change(plan.KindLine, plan.Create, "ata/1", []int{3}, plan.AttrUser, "", "b@x.example"),
		/*10*/ change(plan.KindLine, plan.Create, "ata/2", []int{4}, plan.AttrUser, "", "c@x.example"),
		/*11*/ change(plan.KindLine, plan.Update, "phone/1", nil, plan.AttrNumber, "+3", ""), // d's line loses +3
		/*12*/ change(plan.KindUser, plan.Create, "e@x.example", []int{5}, plan.AttrExtension, "", "4030"),
		/*13*/ change(plan.KindUser, plan.Create, "f@x.example", []int{6}, plan.AttrExtension, "", "4030"), // takes what e takes
	}}
	p.Rows = []plan.RowPlan{
		{Line: 2, Changes: []int{0, 2, 5}}, {Line: 3, Changes: []int{0, 3, 6, 8, 9}}, {Line: 4, Changes: []int{4, 7, 8, 10}},
		{Line: 5, Changes: []int{12}}, {Line: 6, Changes: []int{13}}, {Key: "old@x.example", Changes: []int{1}},
	}
	got := groupsOf(p)
	want := [][]int{
		{0},                        // the shared location, alone
		{1, 2, 5},                  // the leaver's extension goes with its taker's row
		{3, 4, 6, 7, 8, 9, 10, 11}, // rows 3 and 4 share the ATA; +3 leaves d's line
		{12},                       // two rows taking one extension stay apart: one fails alone
		{13},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	g := groupPlan(p)
	if !reflect.DeepEqual(g.groups[1].needs, []int{0}) || !reflect.DeepEqual(g.groups[2].needs, []int{0}) || g.groups[3].needs != nil {
		t.Errorf("needs: %v %v %v; want the location's rows to need it", g.groups[1].needs, g.groups[2].needs, g.groups[3].needs)
	}
	if g.groups[1].rows != 2 || g.groups[2].rows != 2 || g.groups[0].rows != 0 {
		t.Errorf("rows per group: %d %d %d", g.groups[0].rows, g.groups[1].rows, g.groups[2].rows)
	}
	if !g.deferred(0) || g.groups[0].needed != 2 || g.deferred(1) || g.total() != 6 {
		t.Errorf("the location is deferred %v, needed by %d groups; total %d rows", g.deferred(0), g.groups[0].needed, g.total())
	}
	// The location goes in the batch of its first row, not a batch ahead.
	if b := g.batches(3); !reflect.DeepEqual(b, [][]int{{1, 0}, {2, 3}, {4}}) {
		t.Errorf("batches of 3 rows: %v", b)
	}
	if b := Batches(p, 1); !reflect.DeepEqual(b, [][]int{{0, 1, 2, 5}, {3, 4, 6, 7, 8, 9, 10, 11}, {12}, {13}}) {
		t.Errorf("Batches of 1 row: %v", b)
	}
	if b := g.batches(100); len(b) != 1 {
		t.Errorf("batches of 100 rows: %v", b)
	}
}

// fakeWriter writes batches into a list, failing the changes in fail.
type fakeWriter struct {
	fail    map[int]bool
	stopAt  int // the batch whose commit is cut off; 0 none
	written []int
	notes   []Note
	calls   int
	batches [][]int // the changes of each batch committed
	nexts   [][]int // the Next of each batch committed
}

func (f *fakeWriter) WriteBatch(ctx context.Context, b Batch) error {
	f.calls++
	for _, c := range b.Changes {
		if f.fail[c] {
			return &ChangeError{Change: c, Err: fmt.Errorf("change %d: %w", c, pbx.ErrConflict)}
		}
	}
	if b.Number == f.stopAt {
		return context.Canceled
	}
	f.written = append(f.written, b.Changes...)
	f.notes = append(f.notes, b.Notes...)
	f.batches = append(f.batches, b.Changes)
	f.nexts = append(f.nexts, b.Next)
	return nil
}

// checkNext checks that each batch's Next was what the next batch wrote.
func (f *fakeWriter) checkNext(t *testing.T) {
	t.Helper()
	for i := range f.batches {
		var want []int
		if i+1 < len(f.batches) {
			want = f.batches[i+1]
		}
		if !reflect.DeepEqual(f.nexts[i], want) {
			t.Errorf("batch %d: Next %v, want %v", i+1, f.nexts[i], want)
		}
	}
}

// progressLog records the calls of Options.Progress.
type progressLog struct{ done, total []int }

func (l *progressLog) add(done, total int) {
	l.done = append(l.done, done)
	l.total = append(l.total, total)
}

// check checks that done went up from 0, by batch, to end at total (when
// whole), the total never changing.
func (l *progressLog) check(t *testing.T, batches int, total int, whole bool) {
	t.Helper()
	if len(l.done) != batches+1 || l.done[0] != 0 {
		t.Fatalf("progress %v of %v: want 0, then one call per batch (%d)", l.done, l.total, batches)
	}
	for i := range l.done {
		if l.total[i] != total {
			t.Errorf("call %d: total %d, want %d", i, l.total[i], total)
		}
		if i > 0 && l.done[i] < l.done[i-1] {
			t.Errorf("progress went down: %v", l.done)
		}
	}
	if last := l.done[len(l.done)-1]; whole && last != total {
		t.Errorf("progress ends at %d of %d", last, total)
	}
}

func TestWriteIsolates(t *testing.T) {
	loc := "us|1 main st"
	p := &plan.Plan{Changes: []plan.Change{
		/*0*/ change(plan.KindLocation, plan.Create, loc, []int{3}),
		/*1*/ change(plan.KindUser, plan.Create, "a@x.example", []int{2}),
		/*2*/ change(plan.KindUser, plan.Create, "b@x.example", []int{3}),
		/*3*/ change(plan.KindNumber, plan.Assign, "+1", []int{2}, plan.AttrTarget, "", "user:a@x.example"),
		/*4*/ change(plan.KindNumber, plan.Assign, "+2", []int{3}, plan.AttrTarget, "", "user:b@x.example", plan.AttrLocation, "", loc),
		/*5*/ change(plan.KindUser, plan.Create, "c@x.example", []int{4}),
	}}
	for _, tc := range []struct {
		name            string
		fail            map[int]bool
		rows            int
		written, failed []int
		skipped         []int
		outcome         plan.RunOutcome
	}{
		{"all written", nil, 10, []int{0, 1, 2, 3, 4, 5}, nil, nil, plan.RunApplied},
		{"a row fails alone", map[int]bool{3: true}, 10, []int{0, 2, 4, 5}, []int{3}, []int{1}, plan.RunPartial},
		{"a shared location fails its rows", map[int]bool{0: true}, 10, []int{1, 3, 5}, []int{0}, []int{2, 4}, plan.RunPartial},
		{"one row per batch", map[int]bool{0: true}, 1, []int{1, 3, 5}, []int{0}, []int{2, 4}, plan.RunPartial},
		{"the location's only row fails", map[int]bool{2: true}, 10, []int{1, 3, 5}, []int{2}, []int{0, 4}, plan.RunPartial},
		{"the location's only row fails, a row per batch", map[int]bool{2: true}, 1, []int{1, 3, 5}, []int{2}, []int{0, 4}, plan.RunPartial},
		{"every row fails", map[int]bool{1: true, 2: true, 5: true}, 2, nil, []int{1, 2, 5}, []int{0, 3, 4}, plan.RunFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeWriter{fail: tc.fail}
			var pl progressLog
			res, tl, err := Write(context.Background(), p, f, tc.rows, Options{Progress: pl.add})
			if err != nil {
				t.Fatal(err)
			}
			var failed, skipped []int
			for _, n := range f.notes {
				switch n.Outcome {
				case plan.ChangeFailed:
					failed = append(failed, n.Change)
				case plan.ChangeSkipped:
					skipped = append(skipped, n.Change)
					if !errors.Is(n.Err, pbx.ErrConflict) {
						t.Errorf("skipped change %d: %v does not wrap the failure's sentinel", n.Change, n.Err)
					}
				}
			}
			sortInts(f.written, failed, skipped)
			if !reflect.DeepEqual(f.written, tc.written) || !reflect.DeepEqual(failed, tc.failed) || !reflect.DeepEqual(skipped, tc.skipped) {
				t.Errorf("written %v failed %v skipped %v; want %v %v %v", f.written, failed, skipped, tc.written, tc.failed, tc.skipped)
			}
			if res.Applied != len(tc.written) || len(res.Failed) != len(tc.failed)+len(tc.skipped) || res.Rollback {
				t.Errorf("result %+v", res)
			}
			if tl.Outcome != tc.outcome || tl.Applied != len(tc.written) || tl.Failed != len(tc.failed) || tl.Skipped != len(tc.skipped) {
				t.Errorf("tally %+v, want outcome %s", tl, tc.outcome)
			}
			pl.check(t, len(f.batches), 3, true)
			if tc.fail == nil {
				f.checkNext(t)
			}
		})
	}
	t.Run("next batches of a row each", func(t *testing.T) {
		f := &fakeWriter{}
		if _, _, err := Write(context.Background(), p, f, 1, Options{}); err != nil {
			t.Fatal(err)
		}
		if len(f.batches) != 3 {
			t.Fatalf("batches %v, want one per row", f.batches)
		}
		f.checkNext(t)
	})
	t.Run("interrupted", func(t *testing.T) {
		f := &fakeWriter{stopAt: 2}
		var pl progressLog
		res, tl, err := Write(context.Background(), p, f, 1, Options{Progress: pl.add})
		if !errors.Is(err, context.Canceled) || tl.Outcome != plan.RunInterrupted {
			t.Fatalf("err %v, tally %+v", err, tl)
		}
		if res.Applied != len(f.written) || len(tl.NotRun)+len(f.written) != len(p.Changes) {
			t.Errorf("written %v, not run %v, result %+v", f.written, tl.NotRun, res)
		}
		pl.check(t, 1, 3, false)
		if pl.done[1] != 1 {
			t.Errorf("progress %v after the first batch of one row", pl.done)
		}
	})
}

// TestWriteLocationWithItsFirstRow: a location that several rows share is
// written in the batch of the first of them that is written; when the rows
// of its first batch fail it waits for a later one, and when every row
// fails it is not written at all.
func TestWriteLocationWithItsFirstRow(t *testing.T) {
	loc := "us|2 lab rd"
	p := &plan.Plan{Changes: []plan.Change{
		/*0*/ change(plan.KindLocation, plan.Create, loc, []int{3, 5}),
		/*1*/ change(plan.KindUser, plan.Create, "a@x.example", []int{2}),
		/*2*/ change(plan.KindUser, plan.Create, "b@x.example", []int{3}),
		/*3*/ change(plan.KindNumber, plan.Assign, "+2", []int{3}, plan.AttrTarget, "", "user:b@x.example", plan.AttrLocation, "", loc),
		/*4*/ change(plan.KindUser, plan.Create, "c@x.example", []int{4}),
		/*5*/ change(plan.KindUser, plan.Create, "d@x.example", []int{5}),
		/*6*/ change(plan.KindNumber, plan.Assign, "+4", []int{5}, plan.AttrTarget, "", "user:d@x.example", plan.AttrLocation, "", loc),
	}}
	for _, tc := range []struct {
		name    string
		fail    map[int]bool
		batches [][]int // the changes of each batch committed
		skipped []int
	}{
		{"all written", nil, [][]int{{1}, {0, 2, 3}, {4}, {5, 6}}, nil},
		{"its first row fails", map[int]bool{3: true}, [][]int{{1}, nil, {4}, {0, 5, 6}}, []int{2}},
		{"every row of it fails", map[int]bool{3: true, 6: true}, [][]int{{1}, nil, {4}, nil}, []int{0, 2, 5}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeWriter{fail: tc.fail}
			res, _, err := Write(context.Background(), p, f, 1, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f.batches, tc.batches) {
				t.Errorf("batches %v, want %v", f.batches, tc.batches)
			}
			var skipped []int
			for _, n := range f.notes {
				if n.Outcome == plan.ChangeSkipped {
					skipped = append(skipped, n.Change)
				}
			}
			sortInts(skipped)
			if !reflect.DeepEqual(skipped, tc.skipped) {
				t.Errorf("skipped %v, want %v", skipped, tc.skipped)
			}
			for _, o := range res.Failed {
				if o.Change == 0 && (!strings.Contains(o.Reason, "no row that needs it was written") || !errors.Is(o.Err, pbx.ErrConflict)) {
					t.Errorf("the location's reason %q (%v): want it to say no row needing it was written, wrapping the rows' sentinel", o.Reason, o.Err)
				}
			}
		})
	}
}

func TestWriteAtomic(t *testing.T) {
	p := &plan.Plan{Changes: []plan.Change{
		change(plan.KindUser, plan.Create, "a@x.example", []int{2}),
		change(plan.KindUser, plan.Create, "b@x.example", []int{3}),
		change(plan.KindUser, plan.Create, "c@x.example", []int{4}),
	}}
	f := &fakeWriter{fail: map[int]bool{1: true}}
	var pl progressLog
	res, tl, err := Write(context.Background(), p, f, 1, Options{Atomic: true, Progress: pl.add})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Rollback || len(res.Failed) != 1 || res.Failed[0].Change != 1 || tl.Outcome != plan.RunRolledBack || len(f.written) != 0 {
		t.Fatalf("result %+v, tally %+v, written %v", res, tl, f.written)
	}
	want := []string{plan.ChangeRolledBack, plan.ChangeFailed, plan.ChangeSkipped}
	for i, n := range f.notes {
		if n.Change != i || n.Outcome != want[i] {
			t.Errorf("note %d: %+v, want %s", i, n, want[i])
		}
	}
	pl.check(t, 1, 3, true)
}

func sortInts(xs ...[]int) {
	for _, x := range xs {
		for i := 1; i < len(x); i++ {
			for j := i; j > 0 && x[j] < x[j-1]; j-- {
				x[j], x[j-1] = x[j-1], x[j]
			}
		}
	}
}

// TestBatchRecord: the audit's encoding of a batch is what encoding/json
// writes for its change records, for any text, and reads back as written.
func TestBatchRecord(t *testing.T) {
	for _, v := range []string{"", "plain", `quo"te\back`, "new\nline\ttab\r\x01\x1f\b\f", "<a&b>", "é ü 東京", "\u2028\u2029", "bad \xff utf8", "emoji 😀"} {
		checkBatchRecord(t, v, "x"+v)
	}
}

func checkBatchRecord(t *testing.T, before, after string) {
	t.Helper()
	p := &plan.Plan{Changes: []plan.Change{
		{Action: plan.Update, Kind: plan.KindUser, Key: "k" + before, Version: 3, Reason: "r" + after, Rows: []int{2, 30},
			Fields: plan.MakeFields(plan.FieldChange{Field: "first_name", Before: before, After: after})},
		{Action: plan.Create, Kind: plan.KindDevice, Key: "805ec0000001"},
	}}
	got := EncodeBatch(p, Batch{Changes: []int{0}, Notes: []Note{{Change: 1, Outcome: plan.ChangeSkipped, Err: fmt.Errorf("not written, because %s", after)}}})
	want, _ := json.Marshal([]ChangeRecord{
		{Seq: 0, Kind: plan.KindUser, Key: "k" + before, Action: plan.Update, Version: 3, Fields: []FieldRecord{{"first_name", before, after}}, Reason: "r" + after,
			Rows: []int{2, 30}, Outcome: plan.ChangeApplied, AfterVersion: 4},
		{Seq: 1, Kind: plan.KindDevice, Key: "805ec0000001", Action: plan.Create, Outcome: plan.ChangeSkipped, Error: "not written, because " + after},
	})
	if got != string(want) {
		t.Fatalf("EncodeBatch = %s\nencoding/json = %s", got, want)
	}
	if !utf8.ValidString(before) || !utf8.ValidString(after) {
		return // invalid UTF-8 is written as U+FFFD, as encoding/json writes it
	}
	rec := &plan.RunRecord{Plan: &plan.Plan{Changes: make([]plan.Change, 2)}, Outcomes: make([]plan.RunChange, 2)}
	if err := DecodeBatch(rec, []byte(got)); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.Plan.Changes, p.Changes) || rec.Outcomes[0].AfterVersion != 4 || rec.Outcomes[1].Outcome != plan.ChangeSkipped {
		t.Fatalf("read back %+v %+v, want %+v", rec.Plan.Changes, rec.Outcomes, p.Changes)
	}
}

func FuzzBatchRecord(f *testing.F) {
	f.Add("a", "b")
	f.Add("\xff\u2028", "<>&\"\f")
	f.Fuzz(func(t *testing.T, before, after string) {
		checkBatchRecord(t, before, after)
	})
}

// TestInterruptedIsNoRowsFault: a batch that fails while the context is done
// is an interruption, whatever the driver said: no row is marked failed.
func TestInterruptedIsNoRowsFault(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, err := range []error{
		errors.New("sql: statement is closed"),
		&ChangeError{Change: 0, Err: errors.New("sql: statement is closed")},
		&ChangeError{Change: 0, Err: context.Canceled},
	} {
		got := interrupted(ctx, err)
		if !errors.Is(got, context.Canceled) {
			t.Errorf("interrupted(%v) = %v, want context.Canceled", err, got)
		}
		if _, ok := AsChangeError(got); ok {
			t.Errorf("interrupted(%v) still blames a change", err)
		}
	}
	if err := errors.New("x"); interrupted(context.Background(), err) != err {
		t.Error("a live context changed the error")
	}
}

// othersWriter fails every change in fail at once, as CheckReads does when a
// read many rows relied on moved: one ChangeError with the others in it.
type othersWriter struct {
	fakeWriter
}

func (f *othersWriter) WriteBatch(ctx context.Context, b Batch) error {
	f.calls++
	var ce *ChangeError
	for _, c := range b.Changes {
		if f.fail[c] {
			e := &ChangeError{Change: c, Err: fmt.Errorf("change %d: %w", c, pbx.ErrStale)}
			if ce == nil {
				ce = e
			} else {
				ce.Others = append(ce.Others, e)
			}
		}
	}
	if ce != nil {
		return ce
	}
	f.written = append(f.written, b.Changes...)
	f.notes = append(f.notes, b.Notes...)
	return nil
}

// A ChangeError's Others leave their rows out with it: the batch is written
// again once, not once for each refused change.
func TestWriteChangeErrorOthers(t *testing.T) {
	p := &plan.Plan{Company: "acme"}
	for i := range 6 {
		p.Changes = append(p.Changes, change(plan.KindUser, plan.Create, fmt.Sprintf("u%d@x.example", i), []int{i + 2}))
		p.Rows = append(p.Rows, plan.RowPlan{Line: i + 2, Changes: []int{i}})
	}
	w := &othersWriter{fakeWriter{fail: map[int]bool{1: true, 3: true, 4: true}}}
	res, _, err := Write(context.Background(), p, w, 100, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if w.calls != 2 || !reflect.DeepEqual(w.written, []int{0, 2, 5}) || len(res.Failed) != 3 {
		t.Errorf("%d calls, written %v, failed %+v; want 2 calls, 0 2 5 written, 3 failed", w.calls, w.written, res.Failed)
	}
	for _, f := range res.Failed {
		if !errors.Is(f.Err, pbx.ErrStale) || !strings.Contains(f.Reason, fmt.Sprintf("change %d", f.Change)) {
			t.Errorf("change %d failed with %q", f.Change, f.Reason)
		}
	}
}
