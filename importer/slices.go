package importer

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/validate"
)

// A roster of many rows is planned in slices (docs/scale.md section 7), so
// that what the planning holds does not grow with the roster: the rows'
// checked values, the planner's maps. A first pass reads, maps and checks
// every row, keeping of each only the keys it shares with other rows (its
// login, e-mail, extension, HR id, numbers, device, hunt groups, a new E911
// address) and with the live users that hold them; rows joined by a key
// (a number one frees and another takes, a user a row moves a number
// from, an ATA's ports) fall in one slice, the rest are cut in roster
// order into slices of about Options.Slice rows. Then the roster is read
// again; each slice, once its rows are read, is checked across its rows
// and against the live state, planned, and its plan appended to the
// run's (spilled: its field lists go to a temporary file), and its rows
// are let go. Rows joined by nothing cannot make each other's problems or
// changes, so the slices give the rows and changes one plan of the whole
// roster would.
//
// Not sliced (planned whole, as before): a sync (its leavers are every
// managed user no row names, and none when any row is invalid), rows that
// take numbers or extensions from the pool (the picks go in roster order
// across every row), and rows with an HR status or exit date (their notes
// are listed by kind across the roster). A roster of Options.Slice rows or
// fewer is read once and planned whole.

// SliceRows is the size of a slice the CLI's apply and bench use: small
// enough that a slice's rows and plan are a few MB (two slices are held
// while one is written and the next planned: planapply.go), large enough
// that the live state's indexes, made again for each slice, cost little
// beside it. 5,000 since session 11: at 100k rows, overlapped, the CLI's
// peak was 213 MiB against 260 with 10,000, for no more CPU; a --full
// re-sync, which checks every row against a whole state once a slice,
// took 1.2 s more CPU (BENCHMARKS.md, "Memory (issue 21)", session 11).
const SliceRows = 5_000

// keySet is the first pass: the rows, in reading order, joined by the keys
// they share.
type keySet struct {
	st     *pbx.State
	seed   maphash.Seed
	first  map[uint64]int32 // a key's hash -> the first row that has it
	parent []int32          // union-find over the rows (a root is the first row of its rows)
	cannot string           // why the roster cannot be sliced; "" when it can

	// what the rows name that the live state does not hold, for the store
	// to load from other companies once (copied: the rows are let go)
	foreign pbx.Keys
	keyer   *validate.Keyer

	// the live users that hold a value, by the value's hash (made on first need)
	holders     map[uint64]pbx.UserID
	lineUsers   map[pbx.MAC][]pbx.UserID
	memberUsers map[pbx.E164][]pbx.UserID
}

func newKeySet(st *pbx.State) *keySet {
	return &keySet{st: st, seed: maphash.MakeSeed(), first: map[uint64]int32{}, keyer: validate.NewKeyer(st)}
}

// keys makes the first pass's keys of the rows rs holds, as if each had
// been added as it was read.
func (rs *rowSet) keys(st *pbx.State) *keySet {
	ks := newKeySet(st)
	byLine := make(map[int]*pbx.Row, len(rs.rows))
	for _, r := range rs.rows {
		byLine[r.Line] = r
	}
	for _, line := range rs.lines {
		ks.add(byLine[line])
	}
	return ks
}

// ok reports whether the roster can be planned in slices.
func (ks *keySet) ok() bool { return ks.cannot == "" }

// Kinds of key.
const (
	keyUser     = 'u'
	keyEmail    = 'e'
	keyExt      = 'x'
	keyHR       = 'h'
	keyNumber   = 'n'
	keyDevice   = 'm'
	keyHunt     = 'g'
	keyLocation = 'l'
	keyTarget   = 't'
)

