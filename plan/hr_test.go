package plan_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

func rowStatus(t *testing.T, p *plan.Plan, line int) plan.RowPlan {
	t.Helper()
	for _, r := range p.Rows {
		if r.Line == line {
			return r
		}
	}
	t.Fatalf("no row %d: %+v", line, p.Rows)
	return plan.RowPlan{}
}

func codeOf(r plan.RowPlan) string {
	if len(r.Problems) == 0 {
		return ""
	}
	return r.Problems[0].Code
}

// A row whose status says leaver deprovisions its user in onboard and sync
// alike, outside the removal limit; a later exit date keeps them; a kept
// status plans nothing, even where the row differs from the live user.
func TestStatusLeavers(t *testing.T) {
	for _, mode := range []plan.Mode{plan.Onboard, plan.Sync} {
		st := live()
		gone := same(st, 2, "ann@acme.example")
		gone.HRStatus = pbx.HRLeaver
		keep := same(st, 3, "bob@acme.example")
		keep.HRStatus, keep.User.LastName = pbx.HRKeep, "Other"
		opts := plan.Options{Mode: mode, Today: "2026-12-07", MaxRemove: 1, MaxRemovePct: 1}
		if mode == plan.Sync {
			opts.Manage.All = true
		}
		p, err := plan.Make(st, []*pbx.Row{gone, keep}, opts)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if r := rowStatus(t, p, 2); r.Status != plan.StatusDeprovisioned || len(r.Changes) < 3 {
			t.Errorf("%s: the leaver's row is %s with %d changes, want deprovisioned with the user, number and port", mode, r.Status, len(r.Changes))
		}
		if r := rowStatus(t, p, 3); r.Status != plan.StatusUnchanged {
			t.Errorf("%s: the kept row is %s", mode, r.Status)
		}
		if len(p.Rows) != 2 {
			t.Errorf("%s: rows %+v, want the two roster rows and no leaver by absence", mode, p.Rows)
		}

		both := same(st, 3, "bob@acme.example")
		both.HRStatus = pbx.HRLeaver
		if _, err := plan.Make(st, []*pbx.Row{gone, both}, opts); err != nil {
			t.Errorf("%s: two leavers by status over --max-remove 1: %v", mode, err)
		}

		gone.ExitDate = "2026-12-07" // the last day: still active
		p, err = plan.Make(st, []*pbx.Row{gone, keep}, opts)
		if err != nil {
			t.Fatal(err)
		}
		if r := rowStatus(t, p, 2); r.Status != plan.StatusUnchanged || !strings.Contains(strings.Join(p.Notes, "\n"), "row 2: ann@acme.example leaves after 2026-12-07") {
			t.Errorf("%s: on the exit date the row is %s, notes %q", mode, r.Status, p.Notes)
		}
	}
}

// The removal limit's small-company rule: up to 3 leavers by absence go
// whatever their share, a fourth is refused, and the message says the rule.
func TestLimitSmallCompany(t *testing.T) {
	st := live()
	for i, id := range []string{"cat", "dan", "eve"} {
		addUser(st, id+"@acme.example", "100"+string(rune('3'+i)), "+1415555012"+string(rune('0'+i)), "805ec000001"+string(rune('0'+i)))
	}
	opts := plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}}
	if _, err := plan.Make(st, []*pbx.Row{same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")}, opts); err != nil {
		t.Errorf("3 of 5 leaving: %v", err)
	}
	_, err := plan.Make(st, []*pbx.Row{same(st, 2, "ann@acme.example")}, opts)
	var le *plan.LimitError
	if !errors.As(err, &le) || !strings.Contains(err.Error(), "once more than 3 would go") {
		t.Errorf("4 of 5 leaving: %v", err)
	}
}

func TestManageUnknownSite(t *testing.T) {
	st := live()
	st.Sites["lon"] = &pbx.Site{Company: "acme", Code: "lon", Region: "GB"}
	_, err := plan.Make(st, nil, plan.Options{Mode: plan.Sync, Manage: plan.Scope{Site: "hqq"}})
	if !errors.Is(err, pbx.ErrRefused) || !strings.Contains(err.Error(), "its sites are hq, lon") {
		t.Errorf("--manage site=hqq: %v", err)
	}
}

// With --manage external-id a row whose HR id a user of another login holds
// is a rename of that user; two users swapping HR ids are refused, both rows
// named.
func TestRenameByHRID(t *testing.T) {
	st := live()
	r := same(st, 2, "ann@acme.example")
	r.User.ID, r.User.Email = "ann.new@acme.example", "ann.new@acme.example"
	r.SetCell(pbx.FExternalID, pbx.Cell{Col: 9, Header: "HR ID"})
	opts := plan.Options{Mode: plan.Sync, Manage: plan.Scope{External: true}}
	p, err := plan.Make(st, []*pbx.Row{r, same(st, 3, "bob@acme.example")}, opts)
	if err != nil {
		t.Fatal(err)
	}
	rp := rowStatus(t, p, 2)
	if rp.Status != plan.StatusRenamed {
		t.Fatalf("row 2 is %s %v", rp.Status, rp.Problems)
	}
	for _, ch := range p.Changes {
		if ch.Kind == plan.KindUser && (ch.Action == plan.Create || ch.Action == plan.Deprovision) {
			t.Errorf("a rename plans %s of %s", ch.Action, ch.Key)
		}
		if ch.Kind == plan.KindNumber || ch.Kind == plan.KindLine {
			t.Errorf("a rename moves %s %s", ch.Kind, ch.Key)
		}
	}

	// swap: ann's row carries bob's HR id and bob's row ann's
	a, b := same(st, 2, "ann@acme.example"), same(st, 3, "bob@acme.example")
	a.User.ExternalID, b.User.ExternalID = "hr-bob", "hr-ann"
	a.SetCell(pbx.FExternalID, pbx.Cell{Col: 9, Header: "HR ID"})
	b.SetCell(pbx.FExternalID, pbx.Cell{Col: 9, Header: "HR ID"})
	p, err = plan.Make(st, []*pbx.Row{a, b}, opts)
	if err != nil {
		t.Fatal(err)
	}
	for line, other := range map[int]string{2: "row 3", 3: "row 2"} {
		r := rowStatus(t, p, line)
		if r.Status != plan.StatusConflict || codeOf(r) != plan.CodeExternalIDSwap || !strings.Contains(r.Problems[0].Message+r.Problems[0].Hint, other) {
			t.Errorf("row %d of a swap: %s %v", line, r.Status, r.Problems)
		}
	}
	if len(p.Changes) != 0 {
		t.Errorf("a refused swap plans %+v", p.Changes)
	}
}

