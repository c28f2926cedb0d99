package plan_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
)

// spillPlan is a plan of n changes whose field lists and reasons differ
// (some empty, one long), as plan.Make would make them.
func spillPlan(n int) *plan.Plan {
	p := &plan.Plan{Format: plan.FormatVersion, Company: "acme", Mode: plan.Onboard}
	for i := range n {
		c := plan.Change{Action: plan.Create, Kind: plan.KindUser, Key: fmt.Sprintf("u%d@acme.example", i), Rows: []int{i + 2}}
		switch i % 4 {
		case 0:
			c.Fields = plan.MakeFields(plan.FieldChange{Field: plan.AttrFirstName, After: fmt.Sprint("Ann", i)},
				plan.FieldChange{Field: plan.AttrExtension, After: fmt.Sprint(4000 + i)})
			c.Reason = "new user"
		case 1:
			c.Action, c.Kind, c.Version = plan.Update, plan.KindNumber, 3
			c.Fields = plan.MakeFields(plan.FieldChange{Field: plan.AttrLabel, Before: strings.Repeat("x", 300), After: "é"})
			c.Reason = fmt.Sprint("label of row ", i)
		case 2:
			c.Action, c.Kind = plan.Delete, plan.KindLine // no fields
			c.Reason = "port freed"
		case 3: // neither fields nor reason
		}
		p.Changes = append(p.Changes, c)
	}
	return p
}

func TestSpillLoadUnload(t *testing.T) {
	dir := t.TempDir()
	p := spillPlan(11)
	want, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	orig := append([]plan.Change(nil), p.Changes...)
	remove, err := p.Spill(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Spilled() {
		t.Fatal("not spilled")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 && runtime.GOOS != "windows" {
		t.Fatalf("the spill file has a name while in use (a process killed would leave it): %v", left)
	}
	for i, c := range p.Changes {
		if !c.Fields.IsZero() || c.Reason != "" {
			t.Fatalf("change %d kept its fields or reason in memory: %v %q", i, c.Fields, c.Reason)
		}
		if c.Key != orig[i].Key || c.Action != orig[i].Action || c.Rows[0] != orig[i].Rows[0] || c.Version != orig[i].Version {
			t.Fatalf("change %d lost more than its fields: %+v", i, c)
		}
	}

	// a run of neighbours, a lone change, one loaded already
	got, err := p.Load([]int{1, 2, 3, 7})
	if err != nil || fmt.Sprint(got) != "[1 2 3 7]" {
		t.Fatalf("Load: %v, %v", got, err)
	}
	if got, err := p.Load([]int{3, 4}); err != nil || fmt.Sprint(got) != "[4]" {
		t.Fatalf("Load of a loaded change again: %v, %v", got, err)
	}
	for i, c := range p.Changes {
		loaded := i >= 1 && i <= 4 || i == 7
		if loaded && (c.Fields != orig[i].Fields || c.Reason != orig[i].Reason) {
			t.Errorf("change %d loaded as %v %q, want %v %q", i, c.Fields, c.Reason, orig[i].Fields, orig[i].Reason)
		}
		if !loaded && (!c.Fields.IsZero() || c.Reason != "") {
			t.Errorf("change %d not asked for, yet loaded", i)
		}
	}
	p.Unload([]int{1, 7})
	if !p.Changes[1].Fields.IsZero() || p.Changes[7].Reason != "" || p.Changes[2].Reason != orig[2].Reason {
		t.Fatalf("Unload: %+v %+v %+v", p.Changes[1], p.Changes[7], p.Changes[2])
	}

	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	if _, err := p.Load(all); err != nil {
		t.Fatal(err)
	}
	back, err := json.Marshal(p)
	if err != nil || string(back) != string(want) {
		t.Fatalf("the plan loaded whole is not as before the spill:\n got %s\nwant %s", back, want)
	}

	if err := remove(); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
		t.Fatalf("the spill file is left behind: %v", left)
	}
	p.Unload([]int{0})
	if _, err := p.Load([]int{0}); err == nil {
		t.Fatal("a change read back from a removed spill file")
	} else if _, again := p.Load([]int{5}); again == nil {
		t.Fatal("a failure to read the spill back is forgotten")
	}
}

func TestSpillOfNothingAndTwice(t *testing.T) {
	dir := t.TempDir()
	empty := &plan.Plan{}
	if remove, err := empty.Spill(dir); err != nil || empty.Spilled() || remove() != nil {
		t.Fatalf("an empty plan: spilled %v, %v", empty.Spilled(), err)
	}
	p := spillPlan(3)
	remove, err := p.Spill(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	if _, err := p.Spill(dir); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("spilled twice, or the file left with a name: %d files", len(files))
	}
	if p.Changes[0].Reason != "" {
		t.Fatal("the second Spill loaded the plan back")
	}
	var q plan.Plan // a plan never spilled has everything: Load and Unload leave it be
	q.Changes = spillPlan(2).Changes
	if got, err := q.Load([]int{0, 1}); got != nil || err != nil {
		t.Fatalf("Load of a plan not spilled: %v, %v", got, err)
	}
	q.Unload([]int{0})
	if q.Changes[0].Reason != "new user" {
		t.Fatal("Unload emptied a plan that was not spilled")
	}
}

// BenchmarkSpillLoad spills a plan of 370,000 changes (as a 100,000-row
// onboarding's), then loads and unloads every change back in batches of
// 9,000 consecutive ones, as an apply of 40 batches does.
func BenchmarkSpillLoad(b *testing.B) {
	p := spillPlan(370000)
	keep := append([]plan.Change(nil), p.Changes...)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		copy(p.Changes, keep)
		q := *p
		remove, err := q.Spill(dir)
		if err != nil {
			b.Fatal(err)
		}
		idx := make([]int, 0, 9000)
		for lo := 0; lo < len(q.Changes); lo += 9000 {
			idx = idx[:0]
			for i := lo; i < min(lo+9000, len(q.Changes)); i++ {
				idx = append(idx, i)
			}
			got, err := q.Load(idx)
			if err != nil {
				b.Fatal(err)
			}
			q.Unload(got)
		}
		remove()
	}
}
