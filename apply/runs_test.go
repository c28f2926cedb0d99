package apply

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// runsOf cuts every change of p into runs whose rows are the plan indexes,
// and returns them as "kind op: indexes".
func runsOf(p *plan.Plan) ([]string, bool) {
	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	runs, ok := Runs(p, all, func(i int, _ Op) (int, bool) { return i, true })
	var out []string
	for _, r := range runs {
		out = append(out, fmt.Sprintf("%s %s: %v", r.Kind, [...]string{"insert", "update", "delete"}[r.Op], r.Rows))
	}
	return out, ok
}

func TestRuns(t *testing.T) {
	user := func(a plan.Action, id string, kv ...string) plan.Change {
		return change(plan.KindUser, a, id, nil, kv...)
	}
	member := func(a plan.Action, key string) plan.Change { return change(plan.KindMember, a, key, nil) }
	tests := []struct {
		name    string
		changes []plan.Change
		want    []string
	}{
		{"one run of creates", []plan.Change{
			user(plan.Create, "a@x", plan.AttrExtension, "", "101"),
			user(plan.Create, "b@x", plan.AttrExtension, "", "102"),
			user(plan.Create, "c@x"),
		}, []string{"user insert: [0 1 2]"}},
		{"cut where the operation changes, and where the kind does", []plan.Change{
			user(plan.Create, "a@x"),
			user(plan.Update, "b@x", plan.AttrFirstName, "B", "Bo"),
			user(plan.Deprovision, "c@x"),
			change(plan.KindDevice, plan.Create, "00:11:22:33:44:55", nil),
			change(plan.KindLine, plan.Create, "00:11:22:33:44:55/1", nil),
			change(plan.KindLine, plan.Delete, "00:11:22:33:44:66/1", nil),
			change(plan.KindNumber, plan.Assign, "+15550001", nil),
			change(plan.KindNumber, plan.Move, "+15550002", nil),
		}, []string{"user insert: [0]", "user update: [1 2]", "device insert: [3]", "line insert: [4]", "line delete: [5]",
			"number update: [6 7]"}},
		{"cut where an object comes again", []plan.Change{
			user(plan.Update, "a@x", plan.AttrFirstName, "A", "Al"),
			user(plan.Update, "b@x", plan.AttrFirstName, "B", "Bo"),
			user(plan.Update, "a@x", plan.AttrLastName, "A", "Ax"),
			user(plan.Update, "c@x", plan.AttrLastName, "C", "Cy"),
		}, []string{"user update: [0 1]", "user update: [2 3]"}},
		{"cut where a change takes an extension an earlier change frees", []plan.Change{
			user(plan.Update, "a@x", plan.AttrExtension, "101", "201"),
			user(plan.Update, "b@x", plan.AttrExtension, "102", "202"),
			user(plan.Update, "c@x", plan.AttrExtension, "301", "101"),
			user(plan.Update, "d@x", plan.AttrExtension, "302", "102"),
		}, []string{"user update: [0 1]", "user update: [2 3]"}},
		{"cut where a change takes an e-mail freed in another case", []plan.Change{
			user(plan.Update, "a@x", plan.AttrEmail, "Ann@X.example", "ann.old@x.example"),
			user(plan.Update, "b@x", plan.AttrEmail, "", "ann@x.example"),
		}, []string{"user update: [0]", "user update: [1]"}},
		{"no cut where a change frees what an earlier one takes, nor where two take one value", []plan.Change{
			user(plan.Update, "a@x", plan.AttrExtension, "101", "201"),
			user(plan.Update, "b@x", plan.AttrExtension, "201", "301"),
			user(plan.Update, "c@x", plan.AttrExtension, "", "401"),
			user(plan.Update, "d@x", plan.AttrExtension, "", "401"),
		}, []string{"user update: [0 1 2 3]"}},
		{"what a run frees is forgotten in the next", []plan.Change{
			user(plan.Update, "a@x", plan.AttrExtension, "101", "201"),
			user(plan.Update, "a@x", plan.AttrExtension, "201", "202"),
			user(plan.Update, "c@x", plan.AttrExtension, "301", "101"),
		}, []string{"user update: [0]", "user update: [1 2]"}},
		{"members: creates and deletes, cut where a member comes again", []plan.Change{
			member(plan.Create, "+15550001/a@x"),
			member(plan.Create, "+15550001/b@x"),
			member(plan.Delete, "+15550002/a@x"),
			member(plan.Delete, "+15550002/b@x"),
			member(plan.Delete, "+15550002/a@x"),
			user(plan.Create, "c@x"),
			member(plan.Create, "+15550003/c@x"),
		}, []string{"member insert: [0 1]", "member delete: [2 3]", "member delete: [4]", "user insert: [5]", "member insert: [6]"}},
		{"a member after a user who frees an extension is a run of its own", []plan.Change{
			user(plan.Update, "a@x", plan.AttrExtension, "101", "201"),
			member(plan.Create, "+15550001/a@x"),
			member(plan.Create, "+15550001/b@x"),
		}, []string{"user update: [0]", "member insert: [1 2]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := runsOf(&plan.Plan{Company: "acme", Changes: tt.changes})
			if !ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("runs = %q, %v; want %q, true", got, ok, tt.want)
			}
		})
	}
}

