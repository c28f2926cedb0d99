package storetest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// JRoe is the login acme's jdoe is renamed to (the HR id as identity).
const JRoe pbx.UserID = "john.roe@acme.example"

// runRenameCases: a rename (plan.Rename) changes a user's login in place
// with the version check, and moves every object that names the user with
// it; written in batches of one row, in the default batches, with enough
// changes in one batch for the set-based path to be tried, and atomically.
func runRenameCases(t *testing.T, h func(func(*testing.T, *harness)) func(*testing.T)) {
	for _, c := range []struct {
		o       ApplyOptions
		fillers int // users created in the same plan, one row each
	}{{ApplyOptions{}, 0}, {ApplyOptions{BatchRows: 1}, 2}, {ApplyOptions{}, 24}, {ApplyOptions{Atomic: true}, 3}} {
		t.Run(fmt.Sprintf("atomic=%v,rows=%d,fillers=%d", c.o.Atomic, c.o.BatchRows, c.fillers), h(func(t *testing.T, h *harness) {
			testRename(t, h, c.o, c.fillers)
		}))
	}
	t.Run("Refused", h(testRenameRefused))
}

// renamePlan is jdoe's row renamed to JRoe as the planner writes it: the
// user's other changes under the login it has (a new last name and e-mail,
// pool number 103 assigned, jdoe made an outbound-only member of 102),
// then the rename last, pinning asmith; fillers more rows each create a
// user.
func renamePlan(st *pbx.State, fillers int) *plan.Plan {
	jdoe := st.Users[JDoe]
	row := []int{2}
	var chs []plan.Change
	add := func(c plan.Change, rows []int) {
		c.Rows = rows
		chs = append(chs, c)
	}
	add(plan.Change{Action: plan.Update, Kind: plan.KindUser, Key: string(JDoe), Version: jdoe.Version, Fields: plan.MakeFields(
		plan.FieldChange{Field: plan.AttrLastName, Before: jdoe.LastName, After: "Roe"},
		plan.FieldChange{Field: plan.AttrEmail, Before: jdoe.Email, After: "john.roe@acme.example"},
	)}, row)
	for i := 0; i < fillers; i++ {
		add(Change(plan.KindUser, plan.Create, fmt.Sprintf("filler%02d@acme.example", i), 0, plan.AttrSite, "hq",
			plan.AttrFirstName, "Filler", plan.AttrStatus, "active"), []int{3 + i})
	}
	n := st.Numbers[Pool(3)]
	add(plan.Change{Action: plan.Assign, Kind: plan.KindNumber, Key: string(Pool(3)), Version: n.Version, Fields: plan.MakeFields(
		plan.FieldChange{Field: plan.AttrTarget, Before: "", After: string(pbx.UserTarget(JDoe))},
		plan.FieldChange{Field: plan.AttrRouting, Before: string(n.Routing), After: "ext:4021"},
		plan.FieldChange{Field: plan.AttrSavedRouting, Before: string(n.SavedRouting), After: string(n.Routing)},
	)}, row)
	add(Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(2), JDoe), 0, plan.AttrRole, string(pbx.RoleOutboundOnly)), row)
	add(plan.Change{Action: plan.Rename, Kind: plan.KindUser, Key: string(JDoe), Version: jdoe.Version + 1,
		Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrUserID, Before: string(JDoe), After: string(JRoe)})}, row)
	p := NewPlan(Acme, chs...)
	rows := map[int]*plan.RowPlan{}
	for i, c := range p.Changes {
		line := c.Rows[0]
		if rows[line] == nil {
			rows[line] = &plan.RowPlan{Line: line, Key: c.Key, Status: plan.StatusCreated}
		}
		rows[line].Changes = append(rows[line].Changes, i)
	}
	for line := 2; line < 3+fillers; line++ {
		p.Rows = append(p.Rows, *rows[line])
	}
	p.Rows[0].Key, p.Rows[0].Status = string(JRoe), plan.StatusRenamed
	p.Reads = []plan.Read{{Kind: plan.KindUser, Key: string(ASmith), Version: st.Users[ASmith].Version, Why: "storetest: a pin beside the rename"}}
	p.Changes[len(p.Changes)-1].Reads = []int{0}
	return p
}

