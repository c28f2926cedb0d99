package plan_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A device port whose number goes back to the pool says so: the reason of
// its change names the pool, not an empty target.
func TestLineReasonNumberToPool(t *testing.T) {
	st := live()
	ann := row(2, "ann@acme.example", pbx.FNumber) // her number changes; the file has no MAC column
	ann.User = *st.Users["ann@acme.example"]
	ann.Numbers = []pbx.E164{"+14155550101"}
	p := mustMake(t, st, []*pbx.Row{ann, same(st, 3, "bob@acme.example")}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}})
	for _, c := range p.Changes {
		if c.Kind == plan.KindLine && c.Key == "805ec0000001/1" {
			if want := "its number +14155550110 went to the company pool"; c.Reason != want {
				t.Errorf("reason %q, want %q", c.Reason, want)
			}
			return
		}
	}
	t.Fatalf("no change of ann's port: %+v", p.Changes)
}

// A label on a row whose number cell holds several numbers labels each of
// them, not only the first.
func TestLabelEveryNumberOfTheCell(t *testing.T) {
	st := live()
	r := row(2, "ann@acme.example", pbx.FNumber, pbx.FNumberLabel)
	r.User = *st.Users["ann@acme.example"]
	r.Numbers = []pbx.E164{"+14155550110", "+14155550101", "+14155550102"}
	r.NumberLabel = "Ann Smith"
	p := mustMake(t, st, []*pbx.Row{r}, plan.Options{})
	labelled := map[string]bool{}
	for _, c := range p.Changes {
		if l, ok := c.After(plan.AttrLabel); ok && c.Kind == plan.KindNumber && l == "Ann Smith" {
			labelled[c.Key] = true
		}
	}
	for _, e := range r.Numbers {
		if !labelled[string(e)] {
			t.Errorf("number %s is not labelled: %+v", e, p.Changes)
		}
	}
}
