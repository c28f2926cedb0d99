package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A plan pins what it read to decide, not only what it writes: between the
// plan and its apply another run or a seed moves one of those objects, and
// the apply refuses the rows that relied on it, naming the row and the
// object. With Atomic (a saved plan) the whole plan is refused; in batches
// the other rows are written.
type staleCase struct {
	name string
	// rows plans the rows of the run under test: row 2 relies on what
	// move changes, row 3 does not.
	rows func(st *pbx.State) []*pbx.Row
	// move changes the live state after the plan is made.
	move func(t *testing.T, h *harness)
	// object is what the refusal must name.
	object string
}

func staleCases() []staleCase {
	other := func(line int) *pbx.Row { // a row that relies on nothing the moves change
		r := RosterRow(line, "other@acme.example", pbx.FFirstName, pbx.FLastName, pbx.FExtension, pbx.FSite)
		r.User.FirstName, r.User.LastName, r.User.Extension, r.User.Site = "O", "Ther", "5001", "lab"
		return r
	}
	giveNumber := func(st *pbx.State) []*pbx.Row { // asmith, unchanged herself, gets the pool number 103
		r := RosterRow(2, ASmith, pbx.FNumber)
		r.Numbers = []pbx.E164{Pool(3)}
		return []*pbx.Row{r, other(3)}
	}
	update := func(id pbx.UserID, set func(r *pbx.Row), fields ...pbx.Field) func(t *testing.T, h *harness) {
		return func(t *testing.T, h *harness) {
			r := RosterRow(9, id, fields...)
			set(r)
			h.applyWith(t, []*pbx.Row{r}, plan.Options{})
		}
	}
	joiner := func(st *pbx.State) []*pbx.Row { // a new user at hq with extension 4050
		r := RosterRow(2, "new@acme.example", pbx.FFirstName, pbx.FLastName, pbx.FExtension, pbx.FSite)
		r.User.FirstName, r.User.LastName, r.User.Extension, r.User.Site = "Ne", "W", "4050", "hq"
		return []*pbx.Row{r, other(3)}
	}
	reseed := func(change func(sd *pbx.Seed)) func(t *testing.T, h *harness) {
		return func(t *testing.T, h *harness) {
			sd := &pbx.Seed{Company: AcmeSeed().Company, Sites: AcmeSeed().Sites, Hunts: AcmeSeed().Hunts, AAs: AcmeSeed().AAs}
			change(sd)
			if err := h.s.Seed(h.ctx, sd); err != nil {
				t.Fatalf("Seed: %v", err)
			}
		}
	}
	return []staleCase{
		{
			name: "the user's extension changed", rows: giveNumber, object: "user " + string(ASmith),
			move: update(ASmith, func(r *pbx.Row) { r.User.Extension = "4099" }, pbx.FExtension),
		},
		{
			name: "the user's voice service was turned off", rows: giveNumber, object: "user " + string(ASmith),
			move: update(ASmith, func(r *pbx.Row) { r.User.VoiceEnabled = false }, pbx.FVoiceEnabled),
		},
		{
			name: "the number was taken by someone else", rows: giveNumber, object: "number " + string(Pool(3)),
			move: update(BGone, func(r *pbx.Row) { r.Numbers = []pbx.E164{Pool(3), Pool(4)} }, pbx.FNumber),
		},
		{
			name: "the site's extension length changed", rows: joiner, object: "site hq",
			move: reseed(func(sd *pbx.Seed) { sd.Sites[0].ExtLen = 5 }),
		},
		{
			name: "a hunt group took the extension", rows: joiner, object: "extension 4050",
			move: reseed(func(sd *pbx.Seed) {
				sd.Hunts = append(sd.Hunts, pbx.HuntGroup{ID: "support", Company: Acme, Name: "Support", Extension: "4050"})
			}),
		},
	}
}

func runStaleCases(t *testing.T, h func(func(*testing.T, *harness)) func(*testing.T)) {
	t.Run("the attendant a number's routing goes back to changed", h(testStaleRouting))
	for _, c := range staleCases() {
		for _, o := range []ApplyOptions{{Atomic: true}, {BatchRows: 1}} {
			name := fmt.Sprintf("%s/atomic=%v", c.name, o.Atomic)
			t.Run(name, h(func(t *testing.T, h *harness) { testStaleRead(t, h, c, o) }))
		}
	}
}