func testRename(t *testing.T, h *harness, o ApplyOptions, fillers int) {
	h.ready(AcmeSeed(), GlobexSeed())
	h.configure(t, o)
	before := h.load(Acme)
	p := renamePlan(before, fillers)
	want, err := Predict(before, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := h.applyOK(p)
	after := h.load(Acme)
	checkState(t, after, want)

	// Spelled out, what checkState compared: the same person under the new
	// login, with the number, port, members and extension that named jdoe.
	u := after.Users[JRoe]
	if u == nil || after.Users[JDoe] != nil {
		t.Fatalf("after the rename %s is %+v and %s %+v", JRoe, u, JDoe, after.Users[JDoe])
	}
	old := before.Users[JDoe]
	if u.Extension != old.Extension || u.ExternalID != old.ExternalID || u.Site != old.Site || u.CallerID != old.CallerID ||
		u.StationType != old.StationType || !u.VoiceEnabled || u.Email != "john.roe@acme.example" || u.LastName != "Roe" || u.Version != old.Version+2 {
		t.Errorf("the renamed user is %+v, was %+v", u, old)
	}
	for _, e := range []pbx.E164{Pool(0), Pool(3)} {
		if got := after.Numbers[e].Target; got != pbx.UserTarget(JRoe) {
			t.Errorf("number %s targets %s after the rename", e, got)
		}
	}
	if l := after.Lines[pbx.LineKey(DeskPhone, 1)]; l.User != JRoe {
		t.Errorf("the desk phone's port 1 is %s's after the rename", l.User)
	}
	roles := map[string]pbx.MemberRole{}
	for _, m := range after.Members {
		roles[plan.MemberKey(m.Number, m.User)] = m.Role
	}
	if roles[plan.MemberKey(Pool(0), JRoe)] != pbx.RoleAssigned || roles[plan.MemberKey(Pool(2), JRoe)] != pbx.RoleOutboundOnly ||
		roles[plan.MemberKey(Pool(0), ASmith)] != pbx.RoleOutboundOnly || roles[plan.MemberKey(Pool(0), JDoe)] != "" {
		t.Errorf("members after the rename: %v", roles)
	}
	h.checkRun(res.RunID, "applied", repeat(plan.ChangeApplied, len(p.Changes)))

	// The audit log keeps the rename under the old login with both logins;
	// its revert is a rename back, after jdoe's other fields.
	rec, err := h.s.Run(h.ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	last := rec.Plan.Changes[len(p.Changes)-1]
	if to, _ := last.After(plan.AttrUserID); last.Action != plan.Rename || last.Key != string(JDoe) || to != string(JRoe) {
		t.Errorf("the audit log holds the rename as %+v", last)
	}
	rp, rres := revertAndApply(t, h, rec)
	if len(rres.Failed) > 0 || rres.Rollback {
		t.Fatalf("applying the revert: %+v", rres.Failed)
	}
	if !hasRename(rp, string(JRoe), string(JDoe)) {
		t.Errorf("the revert plans no rename back: %+v", rp.Changes)
	}
	for _, r := range rp.Rows {
		if r.Status == plan.StatusConflict {
			t.Errorf("the revert refuses row %d: %v", r.Line, r.Problems)
		}
	}
	back := h.load(Acme)
	u = back.Users[JDoe]
	if u == nil || back.Users[JRoe] != nil || u.LastName != old.LastName || u.Email != old.Email || u.Extension != old.Extension {
		t.Fatalf("after the revert %s is %+v and %s %+v", JDoe, u, JRoe, back.Users[JRoe])
	}
	if back.Numbers[Pool(0)].Target != pbx.UserTarget(JDoe) || back.Numbers[Pool(3)].Target != "" ||
		back.Lines[pbx.LineKey(DeskPhone, 1)].User != JDoe {
		t.Errorf("after the revert: number %s targets %s, %s targets %q, port 1 is %s's", Pool(0), back.Numbers[Pool(0)].Target,
			Pool(3), back.Numbers[Pool(3)].Target, back.Lines[pbx.LineKey(DeskPhone, 1)].User)
	}
	for _, m := range back.Members {
		if m.User == JRoe || m.Number == Pool(2) {
			t.Errorf("after the revert a member is left: %+v", m)
		}
	}
}

func hasRename(p *plan.Plan, from, to string) bool {
	for _, c := range p.Changes {
		if v, _ := c.After(plan.AttrUserID); c.Action == plan.Rename && c.Key == from && v == to {
			return true
		}
	}
	return false
}

// testRenameRefused: a rename written against another version, to a login
// another user holds (of this company or another), or whose pin moved, is
// refused naming the change, and nothing of its row is written.
func testRenameRefused(t *testing.T, h *harness) {
	h.ready(AcmeSeed(), GlobexSeed())
	st := h.load(Acme)
	rename := func(version int64, to string) plan.Change {
		c := plan.Change{Action: plan.Rename, Kind: plan.KindUser, Key: string(JDoe), Version: version, Rows: []int{2},
			Fields: plan.MakeFields(plan.FieldChange{Field: plan.AttrUserID, Before: string(JDoe), After: to})}
		return c
	}
	v := st.Users[JDoe].Version
	for _, c := range []struct {
		name   string
		p      *plan.Plan
		is     error
		change int
	}{
		{"stale version", NewPlan(Acme, rename(v+3, string(JRoe))), pbx.ErrStale, 0},
		{"login of asmith", NewPlan(Acme, rename(v, string(ASmith))), pbx.ErrConflict, 0},
		{"login of globex's user", NewPlan(Acme, rename(v, string(WCoyote))), pbx.ErrConflict, 0},
		{"not a login", NewPlan(Acme, rename(v, "John Roe")), pbx.ErrInvalid, 0},
		{"its pin moved", func() *plan.Plan {
			p := NewPlan(Acme, rename(v, string(JRoe)))
			p.Reads = []plan.Read{{Kind: plan.KindUser, Key: string(ASmith), Version: st.Users[ASmith].Version + 1, Why: "storetest"}}
			p.Changes[0].Reads = []int{0}
			return p
		}(), pbx.ErrStale, 0},
	} {
		res := h.apply(c.p)
		if res.Applied != 0 || len(res.Failed) != 1 || res.Failed[0].Change != c.change || !errors.Is(res.Failed[0].Err, c.is) {
			t.Errorf("%s: applied %d, failed %+v; want change %d failed with %v", c.name, res.Applied, res.Failed, c.change, c.is)
		}
		after := h.load(Acme)
		if after.Users[JDoe] == nil || after.Users[JDoe].Version != v || after.Numbers[Pool(0)].Target != pbx.UserTarget(JDoe) {
			t.Errorf("%s: jdoe after the refused rename: %+v", c.name, after.Users[JDoe])
		}
	}
}
