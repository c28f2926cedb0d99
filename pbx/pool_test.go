package pbx

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"testing"
)

// poolState is a company's state with free numbers of several shapes,
// assigned ones, another company's, and free ones the pool cannot hold.
func poolState(t *testing.T, free int) (*State, map[E164]Number) {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 2))
	st := NewState(Company{ID: "acme"})
	add := func(n Number) {
		if _, dup := st.Numbers[n.E164]; dup {
			return
		}
		st.Numbers[n.E164] = &n
	}
	shapes := []Number{
		{Company: "acme", Site: "hq", Routing: "aa:main", Version: 1},
		{Company: "acme", Site: "hq", Routing: "aa:main", Version: 3},
		{Company: "acme", Site: "lon", Label: "Reception", SMS: true, Location: "loc-1", Version: 1},
		{Company: "acme", Site: "", SavedRouting: "ext:4001", HolidayRouting: "hg:sales", Version: 7},
	}
	for range free {
		n := shapes[rnd.IntN(len(shapes))]
		n.E164 = E164(fmt.Sprintf("+1415%07d", rnd.IntN(10_000_000)))
		add(n)
	}
	// Not for the pool: assigned, another company's, and forms whose digits
	// would not give the same string back.
	add(Number{E164: "+14155550100", Company: "acme", Site: "hq", Target: UserTarget("kim@acme.example"), Version: 2})
	add(Number{E164: "+14155550101", Company: "acme", Target: MakeTarget(TargetHuntGroup, "sales"), Version: 1})
	add(Number{E164: "+442079460958", Company: "other", Site: "hq", Version: 1})
	add(Number{E164: "+0123", Company: "acme", Version: 1})
	add(Number{E164: "+1234567890123456", Company: "acme", Version: 1}) // 16 digits
	add(Number{E164: "+1415555x100", Company: "acme", Version: 1})
	add(Number{E164: "+", Company: "acme", Version: 1})
	want := map[E164]Number{}
	for e, n := range st.Numbers {
		want[e] = *n
	}
	return st, want
}

func TestCompactPoolAnswersEveryNumber(t *testing.T) {
	st, want := poolState(t, 20_000)
	free := 0
	for _, n := range want {
		if _, ok := poolDigits(n.E164); ok && n.Company == "acme" && n.Target == "" {
			free++
		}
	}
	if moved := st.CompactPool(); moved != free || st.Pooled() != free {
		t.Fatalf("CompactPool moved %d, Pooled %d; want %d", moved, st.Pooled(), free)
	}
	if len(st.Numbers) != len(want)-free {
		t.Fatalf("Numbers holds %d after compaction, want %d", len(st.Numbers), len(want)-free)
	}
	for e, w := range want {
		n := st.Number(e)
		if n == nil || !reflect.DeepEqual(*n, w) {
			t.Fatalf("Number(%s) = %+v, want %+v", e, n, w)
		}
		if !st.HasNumber(e) {
			t.Fatalf("HasNumber(%s) = false", e)
		}
	}
	// Numbers next to the pool's, and numbers of the same digits in
	// another form, are not held.
	for e := range want {
		d, ok := poolDigits(e)
		if !ok {
			continue
		}
		for _, x := range []E164{poolE164(d + 1), poolE164(d - 1), "+0" + e[1:], e + "0"} {
			if _, held := want[x]; held {
				continue
			}
			if st.HasNumber(x) || st.Number(x) != nil {
				t.Fatalf("the state answers for %s, which it does not hold", x)
			}
		}
	}

	// Materialise puts the named pool numbers in Numbers, as they were;
	// Release takes out only those.
	var named []E164
	for e := range want {
		if len(named) < 500 {
			named = append(named, e)
		}
	}
	named = append(named, "+19999999999") // held nowhere
	before := maps.Clone(st.Numbers)
	put := st.Materialise(named)
	for _, e := range named {
		w, held := want[e]
		n := st.Numbers[e]
		if !held {
			if n != nil {
				t.Fatalf("Materialise put %s, which the state does not hold", e)
			}
			continue
		}
		if n == nil || !reflect.DeepEqual(*n, w) {
			t.Fatalf("after Materialise, Numbers[%s] = %+v, want %+v", e, n, w)
		}
	}
	for _, e := range put {
		if _, was := before[e]; was {
			t.Fatalf("Materialise says it put %s, which Numbers held already", e)
		}
	}
	st.Release(put)
	if !maps.Equal(st.Numbers, before) {
		t.Fatalf("after Release, Numbers holds %d, want the %d it held before", len(st.Numbers), len(before))
	}

	// ExpandPool gives the state back as loaded.
	st.ExpandPool()
	if st.Pooled() != 0 || len(st.Numbers) != len(want) {
		t.Fatalf("after ExpandPool: pooled %d, Numbers %d; want 0, %d", st.Pooled(), len(st.Numbers), len(want))
	}
	for e, w := range want {
		if n := st.Numbers[e]; n == nil || !reflect.DeepEqual(*n, w) {
			t.Fatalf("after ExpandPool, Numbers[%s] = %+v, want %+v", e, n, w)
		}
	}
}

func TestPoolDigitsRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		e  E164
		ok bool
	}{
		{"+14155550100", true},
		{"+1", true},
		{"+999999999999999", true}, // 15 digits, E.164's longest
		{"+1234567890123456", false},
		{"+0441234", false},
		{"14155550100", false},
		{"+1415555010a", false},
		{"", false},
	} {
		d, ok := poolDigits(tc.e)
		if ok != tc.ok {
			t.Errorf("poolDigits(%q) ok = %v, want %v", tc.e, ok, tc.ok)
			continue
		}
		if ok && poolE164(d) != tc.e {
			t.Errorf("poolE164(poolDigits(%q)) = %q", tc.e, poolE164(d))
		}
	}
}

func TestNoPoolAnswersFromNumbers(t *testing.T) {
	st := NewState(Company{ID: "acme"})
	st.Numbers["+14155550100"] = &Number{E164: "+14155550100", Company: "acme"}
	if st.Number("+14155550100") == nil || !st.HasNumber("+14155550100") || st.HasNumber("+14155550101") {
		t.Fatal("a state with no pool answers from Numbers alone")
	}
	if put := st.Materialise([]E164{"+14155550101"}); put != nil {
		t.Fatalf("Materialise without a pool put %v", put)
	}
	st.ExpandPool() // no pool: nothing to do
	if len(st.Numbers) != 1 {
		t.Fatalf("Numbers holds %d", len(st.Numbers))
	}
}
