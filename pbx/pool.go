package pbx

import (
	"context"
	"slices"
	"strconv"
)

// A company onboarding its staff holds many more free numbers than users
// (the 100k bench company: 108,000 free of 118,000), and a free number
// loaded as a whole object costs ~310 bytes (a Number of 160, its strings,
// its map entry): ~37 MB of a state of ~45 at 100k rows, ~330 MB at 1M
// (docs/scale.md section 7). Free numbers differ from one another mostly
// by their E.164 alone: the pool keeps them as the digits of that number
// (8 bytes), grouped by the rest of their fields (a shape: site, routing,
// version...), and a Number is made again only for those a roster names.

// numberPool is a company's free numbers held compactly: shapes[i] is a
// Number without its E164, and digits[i] the sorted numbers of that shape,
// each E.164's digits as an integer ("+14155550100" is 14155550100).
type numberPool struct {
	shapes   []Number
	digits   [][]uint64
	n        int
	unsorted bool // numbers were added since the lists were sorted
}

// poolDigits returns the digits of e as an integer, and whether e is one
// the pool can hold: "+" and 1 to 15 digits, the first not 0, so that the
// integer gives e back.
func poolDigits(e E164) (uint64, bool) {
	s := string(e)
	if len(s) < 2 || len(s) > 16 || s[0] != '+' || s[1] == '0' {
		return 0, false
	}
	var d uint64
	for i := 1; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d = d*10 + uint64(c-'0')
	}
	return d, true
}

func poolE164(d uint64) E164 { return E164("+" + strconv.FormatUint(d, 10)) }

// find returns the shape of the pool's number d; ok is false when the pool
// does not hold it.
func (p *numberPool) find(d uint64) (shape int, ok bool) {
	p.sort()
	for i, ds := range p.digits {
		if _, ok := slices.BinarySearch(ds, d); ok {
			return i, true
		}
	}
	return 0, false
}

// add adds free number n to the pool, its digits d; the lists are sorted
// on the next look-up (sort).
func (p *numberPool) add(n *Number, d uint64) {
	sh := *n
	sh.E164 = ""
	i := slices.Index(p.shapes, sh) // a handful of shapes
	if i < 0 {
		i = len(p.shapes)
		p.shapes = append(p.shapes, sh)
		p.digits = append(p.digits, nil)
	}
	p.digits[i] = append(p.digits[i], d)
	p.n++
	p.unsorted = true
}

// sort sorts the lists after add.
func (p *numberPool) sort() {
	if !p.unsorted {
		return
	}
	for i := range p.digits {
		slices.Sort(p.digits[i])
		p.digits[i] = slices.Clip(p.digits[i])
	}
	p.unsorted = false
}

// poolable reports whether n is a number the pool of s holds: one of the
// company's, assigned to nothing, in a form whose digits give it back.
func (s *State) poolable(n *Number) (uint64, bool) {
	if n.Company != s.Company.ID || n.Target != "" {
		return 0, false
	}
	return poolDigits(n.E164)
}

// PoolNumber puts the company's free number n in the compact pool (see
// CompactPool) instead of Numbers, for a store that reads the numbers of a
// state to be planned in slices (WithCompactPool), and reports whether it
// did; when it did not (n is assigned, another company's, or in a form the
// pool cannot hold), the caller puts n in Numbers. n is copied: the caller
// may reuse it.
func (s *State) PoolNumber(n *Number) bool {
	d, ok := s.poolable(n)
	if !ok {
		return false
	}
	if s.pool == nil {
		s.pool = &numberPool{}
	}
	s.pool.add(n, d)
	return true
}

type compactKey struct{}

// WithCompactPool returns a context that asks a store's Load for a state
// whose free numbers are in the compact pool from the start (PoolNumber),
// never each a whole Number: a company with a million free numbers is then
// loaded in ~10 MB, not ~330.
func WithCompactPool(ctx context.Context) context.Context {
	return context.WithValue(ctx, compactKey{}, true)
}