func (ks *keySet) hash(kind byte, parts ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(ks.seed)
	h.WriteByte(kind)
	for _, p := range parts {
		h.WriteString(p)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// add adds the next row read: r is what Checker.Check made of it (nil for a
// line left out whole, which shares nothing).
func (ks *keySet) add(r *pbx.Row) {
	i := int32(len(ks.parent))
	ks.parent = append(ks.parent, i)
	if r == nil || ks.cannot != "" {
		return
	}
	switch {
	case r.Alloc != nil:
		ks.cannot = "a row takes a number or an extension from the pool"
		return
	case r.HRStatus != "" && r.HRStatus != pbx.HRActive || r.ExitDate != "":
		ks.cannot = "a row has an HR status or an exit date"
		return
	}
	st := ks.st
	ks.addForeign(r)
	if r.User.ID != "" {
		ks.key(i, ks.hash(keyUser, string(r.User.ID)))
	}
	if e := r.User.Email; e != "" {
		h := ks.hash(keyEmail, strings.ToLower(e))
		ks.key(i, h)
		ks.holder(i, h)
	}
	if x := r.User.Extension; x != "" {
		h := ks.hash(keyExt, st.Site(r.User.Site).ExtScope(), string(x))
		ks.key(i, h)
		ks.holder(i, h)
	}
	if x := r.User.ExternalID; x != "" {
		h := ks.hash(keyHR, x)
		ks.key(i, h)
		ks.holder(i, h)
	}
	r.NamedNumbers(func(n pbx.E164) { ks.number(i, n) })
	if d := r.Device; d != nil {
		ks.key(i, ks.hash(keyDevice, string(d.MAC)))
		if ks.lineUsers == nil {
			ks.lineUsers = map[pbx.MAC][]pbx.UserID{}
			for _, l := range st.Lines {
				if l.User != "" {
					ks.lineUsers[l.MAC] = append(ks.lineUsers[l.MAC], l.User)
				}
			}
		}
		for _, u := range ks.lineUsers[d.MAC] {
			ks.key(i, ks.hash(keyUser, string(u)))
		}
	}
	for _, ref := range r.HuntGroups {
		if g := st.HuntGroupByRef(ref); g != nil {
			ref = g.ID
		}
		ks.key(i, ks.hash(keyHunt, ref))
	}
	if r.TargetRef != "" {
		ks.key(i, ks.hash(keyTarget, r.TargetRef))
	}
	if r.Location != nil { // a new E911 address is created by the first row that names it
		if id := pbx.LocationID(*r.Location); st.Locations[id] == nil {
			ks.key(i, ks.hash(keyLocation, id))
		}
	}
}

// addForeign adds to ks.foreign what r names that the live state does not
// hold, each value copied.
func (ks *keySet) addForeign(r *pbx.Row) {
	k := &ks.foreign
	u, e, n, m := len(k.Users), len(k.Emails), len(k.Numbers), len(k.MACs)
	ks.keyer.Add(k, r)
	for i := u; i < len(k.Users); i++ {
		k.Users[i] = pbx.UserID(strings.Clone(string(k.Users[i])))
	}
	for i := e; i < len(k.Emails); i++ {
		k.Emails[i] = strings.Clone(k.Emails[i])
	}
	for i := n; i < len(k.Numbers); i++ {
		k.Numbers[i] = pbx.E164(strings.Clone(string(k.Numbers[i])))
	}
	for i := m; i < len(k.MACs); i++ {
		k.MACs[i] = pbx.MAC(strings.Clone(string(k.MACs[i])))
	}
}

// foreignChunk is how many values the first pass names that the live state
// does not hold before it asks the store which are another company's.
var foreignChunk = 20_000

// lookUpForeign asks the store for the objects of other companies among
// what the rows so far name that the state does not hold (ks.foreign), once
// that is at least atLeast values, and lets the values go: the store adds
// to the state what it finds (almost nothing, for an onboarding), and the
// first pass holds no value per row (at 1M rows, ~4 cloned values of each
// new row: ~140 MB). Looked up in parts, the state ends as one look-up of
// every value makes it (planSlices looks up the rest).
func (ks *keySet) lookUpForeign(ctx context.Context, s Store, atLeast int) error {
	k := &ks.foreign
	if n := len(k.Users) + len(k.Emails) + len(k.Numbers) + len(k.MACs); n == 0 || n < atLeast {
		return nil
	}
	if err := s.LoadForeign(ctx, ks.st, *k); err != nil {
		return err
	}
	*k = pbx.Keys{}
	return nil
}

// number joins row i to the rows of number n and of the live users it
// routes to or has as members.
func (ks *keySet) number(i int32, n pbx.E164) {
	ks.key(i, ks.hash(keyNumber, string(n)))
	if live := ks.st.Numbers[n]; live != nil {
		if u := live.Target.User(); u != "" {
			ks.key(i, ks.hash(keyUser, string(u)))
		}
	}
	if ks.memberUsers == nil {
		ks.memberUsers = map[pbx.E164][]pbx.UserID{}
		for _, m := range ks.st.Members {
			ks.memberUsers[m.Number] = append(ks.memberUsers[m.Number], m.User)
		}
	}
	for _, u := range ks.memberUsers[n] {
		ks.key(i, ks.hash(keyUser, string(u)))
	}
}

// holder joins row i to the rows of the live user of the company that
// holds the value whose hash is h (an e-mail, an extension in its dial
// plan, an HR id).
func (ks *keySet) holder(i int32, h uint64) {
	if ks.holders == nil {
		st := ks.st
		ks.holders = make(map[uint64]pbx.UserID, len(st.Users))
		for _, u := range st.Users {
			if u.Company != st.Company.ID {
				continue
			}
			if u.Email != "" {
				ks.holders[ks.hash(keyEmail, strings.ToLower(u.Email))] = u.ID
			}
			if u.Extension != "" {
				ks.holders[ks.hash(keyExt, st.Site(u.Site).ExtScope(), string(u.Extension))] = u.ID
			}
			if u.ExternalID != "" {
				ks.holders[ks.hash(keyHR, u.ExternalID)] = u.ID
			}
		}
	}
	if u, ok := ks.holders[h]; ok {
		ks.key(i, ks.hash(keyUser, string(u)))
	}
}

// key joins row i to the first row that has the key whose hash is h. (Two
// keys of one hash join rows that need not be: harmless.)
func (ks *keySet) key(i int32, h uint64) {
	if j, ok := ks.first[h]; ok {
		ks.union(i, j)
		return
	}
	ks.first[h] = i
}

func (ks *keySet) find(i int32) int32 {
	for ks.parent[i] != i {
		ks.parent[i] = ks.parent[ks.parent[i]]
		i = ks.parent[i]
	}
	return i
}

func (ks *keySet) union(a, b int32) {
	ra, rb := ks.find(a), ks.find(b)
	switch {
	case ra < rb:
		ks.parent[rb] = ra
	case rb < ra:
		ks.parent[ra] = rb
	}
}

// cut puts the rows into slices: the rows joined by keys in one, and one
// after another, in the order of their last rows (the order in which a
// reading of the roster completes them), until a slice holds size rows or
// more. So the second reading completes the slices in turn, each at the
// last row of its last rows, and holds meanwhile only the rows of its
// slice and of the rows joined to a row further on; cut by their first
// rows, a slice that rows joined far apart (a number moved from a row at
// the top to a row at the bottom) reach into waited for them, and every
// slice after it with it: the whole roster was held (session 10). It
// returns each row's slice, in reading order, and how many rows each
// slice holds; the keys are let go.
func (ks *keySet) cut(size int) (sliceOf []int32, rows []int) {
	n := int32(len(ks.parent))
	ks.first, ks.holders, ks.lineUsers, ks.memberUsers, ks.foreign, ks.keyer = nil, nil, nil, nil, pbx.Keys{}, nil
	count := make([]int32, n) // a root's rows
	last := make([]int32, n)  // a root's last row, then its slice
	for i := range n {
		r := ks.find(i)
		count[r]++
		last[r] = i
	}
	filled := 0
	for i := range n {
		r := ks.find(i)
		if last[r] != i {
			continue
		}
		if len(rows) == 0 || filled >= size {
			rows = append(rows, 0)
			filled = 0
		}
		filled += int(count[r])
		rows[len(rows)-1] += int(count[r])
		last[r] = int32(len(rows) - 1)
	}
	sliceOf = count // each row's slice
	for i := range n {
		sliceOf[i] = last[ks.find(i)]
	}
	ks.parent = nil
	return sliceOf, rows
}

// slicePlanning, when set (a test), hears that the planning of slice k
// (its cross-row and live checks, its plan) starts.
var slicePlanning func(k int)

// planSlices reads the roster again and plans it slice by slice (c.slices,
// the first pass), checking each slice's rows as check would and adding
// their problems and invalid rows to c.
func planSlices(ctx context.Context, s Store, src Source, opts Options, c *Checked) (*plan.Plan, error) {
	st, po := c.State, opts.Plan
	today := plan.Today(po)
	// What the rows name of other companies, the rest of what the first
	// pass looked up in parts: the state is then the one a plan of the
	// whole is made against, and is indexed once for every slice.
	if err := c.slices.lookUpForeign(ctx, s, 0); err != nil {
		return nil, err
	}
	sliceOf, sizes := c.slices.cut(opts.Slice)
	c.slices = nil
	ix := plan.NewIndex(st)
	if opts.write != nil {
		// Applied as planned (PlanApply): what the run holds from here on is
		// the live state, a slice, and the rows' outcomes; the first pass's
		// keys and maps go, and their pages back to the system now (the
		// collector's next goal is then twice what the slices hold, not
		// twice the first pass's peak).
		Handover()
	}
	rd, bind, err := openBound(src, &Checked{}) // (its header's problems are in c already)
	if err != nil {
		return nil, err
	}
	defer rd.Close()

	var (
		p        *plan.Plan
		spillErr error
		later    bool                       // a row leaves on a later day
		leftOut  []int                      // lines left out whole with warnings, which the plan's notes name
		warnings = map[int][]*pbx.Problem{} // their warnings
		pending  = make([]*rowSet, len(sizes))
		writes   overlap // the slice being written (PlanApply)
	)
	// No slice is left being written when planSlices returns, whatever it
	// returns: the run's end (ApplySlices) follows its last write.
	defer writes.wait()
	planSlice := func(k int) error {
		if slicePlanning != nil {
			slicePlanning(k)
		}
		rs := pending[k]
		pending[k] = nil
		// The pool's numbers the slice's rows name are whole Numbers while
		// the slice is checked and planned (check compacted the pool): the
		// checks and the planner look numbers up in st.Numbers, and every
		// number a row's checks and plan read is one it names, the keys
		// that join it to the rows it meets (keySet.add).
		var named []pbx.E164
		for _, r := range rs.rows {
			r.NamedNumbers(func(n pbx.E164) { named = append(named, n) })
		}
		defer st.Release(st.Materialise(named))
		problems, invalid := len(c.Problems), len(c.Invalid)
		if err := c.crossCheck(ctx, s, st, rs, opts); err != nil {
			return err
		}
		rows := c.Rows
		c.Rows = nil
		c.planned += len(rows)
		later = later || leavesLater(rows, today)
		q, err := ix.Make(rows, po)
		if err != nil {
			return err
		}
		w := warnRows(q, c.Problems[problems:])
		q.AddRows(c.Invalid[invalid:])
		for _, line := range leftOutLines(q, w) {
			leftOut = append(leftOut, line)
			warnings[line] = w[line]
		}
		if opts.write != nil { // applied now (PlanApply): the run's plan keeps its rows, not its changes
			q.Roster, q.RosterHash, q.Generation = c.File, c.Hash, st.Generation
			// Written while the next slice is planned (writes.hand): only the
			// writer touches q and p until the next hand or wait.
			return writes.hand(func() error {
				if err := opts.write(q); err != nil {
					return err
				}
				if p == nil {
					h := *q
					h.Changes, h.Rows, h.Notes, h.Reads = nil, nil, nil, nil
					p = &h
				}
				p.AppendWritten(q)
				return nil
			})
		}
		if p == nil {
			p = q
		} else if err := p.Append(q); err != nil {
			return err
		}
		if !p.Spilled() && spillErr == nil {
			_, spillErr = p.Spill("") // else kept in memory; the CLI says so when it spills again
		}
		return nil
	}

	chk := validate.New(st)
	chk.Allocate = src.Allocate
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	i := 0
	for b := range readMapped(rctx, rd, bind) {
		if b.err != nil {
			return nil, b.err
		}
		for j := range b.recs {
			if i == len(sliceOf) {
				return nil, fmt.Errorf("%w: %s: the file changed while it was read (more rows than the first reading found); run again", pbx.ErrRead, c.File)
			}
			k := sliceOf[i]
			i++
			rs := pending[k]
			if rs == nil {
				rs = &rowSet{byLine: map[int][]*pbx.Problem{}, keyOf: map[int]string{}, foreign: true}
				pending[k] = rs
			}
			rs.add(&b.recs[j], b.mapped[j], chk)
			if len(rs.lines) == sizes[k] {
				if err := planSlice(int(k)); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if i != len(sliceOf) {
		return nil, fmt.Errorf("%w: %s: the file changed while it was read (fewer rows than the first reading found); run again", pbx.ErrRead, c.File)
	}
	if err := writes.wait(); err != nil { // the last slice written
		return nil, err
	}

	// Problems by row (the file's first), the invalid rows and the rows of
	// the plan in roster order, as one check and one plan make them.
	slices.SortStableFunc(c.Problems, func(a, b *pbx.Problem) int { return cmp.Compare(a.Cell.Row, b.Cell.Row) })
	slices.SortStableFunc(c.Invalid, func(a, b plan.RowPlan) int { return cmp.Compare(a.Line, b.Line) })
	p.AddRows(nil)
	slices.Sort(leftOut)
	p.Notes = append(p.Notes, notesOf(leftOut, warnings)...)
	p.Roster, p.RosterHash = c.File, c.Hash
	p.Generation = st.Generation
	p.Replayable = replayable(p, c) && !later
	if opts.write == nil || p.Written() == 0 {
		// The state is the caller's again (nothing written: PlanApply's
		// caller may apply the plan): whole, as loaded.
		st.ExpandPool()
	}
	return p, nil
}
