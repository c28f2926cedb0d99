package plan

import (
	"slices"
	"testing"
)

// The field and row lists of a plan share backing arrays: appending to one
// must never write into the next.
func TestArenaSlicesAreCapped(t *testing.T) {
	a := arena[int]{chunk: 8}
	x := a.take(2)
	x = append(x, 1, 2)
	y := a.take(3)
	y = append(y, 3, 4, 5)
	x = append(x, 99) // over its capacity: a copy, y untouched
	if !slices.Equal(y, []int{3, 4, 5}) || !slices.Equal(x, []int{1, 2, 99}) {
		t.Fatalf("x %v y %v", x, y)
	}
	big := a.take(20) // more than a chunk
	if cap(big) != 20 {
		t.Fatalf("cap %d, want 20", cap(big))
	}
}

func TestWhy(t *testing.T) {
	var w why
	if w.reasons() != "" || w.rows(&arena[int]{chunk: 4}) != nil {
		t.Fatal("an empty why has reasons or rows")
	}
	for _, s := range []struct {
		reason string
		line   int
	}{{"", 0}, {"a", 3}, {"a", 3}, {"", 3}, {"b", 5}, {"a", 3}, {"", 0}} {
		w.add(s.reason, s.line)
	}
	if got := w.reasons(); got != "a; b; a" {
		t.Errorf("reasons %q, want %q", got, "a; b; a")
	}
	if got := w.rows(&arena[int]{chunk: 4}); !slices.Equal(got, []int{3, 5, 3}) {
		t.Errorf("rows %v, want [3 5 3]", got)
	}
	var one why
	one.add("", 7)
	one.add("x", 7)
	if one.reasons() != "x" || !slices.Equal(one.rows(&arena[int]{chunk: 4}), []int{7}) || one.more != nil {
		t.Errorf("one reason, one row: %+v", one)
	}
}

// sortKeyed, which compares packed prefixes first, orders keys as strings do.
func TestSortKeyedOrdersAsStrings(t *testing.T) {
	keys := []string{"", "a", "a\x00", "ab", "+14155550100", "+14155550100/x@y", "+1415555010", "0004f2abcdef/1",
		"0004f2abcdef/10", "0004f2abcdef/2", "abcdefghijklmnop", "abcdefghijklmnopq", "abcdefghijklmnop\x00",
		"abcdefghijklmnoq", "\xff", "\xff\xff", "zz", "jdoe@acme.example", "jdoe.smith@acme.example"}
	var s []keyed[int]
	for i, k := range keys {
		s = append(s, mkKeyed(k, &i))
	}
	sortKeyed(s)
	want := slices.Clone(keys)
	slices.Sort(want)
	for i := range s {
		if s[i].key != want[i] {
			t.Fatalf("position %d: %q, want %q (all: %q)", i, s[i].key, want[i], want)
		}
	}
}