// A caller ID naming a number this plan returns to the pool is reset to the
// user's own number; a row asking for a pool number as caller ID is refused.
func TestCallerIDOfPoolNumber(t *testing.T) {
	st := live()
	st.Users["bob@acme.example"].CallerID = "+14155550110" // ann's number
	gone := same(st, 2, "ann@acme.example")
	gone.HRStatus = pbx.HRLeaver
	p, err := plan.Make(st, []*pbx.Row{gone}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	reset := false
	for _, ch := range p.Changes {
		if ch.Key == "bob@acme.example" && ch.Action == plan.Update {
			if v, ok := ch.After(plan.AttrCallerID); ok && v == "" {
				reset = true
			}
		}
	}
	if !reset {
		t.Errorf("bob's caller ID is not reset: %+v", p.Changes)
	}

	r := same(st, 3, "bob@acme.example")
	r.SetCell(pbx.FCallerID, pbx.Cell{Col: 9, Header: "Caller ID"})
	r.User.CallerID = "+14155550100" // a pool number
	p, err = plan.Make(live(), []*pbx.Row{r}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rp := rowStatus(t, p, 3); rp.Status != plan.StatusConflict || codeOf(rp) != plan.CodeCallerIDPool {
		t.Errorf("a pool number as caller ID: %s %v", rp.Status, rp.Problems)
	}
}

// A new user asking for a deprovisioned user's extension hears who has it;
// --take reclaims it, clearing it from the leaver in the same plan.
func TestExtensionOfDeprovisioned(t *testing.T) {
	st := live()
	st.Users["bob@acme.example"].Status = pbx.StatusDeprovisioned
	for _, l := range st.Lines {
		if l.User == "bob@acme.example" {
			delete(st.Lines, pbx.LineKey(l.MAC, l.Port))
		}
	}
	st.Numbers["+14155550111"].Target = ""
	j := joiner(2, "joe@acme.example", "1002", "+14155550101", "805ec0000099")
	p, err := plan.Make(st, []*pbx.Row{j}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := rowStatus(t, p, 2); r.Status != plan.StatusConflict || codeOf(r) != plan.CodeExtensionOfLeaver || !strings.Contains(r.Problems[0].Message, "bob@acme.example") {
		t.Errorf("without --take: %s %v", r.Status, r.Problems)
	}
	p, err = plan.Make(st, []*pbx.Row{j}, plan.Options{Take: true})
	if err != nil {
		t.Fatal(err)
	}
	if r := rowStatus(t, p, 2); r.Status != plan.StatusCreated {
		t.Fatalf("with --take: %s %v", r.Status, r.Problems)
	}
	cleared := false
	for _, ch := range p.Changes {
		if ch.Key == "bob@acme.example" && ch.Action == plan.Update && ch.Fields.Len() == 1 && ch.Fields.Slice()[0].Field == plan.AttrExtension && ch.Fields.Slice()[0].After == "" {
			cleared = true
		}
	}
	if !cleared {
		t.Errorf("bob's extension is not cleared: %+v", p.Changes)
	}
}

// Voice off for a user who keeps a number is a conflict naming it.
func TestVoiceOffHoldsNumbers(t *testing.T) {
	st := live()
	r := row(2, "ann@acme.example", pbx.FVoiceEnabled)
	r.User = *st.Users["ann@acme.example"]
	r.User.VoiceEnabled = false
	p, err := plan.Make(st, []*pbx.Row{r}, plan.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rp := rowStatus(t, p, 2); rp.Status != plan.StatusConflict || codeOf(rp) != plan.CodeVoiceOffHoldsNumbers || rp.Problems[0].Value != "+14155550110" {
		t.Errorf("voice off: %s %v", rp.Status, rp.Problems)
	}
	// an empty number cell in a sync returns it in the same plan: no conflict
	r.SetCell(pbx.FNumber, pbx.Cell{Col: 5, Header: "Phone Number"})
	p, err = plan.Make(st, []*pbx.Row{r, same(st, 3, "bob@acme.example")}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}})
	if err != nil {
		t.Fatal(err)
	}
	if rp := rowStatus(t, p, 2); rp.Status != plan.StatusUpdated {
		t.Errorf("voice off with the number un-assigned: %s %v", rp.Status, rp.Problems)
	}
}

// A sync touches only the users it manages: a leaver's row of another site
// changes nothing.
func TestStatusLeaverOutsideScope(t *testing.T) {
	st := live()
	st.Sites["lon"] = &pbx.Site{Company: "acme", Code: "lon", Region: "GB"}
	gone := same(st, 2, "ann@acme.example")
	gone.HRStatus = pbx.HRLeaver
	p, err := plan.Make(st, []*pbx.Row{gone}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{Site: "lon"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Changes) != 0 {
		t.Errorf("a sync of site lon deprovisions a user of hq: %+v", p.Changes)
	}
}
