package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// joiners is a plan that creates n users with the given prefix and
// extensions from ext, and renames jdoe (at version 1) to name: two such
// plans for one company overlap on jdoe only.
func joiners(prefix string, ext, n int, name string) *plan.Plan {
	p := NewPlan(Acme)
	p.Changes = append(p.Changes, Change(plan.KindUser, plan.Update, string(JDoe), 1, plan.AttrFirstName, name))
	p.Changes[0].Rows = []int{2}
	p.Rows = append(p.Rows, plan.RowPlan{Line: 2, Key: string(JDoe), Status: plan.StatusUpdated, Changes: []int{0}})
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("%s%03d@acme.example", prefix, i)
		c := create(id, fmt.Sprint(ext+i))
		c.Rows = []int{i + 3}
		p.Changes = append(p.Changes, c)
		p.Rows = append(p.Rows, plan.RowPlan{Line: i + 3, Key: id, Status: plan.StatusCreated, Changes: []int{len(p.Changes) - 1}})
	}
	return p
}

// testConcurrentApplies: two applies on one company at once. With a long
// enough lock wait, the second waits for the first, then finds jdoe changed
// since its plan and leaves that row out (never overwrites it); with a very
// short one, it may be refused with pbx.ErrLocked and write nothing. Either
// way the state is exactly the first plan's, then what the second wrote.
func testConcurrentApplies(t *testing.T, h *harness) {
	for _, wait := range []time.Duration{30 * time.Second, time.Millisecond} {
		t.Run(fmt.Sprint("wait ", wait), func(t *testing.T) {
			h.ready(AcmeSeed())
			// Fresh company state for each round: rename acme's jdoe back.
			before := h.load(Acme)
			h.configure(t, ApplyOptions{BatchRows: 20, LockWait: wait})
			prefix, ext := "long", 5000
			if wait < time.Second {
				prefix, ext = "short", 7000
			}
			a := joiners(prefix+"a", ext, 200, "Ann")
			b := joiners(prefix+"b", ext+500, 200, "Bob")
			for _, p := range []*plan.Plan{a, b} {
				p.Changes[0].Version = before.Users[JDoe].Version
			}
			type out struct {
				res *plan.Result
				err error
			}
			var wg sync.WaitGroup
			results := make([]out, 2)
			start := make(chan struct{})
			for i, p := range []*plan.Plan{a, b} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res, err := h.s.Apply(h.ctx, p, h.opts)
					results[i] = out{res, err}
				}()
			}
			close(start)
			wg.Wait()

			// Which went first: the one that wrote jdoe.
			first, second := -1, -1
			for i, r := range results {
				switch {
				case r.err == nil && len(r.res.Failed) == 0:
					if first >= 0 {
						t.Fatalf("both applies wrote jdoe (at the same version): %+v, %+v", results[0].res, results[1].res)
					}
					first = i
				case r.err == nil:
					if len(r.res.Failed) != 1 || r.res.Failed[0].Change != 0 || !errors.Is(r.res.Failed[0].Err, pbx.ErrStale) {
						t.Fatalf("apply %d: %+v; want only its jdoe change stale", i, r.res)
					}
					second = i
				case errors.Is(r.err, pbx.ErrLocked):
					if wait > time.Second {
						t.Fatalf("apply %d refused after waiting %s: %v", i, wait, r.err)
					}
					t.Logf("refused: %v", r.err)
					second = i
				default:
					t.Fatalf("apply %d: %v", i, r.err)
				}
			}
			if first < 0 || second < 0 {
				t.Fatalf("results %+v: want one first and one second", results)
			}
			plans := []*plan.Plan{a, b}
			want, err := Predict(before, plans[first], nil)
			if err != nil {
				t.Fatal(err)
			}
			if results[second].err == nil {
				if want, err = Predict(want, plans[second], func(i int) bool { return i != 0 }); err != nil {
					t.Fatal(err)
				}
			}
			checkState(t, h.load(Acme), want)
		})
	}
}
