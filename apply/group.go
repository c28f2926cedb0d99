package apply

import (
	"slices"
	"sort"
	"strings"

	"github.com/pbxsync/pbxsync/plan"
)

// A group is changes that must be written together or not at all: all the
// changes of one roster row (or one leaver), joined with those of any other
// row that touches the same user, number, device or device port, or that
// takes an extension or e-mail address another change frees. Groups are
// independent of one another, so writing them in separate transactions
// keeps every rule of the schema that one transaction keeps.
//
// An E911 location is the exception: an address that a thousand rows share
// is one change (the plan puts it first), in a group of its own; the groups
// of the rows that use it need it, and fail with it. That group is written
// in the batch of the first of those rows to be written, not ahead of them,
// so a location whose rows all fail is never left created.
type group struct {
	changes []int // plan indexes, ascending
	rows    int   // roster rows (and leavers) it holds
	needs   []int // the location groups it cannot do without
	shared  bool  // a location group
	needed  int   // how many groups need it
}

// deferred reports whether group gi is written with the groups that need
// it rather than in its own place in the plan.
func (g *grouping) deferred(gi int) bool {
	return g.groups[gi].shared && g.groups[gi].needed > 0
}

// weight is what group gi counts for in a batch's size and in progress:
// its rows, at least one, and nothing for a deferred group (its rows are
// counted with the groups that need it).
func (g *grouping) weight(gi int) int {
	if g.deferred(gi) {
		return 0
	}
	return max(g.groups[gi].rows, 1)
}

// total is the weight of the whole plan.
func (g *grouping) total() int {
	n := 0
	for gi := range g.groups {
		n += g.weight(gi)
	}
	return n
}

// grouping is a plan cut into groups.
type grouping struct {
	p      *plan.Plan
	groups []group // in plan order of their first change
	of     []int   // change index -> group index
}

