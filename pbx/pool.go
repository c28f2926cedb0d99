package pbx

import (
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
	shapes []Number
	digits [][]uint64
	n      int
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
	for i, ds := range p.digits {
		if _, ok := slices.BinarySearch(ds, d); ok {
			return i, true
		}
	}
	return 0, false
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
	p := s.pool
	if p == nil {
		p = &numberPool{}
	}
	shapeOf := make(map[Number]int, len(p.shapes))
	for i, sh := range p.shapes {
		shapeOf[sh] = i
	}
	moved := 0
	for e, n := range s.Numbers {
		if n.Company != s.Company.ID || n.Target != "" {
			continue
		}
		d, ok := poolDigits(e)
		if !ok || n.E164 != e {
			continue
		}
		sh := *n
		sh.E164 = ""
		i, seen := shapeOf[sh]
		if !seen {
			i = len(p.shapes)
			shapeOf[sh] = i
			p.shapes = append(p.shapes, sh)
			p.digits = append(p.digits, nil)
		}
		p.digits[i] = append(p.digits[i], d)
		delete(s.Numbers, e)
		moved++
	}
	if moved == 0 && p.n == 0 {
		return 0
	}
	for i := range p.digits {
		slices.Sort(p.digits[i])
		p.digits[i] = slices.Clip(p.digits[i])
	}
	p.n += moved
	s.pool = p
	// The map's buckets keep their size when entries are deleted: a new map
	// of what is left lets the old one go.
	s.Numbers = shrunk(s.Numbers)
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
	if s.pool == nil {
		return nil
	}
	d, ok := poolDigits(e)
	if !ok {
		return nil
	}
	i, ok := s.pool.find(d)
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
	if s.pool == nil {
		return false
	}
	d, ok := poolDigits(e)
	if !ok {
		return false
	}
	_, ok = s.pool.find(d)
	return ok
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