// applyWith plans rows against the live state and applies the plan whole.
func (h *harness) applyWith(t *testing.T, rows []*pbx.Row, o plan.Options) {
	t.Helper()
	p, err := plan.Make(h.load(Acme), rows, o)
	if err != nil {
		t.Fatalf("Make: %v", err)
	}
	if p.Summary.Conflict > 0 {
		t.Fatalf("the move is in conflict: %+v", p.Rows)
	}
	saved := h.opts
	h.opts = apply.Options{}
	h.applyOK(p)
	h.opts = saved
}

func testStaleRead(t *testing.T, h *harness, c staleCase, o ApplyOptions) {
	h.ready(AcmeSeed())
	h.configure(t, o)
	p, err := plan.Make(h.load(Acme), c.rows(h.load(Acme)), plan.Options{})
	if err != nil {
		t.Fatalf("Make: %v", err)
	}
	if p.Summary.Conflict > 0 || p.Empty() {
		t.Fatalf("the plan under test has conflicts or nothing to do: %+v", p.Rows)
	}
	// Fresh, the plan would apply: its reads hold.
	c.move(t, h)
	before := h.load(Acme)
	res := h.apply(p)
	var refused *plan.Outcome
	for i := range res.Failed {
		if f := &res.Failed[i]; errors.Is(f.Err, pbx.ErrStale) && strings.Contains(f.Reason, c.object) {
			refused = f
			break
		}
	}
	if refused == nil {
		t.Fatalf("applied without refusing: want a stale change naming %q; failed %+v", c.object, res.Failed)
	}
	if rows := p.Changes[refused.Change].Rows; !slices.Contains(rows, 2) {
		t.Errorf("the refused change %+v is of rows %v, want row 2", p.Changes[refused.Change], rows)
	}
	if !strings.Contains(refused.Reason, "plan again") {
		t.Errorf("reason %q does not say to plan again", refused.Reason)
	}
	after := h.load(Acme)
	if o.Atomic {
		if !res.Rollback {
			t.Errorf("an atomic apply with a stale read was not rolled back: %+v", res)
		}
		if d := DiffState(after, before); d != "" {
			t.Errorf("the refused plan changed the live state:\n%s", d)
		}
		return
	}
	// In batches, row 3, which relies on nothing that moved, is written.
	if after.Users["other@acme.example"] == nil {
		t.Errorf("row 3 was not written with row 2 refused: failed %+v", res.Failed)
	}
	for _, f := range res.Failed {
		if slices.Contains(p.Changes[f.Change].Rows, 3) {
			t.Errorf("a change of row 3 failed: %s", f.Reason)
		}
	}
}

// testStaleRouting: a sync that returns a leaver's number to the pool
// restores its routing to the auto attendant it had; the attendant changed
// between the plan and its apply, and the apply is refused naming it.
func testStaleRouting(t *testing.T, h *harness) {
	h.ready(AcmeSeed())
	h.configure(t, ApplyOptions{Atomic: true})
	st := h.load(Acme)
	p, err := plan.Make(st, []*pbx.Row{SameRow(st, 2, JDoe), SameRow(st, 3, ASmith)},
		plan.Options{Mode: plan.Sync, Manage: plan.Scope{Site: "hq"}})
	if err != nil {
		t.Fatalf("Make: %v", err)
	}
	sd := &pbx.Seed{Company: AcmeSeed().Company, Sites: AcmeSeed().Sites, Hunts: AcmeSeed().Hunts, AAs: AcmeSeed().AAs}
	sd.AAs[0].Extension = "6009"
	if err := h.s.Seed(h.ctx, sd); err != nil {
		t.Fatalf("Seed: %v", err)
	}
	res := h.apply(p)
	if !res.Rollback || len(res.Failed) != 1 {
		t.Fatalf("applied: %+v", res)
	}
	f := res.Failed[0]
	if c := p.Changes[f.Change]; c.Key != string(Pool(4)) || !errors.Is(f.Err, pbx.ErrStale) || !strings.Contains(f.Reason, "auto attendant main") {
		t.Errorf("refused %s %s with %q; want bgone's number refused naming auto attendant main", c.Action, c.Key, f.Reason)
	}
}