// groupPlan cuts p into groups.
func groupPlan(p *plan.Plan) *grouping {
	n := len(p.Changes)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = ra
		} else if rb < ra {
			parent[ra] = rb
		}
	}
	shared := func(i int) bool { return p.Changes[i].Kind == plan.KindLocation }

	// The rows that hold each change: indexes into p.Rows, then a number of
	// its own for each roster line that a change names and p.Rows does not.
	rowsOf := make([][]int, n)
	lineRow := make(map[int]int, len(p.Rows))
	for ri, r := range p.Rows {
		if r.Line > 0 {
			lineRow[r.Line] = ri
		}
		for _, ci := range r.Changes {
			if ci >= 0 && ci < n {
				rowsOf[ci] = append(rowsOf[ci], ri)
			}
		}
	}
	nrows := len(p.Rows)
	for ci := range p.Changes {
		for _, line := range p.Changes[ci].Rows {
			ri, ok := lineRow[line]
			if !ok {
				ri, lineRow[line] = nrows, nrows
				nrows++
			}
			rowsOf[ci] = append(rowsOf[ci], ri)
		}
	}
	// each row once (sorted, not searched as added: an E911 address that
	// every row of a 100,000-row site survey shares is one change of
	// 100,000 rows)
	for ci, rs := range rowsOf {
		if len(rs) > 1 {
			slices.Sort(rs)
			rowsOf[ci] = slices.Compact(rs)
		}
	}
	rowChanges := make([][]int, nrows)
	for ci := range p.Changes {
		for _, ri := range rowsOf[ci] {
			rowChanges[ri] = append(rowChanges[ri], ci)
		}
	}

	// A row's changes go together; so do changes touching one object, and a
	// change that frees a unique value with those that take it.
	firstOfRow := make([]int, nrows)
	for i := range firstOfRow {
		firstOfRow[i] = -1
	}
	// Sized for one object a change: most changes name their own object
	// and objects other changes create (a number's user, a line's device),
	// and a hint above the count would only leave slots empty (at 100,000
	// rows n+n/2 held 52 MB; n should hold ~22, by the table sizes).
	firstOf := make(map[Ref]int, n)
	// Every new user takes an extension and an e-mail; few changes free
	// one. The takes are kept as a list and matched with the frees after.
	frees := map[Ref][]int{}
	type take struct {
		v  Ref
		ci int
	}
	var takes []take
	var t Touched
	withFields(p, func(ci int) {
		if shared(ci) {
			return
		}
		for _, ri := range rowsOf[ci] {
			if f := firstOfRow[ri]; f >= 0 {
				union(f, ci)
			} else {
				firstOfRow[ri] = ci
			}
		}
		t.Of(&p.Changes[ci])
		for _, o := range t.Objects {
			if f, ok := firstOf[o]; ok {
				union(f, ci)
			} else {
				firstOf[o] = ci
			}
		}
		for _, v := range t.Frees {
			frees[v] = append(frees[v], ci)
		}
		for _, v := range t.Takes {
			takes = append(takes, take{v, ci})
		}
	})
	for _, fs := range frees {
		for _, ci := range fs[1:] {
			union(fs[0], ci)
		}
	}
	for _, tk := range takes {
		if fs, ok := frees[tk.v]; ok {
			union(fs[0], tk.ci)
		}
	}

	roots := 0
	for ci := range p.Changes {
		if find(ci) == ci {
			roots++
		}
	}
	g := &grouping{p: p, of: make([]int, n), groups: make([]group, 0, roots)}
	index := make([]int, n) // root -> group + 1
	for ci := range p.Changes {
		root := find(ci)
		gi := index[root] - 1
		if gi < 0 {
			gi = len(g.groups)
			index[root] = gi + 1
			g.groups = append(g.groups, group{})
		}
		g.of[ci] = gi
		g.groups[gi].changes = append(g.groups[gi].changes, ci)
		g.groups[gi].shared = shared(ci)
	}
	seen := make([]int, nrows) // row -> the group that counted it last, + 1
	for gi := range g.groups {
		rows := 0
		for _, ci := range g.groups[gi].changes {
			if !shared(ci) {
				for _, ri := range rowsOf[ci] {
					if seen[ri] != gi+1 {
						seen[ri] = gi + 1
						rows++
					}
				}
			}
		}
		g.groups[gi].rows = rows
	}

	// Groups need the locations their numbers are placed at, and those that
	// their rows asked for.
	locGroup := map[string]int{}
	for ci := range p.Changes {
		if shared(ci) {
			locGroup[p.Changes[ci].Key] = g.of[ci]
		}
	}
	if len(locGroup) > 0 {
		withFields(p, func(ci int) {
			if shared(ci) {
				for _, ri := range rowsOf[ci] {
					for _, cj := range rowChanges[ri] {
						if !shared(cj) {
							g.need(g.of[cj], g.of[ci])
						}
					}
				}
				return
			}
			if loc, ok := p.Changes[ci].After(plan.AttrLocation); ok && loc != "" {
				if lg, ok := locGroup[loc]; ok {
					g.need(g.of[ci], lg)
				}
			}
		})
	}
	return g
}

// spilledChunk is how many changes of a spilled plan (plan.Spill) the
// grouping brings back into memory at a time.
const spilledChunk = 4096

// withFields calls f for each change of p in plan order, with the change's
// field list in memory: those of a spilled plan are brought back a chunk at
// a time and let go after. A failure to read them back is the plan's
// (p.Load says it again); f then sees the changes without their fields.
func withFields(p *plan.Plan, f func(ci int)) {
	n := len(p.Changes)
	if !p.Spilled() {
		for ci := range n {
			f(ci)
		}
		return
	}
	idx := make([]int, 0, spilledChunk)
	for lo := 0; lo < n; lo += spilledChunk {
		idx = idx[:0]
		for ci := lo; ci < min(lo+spilledChunk, n); ci++ {
			idx = append(idx, ci)
		}
		got, _ := p.Load(idx)
		for _, ci := range idx {
			f(ci)
		}
		p.Unload(got)
	}
}

func (g *grouping) need(gi, dep int) {
	if gi == dep {
		return
	}
	if n := len(g.groups[gi].needs); len(appendNew(g.groups[gi].needs, dep)) > n {
		g.groups[gi].needs = append(g.groups[gi].needs, dep)
		g.groups[dep].needed++
	}
}

