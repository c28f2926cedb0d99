package importer_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/storetest"
)

// The saved plan of issue 13, on both stores: `plan --out` for a row that
// gives bmartin (ext 2102) a number; another apply changes his extension to
// 2999; applying the saved plan is refused, naming bmartin and the row,
// and writes nothing (the number would have routed to ext 2102, which
// nobody has). Planning again then routes the number to 2999.
func TestSavedPlanPinsTheUserItRoutesTo(t *testing.T) {
	storetest.OnEach(t, func(t *testing.T, store importer.Store) {
		ctx := context.Background()
		s := demoStoreIn(t, store)
		give := writeFile(t, "give.csv", "User ID,Phone Number,E911 Street,E911 City,E911 State,E911 Postal Code\n"+
			"bmartin@acme.example,\"+1 415 555 0102, +1 415 555 0150\",100 Market St,San Francisco,CA,94105\n")
		p, c, err := importer.Plan(ctx, s, importer.Source{Path: give}, importer.Options{Full: true})
		must(t, err)
		if !c.Valid() || p.Empty() {
			t.Fatalf("the plan to save: problems %v, %d changes", c.Problems, len(p.Changes))
		}
		saved, err := json.Marshal(p) // as plan --out writes it and apply reads it back
		must(t, err)
		p = &plan.Plan{}
		must(t, json.Unmarshal(saved, p))

		applyRoster(t, s, "User ID,Extension\nbmartin@acme.example,2999\n")
		res, err := importer.Apply(ctx, s, p, apply.Options{Atomic: true})
		must(t, err)
		if !res.Rollback || len(res.Failed) != 1 {
			t.Fatalf("the stale plan was applied: %+v", res)
		}
		f := res.Failed[0]
		if !errors.Is(f.Err, pbx.ErrStale) || !strings.Contains(f.Reason, "user bmartin@acme.example") {
			t.Errorf("refused with %q, want a stale read naming bmartin", f.Reason)
		}
		if rows := p.Changes[f.Change].Rows; len(rows) != 1 || rows[0] != 2 {
			t.Errorf("the refused change is of rows %v, want row 2", rows)
		}
		st, err := s.Load(ctx, "acme")
		must(t, err)
		if n := st.Numbers["+14155550150"]; n.Target != "" {
			t.Errorf("the refused plan wrote the number: %+v", n)
		}
		again, _, err := importer.Plan(ctx, s, importer.Source{Path: give}, importer.Options{Full: true})
		must(t, err)
		for _, ch := range again.Changes {
			if ch.Key == "+14155550150" {
				if r, _ := ch.After(plan.AttrRouting); r != "ext:2999" {
					t.Errorf("planned again, the number routes to %q, want ext:2999", r)
				}
			}
		}
	})
}