func TestRunsOnlyChangeByChange(t *testing.T) {
	good := change(plan.KindUser, plan.Create, "a@x", nil)
	for _, bad := range []plan.Change{
		change(plan.KindNumber, plan.Create, "+15550001", nil), // numbers come from the seed only
		change(plan.KindNumber, plan.Delete, "+15550001", nil),
		change(plan.KindUser, plan.Delete, "a@x", nil),
		change(plan.KindDevice, plan.Deprovision, "00:11:22:33:44:55", nil),
		change(plan.KindMember, plan.Update, "+15550001/a@x", nil),
		change(plan.KindUser, plan.Update, "", nil), // names no object
		change("site", plan.Create, "hq", nil),      // a kind no table holds
	} {
		t.Run(string(bad.Kind)+" "+string(bad.Action), func(t *testing.T) {
			if _, ok := OpOf(&bad); ok {
				t.Errorf("OpOf(%s %s %q) is ok", bad.Action, bad.Kind, bad.Key)
			}
			if runs, ok := runsOf(&plan.Plan{Changes: []plan.Change{good, bad}}); ok || runs != nil {
				t.Errorf("runs = %q, %v; want none, false", runs, ok)
			}
		})
	}
	// A change the store's row refuses makes the whole batch go change by
	// change.
	p := &plan.Plan{Changes: []plan.Change{good, change(plan.KindUser, plan.Create, "b@x", nil)}}
	runs, ok := Runs(p, []int{0, 1}, func(i int, _ Op) (int, bool) { return i, i == 0 })
	if ok || runs != nil {
		t.Errorf("runs = %v, %v; want none, false when a row is refused", runs, ok)
	}
}

func TestUpdates(t *testing.T) {
	for _, tt := range []struct {
		k    plan.Kind
		a    plan.Action
		want bool
	}{
		{plan.KindUser, plan.Deprovision, true}, {plan.KindUser, plan.Create, false},
		{plan.KindNumber, plan.Unassign, true}, {plan.KindNumber, plan.Create, false},
		{plan.KindLine, plan.Move, true}, {plan.KindLine, plan.Delete, false},
		{plan.KindLocation, plan.Update, true}, {plan.KindMember, plan.Update, false},
	} {
		if got := Updates(tt.k, tt.a); got != tt.want {
			t.Errorf("Updates(%s, %s) = %v, want %v", tt.k, tt.a, got, tt.want)
		}
	}
}

type col struct {
	name string
	val  any
}

func TestGroupsAndBlanks(t *testing.T) {
	name := func(c col) string { return c.name }
	blanks := []col{{"email", nil}, {"site", ""}}
	a := WithBlanks([]col{{"site", "hq"}, {"first_name", "Ann"}}, blanks, name)
	if want := []col{{"email", nil}, {"first_name", "Ann"}, {"site", "hq"}}; !reflect.DeepEqual(a, want) {
		t.Errorf("WithBlanks = %v, want %v", a, want)
	}
	rows := []Row[col]{
		{Change: 0, Sets: []col{{"first_name", "A"}}},
		{Change: 1, Sets: []col{{"first_name", "B"}, {"site", "hq"}}},
		{Change: 2, Sets: []col{{"first_name", "C"}}},
		{Change: 3, Sets: nil},
		{Change: 4, Sets: []col{{"first_name", "D"}, {"site", ""}}},
	}
	var got [][]int
	for _, g := range Groups(rows, name) {
		var ix []int
		for _, r := range g {
			ix = append(ix, r.Change)
		}
		got = append(got, ix)
	}
	if want := [][]int{{0, 2}, {1, 4}, {3}}; !reflect.DeepEqual(got, want) {
		t.Errorf("Groups = %v, want %v", got, want)
	}
}

func TestSetwiseFirstAndWriteChanges(t *testing.T) {
	var log []string
	setwise := func(err error) func() error {
		return func() error { log = append(log, "setwise"); return err }
	}
	byChange := func() error { log = append(log, "by change"); return nil }
	for _, tt := range []struct {
		n, from int
		err     error
		want    []string
	}{
		{15, 16, nil, []string{"by change"}},
		{16, 16, nil, []string{"setwise"}},
		{16, 16, fmt.Errorf("statement: %w", ErrSetwise), []string{"setwise", "by change"}},
		{16, 16, errors.New("lost connection"), []string{"setwise"}},
	} {
		log = nil
		err := SetwiseFirst(tt.n, tt.from, setwise(tt.err), byChange)
		if !reflect.DeepEqual(log, tt.want) || (tt.err != nil && !errors.Is(tt.err, ErrSetwise)) != (err != nil) {
			t.Errorf("SetwiseFirst(%d, %d) with %v: ran %v, returned %v", tt.n, tt.from, tt.err, log, err)
		}
	}

	p := &plan.Plan{Changes: []plan.Change{change(plan.KindUser, plan.Update, "a@x", nil), change(plan.KindUser, plan.Update, "b@x", nil)}}
	var after []int
	err := WriteChanges(context.Background(), []int{4, 7, 9}, func(_ context.Context, i int) error {
		if i == 9 {
			return fmt.Errorf("wrapped: %w", Fail(&p.Changes[1], "%w: stale", pbx.ErrStale))
		}
		return nil
	}, func(i int) { after = append(after, i) })
	ce, ok := AsChangeError(err)
	if !ok || ce.Change != 9 || err != error(ce) || !errors.Is(err, pbx.ErrStale) || !reflect.DeepEqual(after, []int{4, 7}) {
		t.Errorf("WriteChanges = %v (change error %v), after %v; want the change error of change 9, after [4 7]", err, ok, after)
	}
	if err := WriteChanges(context.Background(), []int{1, 2}, func(context.Context, int) error { return nil }, nil); err != nil {
		t.Errorf("WriteChanges with no after = %v", err)
	}
}