func appendNew(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// Ref names an object or a unique value: a kind ("user", "number",
// "device", "line", "location", "member"; "extension", "email") and a key.
type Ref struct {
	Kind plan.Kind
	Key  string
}

// The kinds of unique values a change may free or take.
const (
	RefExtension plan.Kind = "extension"
	RefEmail     plan.Kind = "email" // lower-cased
)

// Touched is what a change writes or refers to: objects, and unique values
// (an extension, an e-mail address) it frees or takes.
type Touched struct {
	Objects, Frees, Takes []Ref
}

// Of sets t to what change c touches, reusing t's slices: two changes
// that touch one object must be written together, and so must a change
// that frees a unique value and those that take it. Two changes that take
// the same value are not joined: one of them fails, and the other need not
// fail with it. (Runs also cuts set-based statements where a change takes
// what an earlier one frees.)
func (t *Touched) Of(c *plan.Change) {
	t.Objects, t.Frees, t.Takes = t.Objects[:0], t.Frees[:0], t.Takes[:0]
	unique := func(field string, kind plan.Kind, fold bool) {
		for _, fc := range c.Fields.All() {
			if fc.Field != field || fc.Before == fc.After {
				continue
			}
			b, a := fc.Before, fc.After
			if fold {
				b, a = strings.ToLower(b), strings.ToLower(a)
			}
			if b != "" {
				t.Frees = append(t.Frees, Ref{kind, b})
			}
			if a != "" {
				t.Takes = append(t.Takes, Ref{kind, a})
			}
		}
	}
	refs := func(field string, kind plan.Kind) {
		for _, fc := range c.Fields.All() {
			if fc.Field != field {
				continue
			}
			for _, v := range [2]string{fc.Before, fc.After} {
				if v != "" {
					t.Objects = append(t.Objects, Ref{kind, v})
				}
			}
		}
	}
	t.Objects = append(t.Objects, Ref{c.Kind, c.Key})
	switch c.Kind {
	case plan.KindUser:
		unique(plan.AttrExtension, RefExtension, false)
		unique(plan.AttrEmail, RefEmail, true)
	case plan.KindNumber:
		for _, fc := range c.Fields.All() {
			if fc.Field == plan.AttrTarget {
				for _, v := range [2]string{fc.Before, fc.After} {
					if k, key, ok := strings.Cut(v, ":"); ok && k == "user" {
						t.Objects = append(t.Objects, Ref{plan.KindUser, key})
					}
				}
			}
		}
	case plan.KindLine:
		if i := strings.LastIndexByte(c.Key, '/'); i > 0 {
			t.Objects = append(t.Objects, Ref{plan.KindDevice, c.Key[:i]})
		}
		refs(plan.AttrUser, plan.KindUser)
		refs(plan.AttrNumber, plan.KindNumber)
	case plan.KindHuntMember: // goes with its user (created in the same batch)
		if _, u, err := plan.SplitHuntMemberKey(c.Key); err == nil {
			t.Objects = append(t.Objects, Ref{plan.KindUser, string(u)})
		}
	}
}

// batches packs the groups, in plan order, into batches of at most maxRows
// roster rows (a group is never split; a group without rows counts as one),
// and puts each deferred group in the batch of the first group that needs
// it. maxRows <= 0 means DefaultBatchRows. This is the layout of a run in
// which every change is written; when rows fail, a deferred group goes to
// the batch of the first row that needs it and is written (see write).
func (g *grouping) batches(maxRows int) [][]int {
	if maxRows <= 0 {
		maxRows = DefaultBatchRows
	}
	var out [][]int
	var cur []int
	size := 0
	for gi := range g.groups {
		if g.deferred(gi) {
			continue
		}
		s := g.weight(gi)
		if len(cur) > 0 && size+s > maxRows {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, gi)
		size += s
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	placed := make([]bool, len(g.groups))
	for bi, b := range out {
		for _, gi := range b {
			for _, dep := range g.groups[gi].needs {
				if !placed[dep] {
					placed[dep] = true
					out[bi] = append(out[bi], dep)
				}
			}
		}
	}
	return out
}

// changesOf lists the changes of groups, in plan order.
func (g *grouping) changesOf(groups []int) []int {
	var cs []int
	for _, gi := range groups {
		cs = append(cs, g.groups[gi].changes...)
	}
	sort.Ints(cs)
	return cs
}
