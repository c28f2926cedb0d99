package storetest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// testErase: `pbxsync erase` removes a user deprovisioned longer ago than
// the retention period, and takes the person out of the audit log's
// earlier records (login and e-mail pseudonymised, names cleared); a user
// still within it, or still holding something, is kept.
func testErase(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	st := h.load(Acme)
	bo, ann := st.Users[BGone], st.Users[ASmith]
	n := st.Numbers[Pool(4)]
	l := st.Lines[pbx.LineKey(ATA, 1)]
	// bgone leaves on 2025-01-01 (renamed Gonzalez just before: names in
	// the audit log), his number and port freed; asmith leaves the same
	// day but keeps her access to number 100.
	left := NewPlan(Acme,
		plan.Change{Action: plan.Update, Kind: plan.KindUser, Key: string(BGone), Version: bo.Version, Rows: []int{2},
			Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrLastName, Before: "Gone", After: "Gonzalez"})},
		plan.Change{Action: plan.Deprovision, Kind: plan.KindUser, Key: string(BGone), Version: bo.Version + 1, Rows: []int{2},
			Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrStatus, Before: "active", After: "deprovisioned"}, plan.FieldChange{Field: plan.AttrDeprovisionedAt, After: "2025-01-01"})},
		plan.Change{Action: plan.Deprovision, Kind: plan.KindUser, Key: string(ASmith), Version: ann.Version, Rows: []int{3},
			Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrStatus, Before: "active", After: "deprovisioned"}, plan.FieldChange{Field: plan.AttrDeprovisionedAt, After: "2025-01-01"})},
		plan.Change{Action: plan.Unassign, Kind: plan.KindNumber, Key: string(Pool(4)), Version: n.Version, Rows: []int{2},
			Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrTarget, Before: string(n.Target)}, plan.FieldChange{Field: plan.AttrRouting, Before: string(n.Routing), After: "aa:main"})},
		plan.Change{Action: plan.Delete, Kind: plan.KindLine, Key: pbx.LineKey(ATA, 1), Version: l.Version, Rows: []int{2},
			Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrUser, Before: string(BGone)}, plan.FieldChange{Field: plan.AttrNumber, Before: string(Pool(4))})},
	)
	// The plan the run records names him too: his row, and his e-mail in a note.
	left.Rows = []plan.RowPlan{{Line: 2, Key: string(BGone), Status: plan.StatusDeprovisioned, Changes: []int{0, 1, 3, 4}}}
	left.Notes = []string{"bo.gone@acme.example leaves on 2025-01-01"}
	first := h.applyOK(left)
	st = h.load(Acme)
	if st.Users[BGone].DeprovisionedAt != "2025-01-01" {
		t.Fatalf("bgone after the deprovision: %+v", st.Users[BGone])
	}

	// Within the retention (2 years): nobody.
	if p, err := plan.Erase(st, "2026-12-07", 730); err != nil || len(p.Changes) != 0 {
		t.Fatalf("a retention of 730 days erases %+v (%v)", p, err)
	}
	p, err := plan.Erase(st, "2026-12-07", 365)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 1 || p.Changes[0].Key != string(BGone) || p.Changes[0].Action != plan.Delete {
		t.Fatalf("the erasure plans %+v", p.Changes)
	}
	var annRow *plan.RowPlan
	for i := range p.Rows {
		if p.Rows[i].Key == string(ASmith) {
			annRow = &p.Rows[i]
		}
	}
	if annRow == nil || annRow.Status != plan.StatusConflict || !strings.Contains(annRow.Problems[0].Message, "outbound-only access to number "+string(Pool(0))) ||
		!strings.Contains(annRow.Problems[0].Message, "a place in hunt group sales") {
		t.Errorf("asmith, who still has access to a number and a place in a hunt group: %+v", annRow)
	}
	res := h.applyOK(p)
	st = h.load(Acme)
	if st.Users[BGone] != nil || st.Users[ASmith] == nil {
		t.Errorf("after the erasure: bgone %+v, asmith %+v", st.Users[BGone], st.Users[ASmith])
	}

	// The run that deprovisioned him names him no more: a pseudonym
	// instead of his login and e-mail, no name.
	rec, err := h.s.Run(h.ctx, first.RunID)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rec)
	text := string(b)
	for _, personal := range []string{string(BGone), "bo.gone@acme.example", "Gonzalez", `"Gone"`} {
		if strings.Contains(text, personal) {
			t.Errorf("run %d still holds %q after the erasure", first.RunID, personal)
		}
	}
	if !strings.Contains(text, sqlstore.Pseudonym(string(BGone))) || !strings.Contains(text, string(ASmith)) {
		t.Errorf("run %d after the erasure names neither the pseudonym nor asmith: %s", first.RunID, text)
	}
	// The erasure's own record names the login it erased, nothing more.
	own, err := h.s.Run(h.ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if own.Plan.Mode != plan.Erasing || own.Plan.Changes[0].Key != string(BGone) || own.Outcomes[0].Outcome != plan.ChangeApplied {
		t.Errorf("the erasure's record: %+v %+v", own.Plan.Changes, own.Outcomes)
	}
	// Erasing again finds nobody.
	if p, err := plan.Erase(h.load(Acme), "2026-12-07", 365); err != nil || len(p.Changes) != 0 {
		t.Errorf("a second erasure plans %+v (%v)", p, err)
	}
}
