package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestMembersSetwise: a batch of number member creates and deletes is
// written by the set-based statements alone (one per run, none falling back
// to change by change), and the store ends as the plan says.
func TestMembersSetwise(t *testing.T) {
	storetest.PostgresURL(t)
	ctx := context.Background()
	s := storetest.OpenPostgres(t).(*postgres.Store)
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	postgres.SetSetwiseFrom(s, 1)
	before, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	del := storetest.Change(plan.KindMember, plan.Delete, plan.MemberKey(storetest.Pool(0), storetest.ASmith), 0, plan.AttrRole, "")
	del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = string(pbx.RoleOutboundOnly) })
	var changes []plan.Change
	changes = append(changes, del)
	for d := 1; d <= 5; d++ {
		for _, u := range []pbx.UserID{storetest.ASmith, storetest.BGone} {
			changes = append(changes, storetest.Change(plan.KindMember, plan.Create, plan.MemberKey(storetest.Pool(d), u), 0,
				plan.AttrRole, string(pbx.RoleOutboundOnly)))
		}
	}
	p := storetest.NewPlan(storetest.Acme, changes...)
	statements, one := 0, 0
	postgres.SetHook(s, func(_ context.Context, _, change int, _ uint32) {
		switch {
		case change == -3:
			statements++
		case change >= 0:
			one++
		}
	})
	res, err := s.Apply(ctx, p, apply.Options{})
	if err != nil || res.Rollback || len(res.Failed) > 0 || res.Applied != len(changes) {
		t.Fatalf("Apply: %+v, %v", res, err)
	}
	if one != 0 || statements != 2 {
		t.Errorf("%d set-based statements and %d changes written one by one; want 2 statements (the delete, the creates) and none", statements, one)
	}
	want, err := storetest.Predict(before, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if d := storetest.DiffState(after, want); d != "" {
		t.Fatalf("state after the set-based member writes:\n%s", d)
	}

	// Applying the same plan again finds every member as it is now: the
	// set-based statements write fewer rows than they have, and the batch
	// goes change by change, which names the first change at fault.
	res, err = s.Apply(ctx, p, apply.Options{})
	if err != nil || len(res.Failed) != len(changes) || res.Applied != 0 {
		t.Fatalf("applying the plan again: %+v, %v; want every change refused", res, err)
	}
	for _, f := range res.Failed {
		if !errors.Is(f.Err, pbx.ErrStale) {
			t.Errorf("change %d refused with %v, want ErrStale", f.Change, f.Err)
		}
	}
	t.Logf("again: %s; %s", res.Failed[0].Reason, res.Failed[1].Reason)
}