// CompactPoolWanted reports whether ctx asks for the compact pool
// (WithCompactPool).
func CompactPoolWanted(ctx context.Context) bool {
	v, _ := ctx.Value(compactKey{}).(bool)
	return v
}

// CompactPool moves the company's free numbers (in the company, assigned
// to nothing) out of Numbers into a compact pool, and returns how many it
// moved. Numbers then holds only the numbers that are assigned, of other
// companies, or in a form the pool cannot hold; Number and HasNumber
// answer for both, and Materialise puts named pool numbers back in
// Numbers for the code that reads the map. What reads Numbers directly
// (a walk over every number: the pool's picks, an export) must run on a
// state with no pool, or after ExpandPool.
func (s *State) CompactPool() int {
	moved := 0
	for e, n := range s.Numbers {
		if _, ok := s.poolable(n); !ok || n.E164 != e {
			continue
		}
		s.PoolNumber(n)
		delete(s.Numbers, e)
		moved++
	}
	if moved > 0 {
		// The map's buckets keep their size when entries are deleted: a
		// new map of what is left lets the old one go.
		s.Numbers = shrunk(s.Numbers)
		s.pool.sort()
	}
	return moved
}

// shrunk copies m into a map of its size.
func shrunk(m map[E164]*Number) map[E164]*Number {
	out := make(map[E164]*Number, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Pooled returns how many numbers the compact pool holds (0 without one).
func (s *State) Pooled() int {
	if s.pool == nil {
		return 0
	}
	return s.pool.n
}

// Number returns the number e of the state, from Numbers or, made anew
// (each call a new Number), from the compact pool; nil when the state
// holds neither.
func (s *State) Number(e E164) *Number {
	if n := s.Numbers[e]; n != nil {
		return n
	}
	i, d, ok := s.pooled(e)
	if !ok {
		return nil
	}
	n := s.pool.shapes[i]
	n.E164 = poolE164(d)
	return &n
}

// HasNumber reports whether the state holds number e, in Numbers or in the
// compact pool.
func (s *State) HasNumber(e E164) bool {
	if _, ok := s.Numbers[e]; ok {
		return true
	}
	_, _, ok := s.pooled(e)
	return ok
}

// pooled finds e in the compact pool: its shape and digits.
func (s *State) pooled(e E164) (shape int, d uint64, ok bool) {
	if s.pool == nil {
		return 0, 0, false
	}
	if d, ok = poolDigits(e); !ok {
		return 0, 0, false
	}
	shape, ok = s.pool.find(d)
	return shape, d, ok
}

// Materialise puts in Numbers each of es that the compact pool holds and
// Numbers does not, as the Number it was before CompactPool, and returns
// those it put (for Release). A number stays in the pool meanwhile.
func (s *State) Materialise(es []E164) []E164 {
	if s.pool == nil {
		return nil
	}
	var put []E164
	for _, e := range es {
		if _, ok := s.Numbers[e]; ok {
			continue
		}
		if n := s.Number(e); n != nil {
			s.Numbers[n.E164] = n
			put = append(put, n.E164)
		}
	}
	return put
}

// Release takes out of Numbers the numbers Materialise put there: they
// are still in the pool.
func (s *State) Release(put []E164) {
	for _, e := range put {
		delete(s.Numbers, e)
	}
}

// ExpandPool puts every number of the compact pool back in Numbers and
// drops the pool: the state is then as it was loaded.
func (s *State) ExpandPool() {
	p := s.pool
	if p == nil {
		return
	}
	s.pool = nil
	p.sort()
	for i, ds := range p.digits {
		for _, d := range ds {
			n := p.shapes[i]
			n.E164 = poolE164(d)
			if _, ok := s.Numbers[n.E164]; !ok {
				s.Numbers[n.E164] = &n
			}
		}
	}
}
