package plan_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// readsOf lists the reads of the change of kind and key, as "kind key".
func readsOf(t *testing.T, p *plan.Plan, kind plan.Kind, key string) map[string]plan.Read {
	t.Helper()
	for _, c := range p.Changes {
		if c.Kind == kind && c.Key == key {
			out := map[string]plan.Read{}
			for _, i := range c.Reads {
				r := p.Reads[i]
				out[string(r.Kind)+" "+r.Key] = r
			}
			return out
		}
	}
	t.Fatalf("no change of %s %s in %+v", kind, key, p.Changes)
	return nil
}

// A plan pins what its changes rely on without writing it: the user a
// number is routed to (unless the plan writes that user), the site rows
// were checked against, an extension found free of groups, where an
// un-assigned number's routing goes back to.
func TestMakePinsReads(t *testing.T) {
	st := live()
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Extension: "6100"}

	give := row(2, "ann@acme.example", pbx.FNumber) // ann, unchanged, gets a pool number
	give.User = *st.Users["ann@acme.example"]
	give.Numbers = []pbx.E164{"+14155550110", "+14155550101"}
	p := mustMake(t, st, []*pbx.Row{give}, plan.Options{})
	got := readsOf(t, p, plan.KindNumber, "+14155550101")
	if r, ok := got["user ann@acme.example"]; !ok || r.Version != 3 {
		t.Errorf("the number's reads %v: want user ann at version 3", got)
	}
	if r, ok := got["site hq"]; !ok || r.State != plan.SiteState(st.Sites["hq"]) {
		t.Errorf("the number's reads %v: want the row's site as read", got)
	}

	moved := row(2, "ann@acme.example", pbx.FNumber, pbx.FExtension) // ann moves to 1050: the plan writes her
	moved.User = *st.Users["ann@acme.example"]
	moved.User.Extension = "1050"
	moved.Numbers = []pbx.E164{"+14155550110", "+14155550101"}
	p = mustMake(t, st, []*pbx.Row{moved}, plan.Options{})
	if got := readsOf(t, p, plan.KindNumber, "+14155550101"); got["user ann@acme.example"].Key != "" {
		t.Errorf("the plan writes ann, whose version her update checks; yet the number reads her: %v", got)
	}
	if got := readsOf(t, p, plan.KindUser, "ann@acme.example"); got["extension "].Kind != plan.KindExtension {
		t.Errorf("ann's update reads %v: want her extension found free", got)
	}

	// A sync without bob: his number goes back to the pool, its routing to aa:main.
	p = mustMake(t, st, []*pbx.Row{same(st, 2, "ann@acme.example")}, plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true})
	if r := readsOf(t, p, plan.KindNumber, "+14155550111")["autoattendant main"]; r.State != "extension 6100" {
		t.Errorf("the un-assigned number's reads: want auto attendant main as read, got %+v", r)
	}
}

func mustMake(t *testing.T, st *pbx.State, rows []*pbx.Row, o plan.Options) *plan.Plan {
	t.Helper()
	p, err := plan.Make(st, rows, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
