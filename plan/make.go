package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// Make plans the changes that bring the live state st to what the valid
// roster rows ask for. It is pure: it reads st and rows and changes neither.
// Rows in conflict with the live state are planned as conflicts and left out,
// together with any row whose plan depended on them, until the rest is
// consistent. A sync over the removal limit is refused with a *LimitError.
func Make(st *pbx.State, rows []*pbx.Row, opts Options) (*Plan, error) {
	return makePlan(st, nil, rows, opts)
}

// Index is the live state's look-ups a plan is made with, made once for
// several plans of rows against one state (a roster planned in slices).
type Index struct {
	st *pbx.State
	ix *index
}

// NewIndex indexes st, which must not change while the index is used.
func NewIndex(st *pbx.State) *Index { return &Index{st: st, ix: indexState(st)} }

// Make is Make of rows against the indexed state.
func (x *Index) Make(rows []*pbx.Row, opts Options) (*Plan, error) {
	return makePlan(x.st, x.ix, rows, opts)
}

func makePlan(st *pbx.State, idx *index, rows []*pbx.Row, opts Options) (*Plan, error) {
	if opts.Mode == "" {
		opts.Mode = Onboard
	}
	if opts.Mode == Sync && opts.Manage.Empty() {
		return nil, fmt.Errorf("%w: a sync must say which users it manages (--manage all, --manage site=CODE or --manage external-id)", pbx.ErrRefused)
	}
	if err := checkScope(st, opts.Manage); err != nil {
		return nil, err
	}
	if idx == nil {
		idx = indexState(st)
	}
	users, commons := splitCommonArea(rows) // commonarea.go
	active, hr := sortHR(st, users, opts)   // hr.go: leavers and kept people by status, renames by HR id
	conflicts := map[int][]*pbx.Problem{}
	excluded := map[pbx.UserID]int{}
	if len(hr.conflicts) > 0 {
		kept := active[:0:0]
		for _, r := range active {
			if hr.conflicts[r.Line] == nil {
				kept = append(kept, r)
			}
		}
		for _, r := range rows {
			if ps := hr.conflicts[r.Line]; ps != nil {
				conflicts[r.Line] = ps
				excluded[r.User.ID] = r.Line
				if u := hrHolder(st, r); u != "" {
					excluded[u] = r.Line
				}
			}
		}
		active = kept
	}
	var b *builder
	for {
		b = newBuilder(st, idx, active, excluded, opts)
		b.hr, b.commons = hr, commons
		b.build()
		if len(b.conflicts) == 0 {
			break
		}
		commons = slices.DeleteFunc(commons, func(r *pbx.Row) bool {
			ps, ok := b.conflicts[r.Line]
			if ok {
				conflicts[r.Line] = ps
			}
			return ok
		})
		kept := make([]*pbx.Row, 0, len(active))
		for _, r := range active {
			if ps, ok := b.conflicts[r.Line]; ok {
				conflicts[r.Line] = ps
				excluded[r.User.ID] = r.Line
				continue
			}
			kept = append(kept, r)
		}
		active = kept
	}
	p := &Plan{
		Format:    FormatVersion,
		Company:   st.Company.ID,
		Mode:      opts.Mode,
		CreatedAt: time.Now().UTC(),
	}
	b.emit(p)
	b.pinReads(p)
	if err := b.checkLimit(); err != nil {
		return nil, err
	}
	p.Rows = b.rowPlans(p, rows, conflicts)
	p.Summary = summarise(p)
	p.Notes = append(p.Notes, hr.notes()...)
	return p, nil
}

// why records the reasons and roster rows behind an object's change. Most
// objects have one reason and one row, kept inline; further ones go to more.
type why struct {
	reason string // the first reason, "" for none
	line   int    // the first roster row, 0 for none
	more   *whyMore
}

type whyMore struct {
	reasons []string // after reason
	lines   []int    // after line
}

func (w *why) lastReason() string {
	if w.more != nil && len(w.more.reasons) > 0 {
		return w.more.reasons[len(w.more.reasons)-1]
	}
	return w.reason
}

func (w *why) lastLine() int {
	if w.more != nil && len(w.more.lines) > 0 {
		return w.more.lines[len(w.more.lines)-1]
	}
	return w.line
}

func (w *why) add(reason string, line int) {
	if reason != "" && reason != w.lastReason() {
		if w.reason == "" {
			w.reason = reason
		} else {
			if w.more == nil {
				w.more = &whyMore{}
			}
			w.more.reasons = append(w.more.reasons, reason)
		}
	}
	if line > 0 && line != w.lastLine() {
		if w.line == 0 {
			w.line = line
		} else {
			if w.more == nil {
				w.more = &whyMore{}
			}
			w.more.lines = append(w.more.lines, line)
		}
	}
}

// reasons joins the reasons with "; ".
func (w *why) reasons() string {
	if w.more == nil || len(w.more.reasons) == 0 {
		return w.reason
	}
	return w.reason + "; " + strings.Join(w.more.reasons, "; ")
}

func (w *why) numLines() int {
	if w.line == 0 {
		return 0
	}
	if w.more == nil {
		return 1
	}
	return 1 + len(w.more.lines)
}

// rows returns the roster rows, carved from a, or nil for none.
func (w *why) rows(a *arena[int]) []int {
	n := w.numLines()
	if n == 0 {
		return nil
	}
	s := a.take(n)
	s = append(s, w.line)
	if w.more != nil {
		s = append(s, w.more.lines...)
	}
	return s
}

type objKey struct {
	kind Kind
	key  string
}

// extKey is an extension in its scope (see pbx.Site.ExtScope).
type extKey struct {
	scope string
	ext   pbx.Extension
}

// memberID is a membership of a number, as a map key (MemberKey as a string).
type memberID struct {
	number pbx.E164
	user   pbx.UserID
}

// index holds lookups into the live state that planning needs per row.
type index struct {
	extOwner map[extKey]pbx.UserID // live holder of an extension in its scope
	byEmail  map[string]pbx.UserID
	numbers  map[pbx.UserID][]pbx.E164   // each user's numbers, in order
	lines    map[pbx.UserID][]string     // each user's device lines, by key in order
	members  map[pbx.UserID][]pbx.Member // each user's memberships, by number
	role     map[memberID]pbx.MemberRole
	hunts    map[pbx.UserID][]huntPlace // each user's places in hunt groups, by group
}

func indexState(st *pbx.State) *index {
	ix := &index{
		extOwner: make(map[extKey]pbx.UserID, len(st.Users)),
		byEmail:  make(map[string]pbx.UserID, len(st.Users)),
		numbers:  map[pbx.UserID][]pbx.E164{},
		lines:    map[pbx.UserID][]string{},
	}
	for _, u := range st.Users {
		if u.Company == st.Company.ID && u.Extension != "" {
			ix.extOwner[extKey{st.Site(u.Site).ExtScope(), u.Extension}] = u.ID
		}
		if u.Email != "" {
			ix.byEmail[u.Email] = u.ID
		}
	}
	// Each user's few numbers and lines are sorted on their own: sorting
	// every key of the state would cost n log n for lists of a handful.
	for e, n := range st.Numbers {
		if u := n.Target.User(); u != "" {
			ix.numbers[u] = append(ix.numbers[u], e)
		}
	}
	for _, es := range ix.numbers {
		slices.Sort(es)
	}
	for key, l := range st.Lines {
		ix.lines[l.User] = append(ix.lines[l.User], key)
	}
	for _, ks := range ix.lines {
		slices.Sort(ks)
	}
	ix.indexMembers(st)
	ix.indexHuntMembers(st)
	return ix
}

// The desired state of each object the roster touches, with why it changes.
// Objects live in slabs, listed in the order they were first touched; maps
// find them by key.
type (
	userObj struct {
		u       pbx.User
		live    *pbx.User // nil for a new user
		row     *pbx.Row  // the user's roster row, nil for none
		planned bool      // planUser has seen the user
		version int64     // the version the user's update is planned against
		why
	}
	numberObj struct {
		n      pbx.Number
		live   *pbx.Number
		leaver pbx.UserID // the leaver whose number it was, when that is why it changes
		why
	}
	deviceObj struct {
		d    pbx.Device
		live *pbx.Device
		why
	}
	lineObj struct {
		l      pbx.DeviceLine
		del    bool // the line is freed
		live   *pbx.DeviceLine
		leaver pbx.UserID
		why
	}
	locationObj struct {
		l    pbx.Location
		live *pbx.Location
		why
	}
	memberObj struct {
		key    string         // MemberKey
		role   pbx.MemberRole // the role it ends with; "": removed
		live   pbx.MemberRole
		leaver pbx.UserID
		why
	}
)

// keyed is an object with its key, for sorting by key. pre holds the key's
// first 16 bytes, so that most comparisons of a sort read neither string:
// at a million objects, reading each key's bytes is a cache miss.
type keyed[T any] struct {
	pre [2]uint64
	key string
	obj *T
}

func mkKeyed[T any](key string, obj *T) keyed[T] {
	return keyed[T]{pre: prefix(key), key: key, obj: obj}
}

// prefix packs the first 16 bytes of s, big-endian and zero-padded: a < b
// between two prefixes means the same between their strings.
func prefix(s string) [2]uint64 {
	var p [2]uint64
	for i := 0; i < 16 && i < len(s); i++ {
		p[i/8] |= uint64(s[i]) << (56 - 8*(i%8))
	}
	return p
}

func sortKeyed[T any](s []keyed[T]) {
	slices.SortFunc(s, func(a, b keyed[T]) int {
		if a.pre[0] != b.pre[0] {
			return cmp.Compare(a.pre[0], b.pre[0])
		}
		if a.pre[1] != b.pre[1] {
			return cmp.Compare(a.pre[1], b.pre[1])
		}
		return strings.Compare(a.key, b.key)
	})
}

// slab hands out objects from chunks: one allocation for many objects.
type slab[T any] struct{ free []T }

const slabChunk = 256

func (s *slab[T]) alloc() *T {
	if len(s.free) == 0 {
		s.free = make([]T, slabChunk)
	}
	p := &s.free[0]
	s.free = s.free[1:]
	return p
}

// arena hands out slices carved from large chunks, each capped at its
// length so an append to one never writes into the next.
type arena[T any] struct {
	free  []T
	chunk int
}

func (a *arena[T]) take(n int) []T {
	if len(a.free) < n {
		a.free = make([]T, max(n, a.chunk))
	}
	s := a.free[:0:n]
	a.free = a.free[n:]
	return s
}

// builder holds the desired end state of every object the roster touches.
type builder struct {
	st       *pbx.State
	ix       *index
	opts     Options
	rows     []*pbx.Row
	excluded map[pbx.UserID]int // users whose roster row is in conflict, and its line

	rowUsers []*userObj              // the user of each row of rows
	commons  []*pbx.Row              // the rows of common-area phones (no user), not in rows
	claim    map[pbx.E164]pbx.UserID // sync: numbers the roster assigns, to whom
	leavers  map[pbx.UserID]bool
	managed  int

	users     map[pbx.UserID]*userObj
	numbers   map[pbx.E164]*numberObj
	devices   map[pbx.MAC]*deviceObj
	lines     map[string]*lineObj
	locations map[string]*locationObj
	members   map[string]*memberObj
	freed     map[pbx.UserID]*why // extension cleared first, for another user to take

	userList     []keyed[userObj]
	numberList   []keyed[numberObj]
	deviceList   []keyed[deviceObj]
	lineList     []keyed[lineObj]
	locationList []keyed[locationObj]
	memberList   []keyed[memberObj]

	huntMembers    map[string]*huntMemberObj // huntmember.go
	huntMemberList []keyed[huntMemberObj]
	huntNext       map[string]int    // the next free position of each hunt group the roster adds to
	routed         map[pbx.E164]bool // numbers rows with no user route to a group (target.go), set by build

	userSlab     slab[userObj]
	numberSlab   slab[numberObj]
	deviceSlab   slab[deviceObj]
	lineSlab     slab[lineObj]
	locationSlab slab[locationObj]

	conflicts map[int][]*pbx.Problem
	groupExt  map[pbx.Extension]string // hunt groups' and auto attendants' extensions
	hr        *hrRows                  // what the rows' HR columns ask for (hr.go)

	// emit's: the packer of the plan's field lists, the arena of its row
	// lists, and each leaver's changes.
	fields        fieldPacker
	ints          arena[int]
	leaverChanges map[pbx.UserID][]int
}

func newBuilder(st *pbx.State, ix *index, rows []*pbx.Row, excluded map[pbx.UserID]int, opts Options) *builder {
	nums, devs := 0, 0
	for _, r := range rows {
		nums += len(r.Numbers)
		if r.Device != nil {
			devs++
		}
	}
	b := &builder{
		st: st, ix: ix, opts: opts, rows: rows, excluded: excluded,
		rowUsers:   make([]*userObj, len(rows)),
		leavers:    map[pbx.UserID]bool{},
		users:      make(map[pbx.UserID]*userObj, len(rows)),
		numbers:    make(map[pbx.E164]*numberObj, nums),
		devices:    make(map[pbx.MAC]*deviceObj, devs),
		lines:      make(map[string]*lineObj, devs),
		locations:  map[string]*locationObj{},
		members:    map[string]*memberObj{},
		freed:      map[pbx.UserID]*why{},
		userList:   make([]keyed[userObj], 0, len(rows)),
		numberList: make([]keyed[numberObj], 0, nums),
		deviceList: make([]keyed[deviceObj], 0, devs),
		lineList:   make([]keyed[lineObj], 0, devs),
		conflicts:  map[int][]*pbx.Problem{},
	}
	// Every roster user is in users from the start (the last row of an ID
	// is its row): users stands in for a map of rows by user.
	for i, r := range rows {
		o := b.users[r.User.ID]
		if o == nil {
			o = b.addUser(r.User.ID, st.Users[r.User.ID])
		}
		o.row = r
		b.rowUsers[i] = o
	}
	if opts.Mode == Sync {
		b.claim = make(map[pbx.E164]pbx.UserID, nums)
		for _, r := range rows {
			for _, n := range r.Numbers {
				b.claim[n] = r.User.ID
			}
		}
	}
	return b
}

// rowOfUser is the roster row of user id, or nil.
func (b *builder) rowOfUser(id pbx.UserID) *pbx.Row {
	if o := b.users[id]; o != nil {
		return o.row
	}
	return nil
}

func (b *builder) conflict(r *pbx.Row, f pbx.Field, code, value, msg, hint string) {
	c := r.CellOr(f)
	b.conflicts[r.Line] = append(b.conflicts[r.Line], &pbx.Problem{
		Cell: c, Severity: pbx.SevError, Code: code, Value: value,
		Message: msg, Hint: hint, Err: pbx.ErrConflict,
	})
}

func (b *builder) build() {
	b.routed = routedNumbers(b.commons) // target.go
	if b.opts.Mode == Sync {
		b.findLeavers()
	}
	b.markGone()
	for i, r := range b.rows {
		b.planUser(r, b.rowUsers[i])
	}
	b.planExtensions()
	for _, r := range b.rows {
		b.planNumbers(r)
		b.planDevice(r)
	}
	for _, r := range b.commons {
		b.planCommonArea(r)
	}
	for _, r := range b.rows {
		b.planMembers(r)
		b.planSecondLine(r) // secondline.go
		b.planHuntGroups(r) // huntmember.go
	}
	for id := range b.leavers {
		b.deprovision(id)
	}
	for _, r := range b.commons {
		b.planRouted(r) // target.go: after the leavers, whose numbers it may take
	}
	b.settleRouting()
	b.settleLines()
	b.settleMembers()
	b.settleCallerIDs() // hr.go
	b.checkVoiceOff()   // hr.go
}

// findLeavers marks the managed active users the roster does not name. A
// user whose row is in conflict is on the roster all the same: kept as is.
func (b *builder) findLeavers() {
	for id, u := range b.st.Users {
		if u.Company != b.st.Company.ID || !b.opts.Manage.Manages(u) || u.Status == pbx.StatusDeprovisioned {
			continue
		}
		b.managed++
		onRoster := b.rowOfUser(id) != nil || b.hr.onRoster(id)
		_, inConflict := b.excluded[id]
		if !onRoster && !inConflict && !b.opts.Incomplete {
			b.leavers[id] = true
		}
	}
}

// addUser adds the desired state of a user, a copy of live unless nil. A
// new user's ID is copied: the plan keeps it (as the key of the user's
// changes and row), and the roster's is a piece of its whole CSV record.
func (b *builder) addUser(id pbx.UserID, live *pbx.User) *userObj {
	o := b.userSlab.alloc()
	if live != nil {
		o.u, o.live = *live, live
		id = live.ID
	} else {
		id = pbx.UserID(strings.Clone(string(id)))
		o.u.ID = id
	}
	b.users[id] = o
	b.userList = append(b.userList, mkKeyed(string(id), o))
	return o
}

// user returns the desired state of a live user, copying it on first use.
func (b *builder) user(id pbx.UserID) *userObj {
	if o, ok := b.users[id]; ok {
		return o
	}
	live, ok := b.st.Users[id]
	if !ok {
		return nil
	}
	return b.addUser(id, live)
}

func (b *builder) planUser(r *pbx.Row, o *userObj) {
	want := &r.User
	if !o.planned && o.live == nil {
		o.u = pbx.User{
			ID: o.u.ID, Company: b.st.Company.ID, Status: pbx.StatusActive,
			StationType: "standard", VoiceEnabled: true,
		}
		o.add("new user on the roster", r.Line)
	}
	o.planned = true
	u := &o.u
	if r.Has(pbx.FSite) {
		u.Site = want.Site
	}
	if r.Has(pbx.FFirstName) {
		u.FirstName = want.FirstName
	}
	if r.Has(pbx.FLastName) {
		u.LastName = want.LastName
	}
	if r.Has(pbx.FEmail) {
		u.Email = want.Email
	}
	if r.Has(pbx.FStationType) && want.StationType != "" {
		u.StationType = want.StationType
	}
	if r.Has(pbx.FVoiceEnabled) {
		u.VoiceEnabled = want.VoiceEnabled
	}
	if r.Has(pbx.FCallerID) {
		u.CallerID = want.CallerID
	}
	if r.Has(pbx.FExternalID) {
		u.ExternalID = want.ExternalID
	}
	switch {
	case want.Extension == "":
		// no extension on the roster: leave it alone
	case r.ExtDerived && u.Extension != "":
		// the number's last digits are only a default for a user without one
	default:
		if a := r.Alloc; a != nil && a.PickedExt != "" && u.Extension != a.PickedExt {
			o.add(allocReason("extension "+string(a.PickedExt), a.ExtWhy), r.Line)
		}
		u.Extension = want.Extension
	}
	if u.Status == pbx.StatusDeprovisioned {
		u.Status, u.DeprovisionedAt = pbx.StatusActive, ""
		o.add("back on the roster: reactivated", r.Line)
	}
	if u.Email != "" {
		if holder, ok := b.ix.byEmail[u.Email]; ok && holder != u.ID {
			b.conflict(r, pbx.FEmail, CodeEmailTaken, u.Email,
				fmt.Sprintf("e-mail %s is already used by %s", u.Email, holder),
				"give this user another e-mail, or change the other user's first")
		}
	}
	o.add("", r.Line)
}

// planExtensions finds the users whose new extension someone else holds:
// a roster user moving to another one, or a leaver, frees it first; anyone
// else makes it a conflict.
func (b *builder) planExtensions() {
	for i, r := range b.rows {
		o := b.rowUsers[i]
		u, live := &o.u, o.live
		if u.Extension == "" || live != nil && live.Extension == u.Extension && live.Site == u.Site {
			continue
		}
		if group := b.groupWithExtension(u.Extension); group != "" {
			b.conflict(r, pbx.FExtension, CodeExtensionTaken, string(u.Extension),
				fmt.Sprintf("extension %s is the %s's", u.Extension, group),
				"choose another extension: a hunt group's or auto attendant's extension is never taken")
			continue
		}
		holder, ok := b.ix.extOwner[extKey{b.st.Site(u.Site).ExtScope(), u.Extension}]
		if !ok || holder == u.ID {
			continue
		}
		switch {
		case b.blocked(r, pbx.FExtension, holder, "extension "+string(u.Extension)):
		case b.leavers[holder]:
			b.freeExtension(holder, fmt.Sprintf("leaver's extension %s goes to %s", u.Extension, u.ID), r.Line)
		case b.rowOfUser(holder) != nil && b.users[holder].u.Extension != u.Extension:
			b.freeExtension(holder, fmt.Sprintf("extension %s moves to %s", u.Extension, u.ID), r.Line)
		case b.rowOfUser(holder) != nil:
			b.conflict(r, pbx.FExtension, CodeExtensionTaken, string(u.Extension),
				fmt.Sprintf("extension %s is held by %s, who keeps it", u.Extension, holder),
				"give one of the two another extension on the roster")
		case b.st.Users[holder] != nil && b.st.Users[holder].Status == pbx.StatusDeprovisioned:
			b.reclaimExtension(r, holder, u.Extension) // hr.go
		default:
			b.conflict(r, pbx.FExtension, CodeExtensionTaken, string(u.Extension),
				fmt.Sprintf("extension %s is already used by %s, who is not on the roster", u.Extension, holder),
				"choose another extension, or change "+string(holder)+"'s extension first")
		}
	}
}

// groupWithExtension names the company's hunt group or auto attendant that
// has extension e, or returns "".
func (b *builder) groupWithExtension(e pbx.Extension) string {
	if b.groupExt == nil {
		b.groupExt = map[pbx.Extension]string{}
		for _, a := range b.st.AAs {
			if a.Company == b.st.Company.ID && a.Extension != "" {
				b.groupExt[a.Extension] = "auto attendant " + a.ID
			}
		}
		for _, h := range b.st.Hunts {
			if h.Company == b.st.Company.ID && h.Extension != "" {
				b.groupExt[h.Extension] = "hunt group " + h.ID
			}
		}
	}
	if len(b.groupExt) == 0 {
		return ""
	}
	return b.groupExt[e]
}

func (b *builder) freeExtension(id pbx.UserID, reason string, line int) {
	w := &why{}
	w.add(reason, line)
	b.freed[id] = w
}

// number returns the desired state of a live number, copying it on first
// use; live is the number in the live state when the caller has it.
func (b *builder) number(e pbx.E164, live *pbx.Number) *numberObj {
	if o, ok := b.numbers[e]; ok {
		return o
	}
	if live == nil {
		if live = b.st.Numbers[e]; live == nil {
			return nil
		}
	}
	o := b.numberSlab.alloc()
	o.n, o.live = *live, live
	b.numbers[e] = o
	b.numberList = append(b.numberList, mkKeyed(string(e), o))
	return o
}

func (b *builder) planNumbers(r *pbx.Row) {
	uid := r.User.ID
	var target pbx.Target // built once the row has a number
	var loc string
	if r.Location != nil {
		loc = b.planLocation(r)
	}
	for _, e := range r.Numbers {
		live := b.st.Numbers[e]
		if live == nil || live.Company != b.st.Company.ID {
			continue // validation reports it
		}
		if target == "" {
			target = pbx.UserTarget(uid)
		}
		if live.Target != target && live.Target != "" && !b.mayTake(r, e, live, "") {
			continue
		}
		o := b.number(e, live)
		n := &o.n
		if n.Target != target {
			if a := r.Alloc; a != nil && a.PickedNumber == e {
				o.add(allocReason(string(e), a.NumberWhy)+" for "+string(uid), r.Line)
			} else {
				o.add("assigned to "+string(uid), r.Line)
			}
		}
		n.Target = target
		if r.Has(pbx.FNumberLabel) { // the row's label names every number of its cell
			n.Label = r.NumberLabel
		}
		if r.Has(pbx.FSMS) {
			n.SMS = r.SMS
		}
		if loc != "" {
			n.Location = loc
		}
		o.add("", r.Line)
	}
	if b.opts.Mode != Sync || !r.Has(pbx.FNumber) {
		return
	}
	for _, e := range b.ix.numbers[uid] {
		if b.claim[e] == "" && !b.routed[e] {
			b.unassign(e, "no longer on "+string(uid)+"'s roster row", r.Line)
		}
	}
}

// mayTake reports whether row r may take number e (live) from what it is
// assigned to: a user the roster names or a leaver, or anything with
// --take (DOMAIN rule 3: a move is explicit, never a silent theft);
// otherwise it records why not as a conflict of r, its message ending
// with also.
func (b *builder) mayTake(r *pbx.Row, e pbx.E164, live *pbx.Number, also string) bool {
	holder := live.Target.User()
	switch {
	case b.blocked(r, pbx.FNumber, holder, "number "+string(e)):
		return false
	case holder != "" && (b.rowOfUser(holder) != nil || b.leavers[holder]), b.opts.Take:
		return true
	}
	b.conflict(r, pbx.FNumber, CodeNumberTaken, string(e),
		fmt.Sprintf("number %s is assigned to %s, which the roster does not name%s", e, describe(live.Target), also),
		"leave the number off this row, or run with --take to move it")
	return false
}

// blocked reports (as a conflict of r) that what r wants is held by a user
// whose own row is in conflict, so it will not be released.
func (b *builder) blocked(r *pbx.Row, f pbx.Field, holder pbx.UserID, what string) bool {
	line, ok := b.excluded[holder]
	if !ok {
		return false
	}
	c := r.CellOr(f)
	b.conflicts[r.Line] = append(b.conflicts[r.Line], &pbx.Problem{
		Cell: c, Severity: pbx.SevError, Code: CodeBlockedBy, Value: what,
		Message: fmt.Sprintf("%s is held by %s, whose row %d is in conflict", what, holder, line),
		Hint:    fmt.Sprintf("fix row %d first", line), Err: pbx.ErrConflict,
	})
	return true
}

func describe(t pbx.Target) string {
	k, key := t.Split()
	switch k {
	case pbx.TargetHuntGroup:
		return "hunt group " + key
	case pbx.TargetAutoAttendant:
		return "auto attendant " + key
	}
	return key
}

func (b *builder) unassign(e pbx.E164, reason string, line int) *numberObj {
	o := b.number(e, nil)
	o.n.Target = ""
	o.n.SMS = false // SMS needs a user assignee (rule 10)
	o.add(reason, line)
	return o
}

func (b *builder) planLocation(r *pbx.Row) string {
	a := *r.Location
	id := pbx.LocationID(a)
	o, ok := b.locations[id]
	if !ok {
		o = b.locationSlab.alloc()
		b.locations[id] = o
		b.locationList = append(b.locationList, mkKeyed(id, o))
		if live, ok := b.st.Locations[id]; ok {
			o.l, o.live = *live, live
		} else {
			o.l = pbx.Location{ID: id, Company: b.st.Company.ID}
			o.add("new E911 address", r.Line)
		}
	}
	o.l.Address = a
	o.add("", r.Line)
	return id
}

// line returns the line of key, adding it (with live, the line in the live
// state) on first use.
func (b *builder) line(key string, live *pbx.DeviceLine) *lineObj {
	if o, ok := b.lines[key]; ok {
		return o
	}
	o := b.lineSlab.alloc()
	o.live = live
	b.lines[key] = o
	b.lineList = append(b.lineList, mkKeyed(key, o))
	return o
}

func (b *builder) planDevice(r *pbx.Row) {
	uid := r.User.ID
	if r.Device != nil {
		dv := r.Device
		d, ok := b.devices[dv.MAC]
		if !ok {
			d = b.deviceSlab.alloc()
			b.devices[dv.MAC] = d
			b.deviceList = append(b.deviceList, mkKeyed(string(dv.MAC), d))
			if live, ok := b.st.Devices[dv.MAC]; ok {
				d.d, d.live = *live, live
			} else {
				d.d = pbx.Device{MAC: dv.MAC, Company: b.st.Company.ID}
				if r.CommonArea {
					d.add("new common-area phone (no user)", r.Line)
				} else {
					d.add("new device for "+string(uid), r.Line)
				}
			}
		}
		d.d.Model = dv.Model
		d.add("", r.Line)

		key := pbx.LineKey(dv.MAC, dv.Port)
		live := b.st.Lines[key]
		if live != nil && live.User != uid {
			holder := live.User
			if b.blocked(r, pbx.FMAC, holder, "port "+strconv.Itoa(dv.Port)+" of "+dv.MAC.String()) {
				return
			}
			if b.rowOfUser(holder) == nil && !b.leavers[holder] && !b.opts.Take {
				b.conflict(r, pbx.FMAC, CodeLineTaken, dv.MAC.String(),
					fmt.Sprintf("port %d of %s serves %s, who is not on the roster", dv.Port, dv.MAC, holder),
					"check the MAC and port, or run with --take to move the port")
				return
			}
		}
		o := b.line(key, live)
		o.l = pbx.DeviceLine{MAC: dv.MAC, Port: dv.Port, User: uid, Lines: dv.Lines}
		o.del = false
		if len(r.Numbers) > 0 {
			o.l.Number = r.Numbers[0]
		}
		switch {
		case live == nil && r.CommonArea:
			o.add("port "+strconv.Itoa(dv.Port)+" of the common-area phone rings "+string(o.l.Number)+", no user", r.Line)
		case live == nil:
			o.add("port "+strconv.Itoa(dv.Port)+" of the device rings "+string(uid), r.Line)
		case live.User != uid:
			o.add(fmt.Sprintf("port %d moves from %s to %s", dv.Port, live.User, uid), r.Line)
		}
		o.add("", r.Line)
	}
	if b.opts.Mode != Sync || !r.Has(pbx.FMAC) || r.CommonArea {
		return
	}
	for _, key := range b.ix.lines[uid] {
		if r.Device == nil || key != pbx.LineKey(r.Device.MAC, r.Device.Port) {
			if _, claimed := b.lines[key]; !claimed {
				o := b.line(key, b.st.Lines[key])
				o.del = true
				o.add("port no longer on "+string(uid)+"'s roster row", r.Line)
			}
		}
	}
}

// deprovision disables a leaver, returns their numbers to the pool (unless a
// roster row takes them), frees their device ports, ends their
// memberships of numbers (outbound-only and assigned) and takes them out of
// their hunt groups.
func (b *builder) deprovision(id pbx.UserID) {
	o := b.user(id)
	o.u.Status = pbx.StatusDeprovisioned
	if o.u.DeprovisionedAt == "" {
		o.u.DeprovisionedAt = Today(b.opts) // the extension hold and erasure count from it
	}
	reason, line := b.goneReason(id)
	o.add(reason, line)
	for _, e := range b.ix.numbers[id] {
		if b.claim[e] == "" && !b.routed[e] {
			n := b.unassign(e, "leaver "+string(id)+"'s number returns to the pool", line)
			n.leaver = id
		}
	}
	for _, key := range b.ix.lines[id] {
		if _, claimed := b.lines[key]; !claimed {
			l := b.line(key, b.st.Lines[key])
			l.del = true
			l.add("leaver "+string(id)+"'s port is freed", line)
			l.leaver = id
		}
	}
	for _, m := range b.ix.members[id] {
		mo := b.removeMember(m, "leaver "+string(id)+"'s "+string(m.Role)+" access to "+string(m.Number)+" ends", line)
		mo.leaver = id
	}
	b.leaveHuntGroups(id, line) // huntmember.go
}

// finalExt is the extension a user ends with.
func (b *builder) finalExt(id pbx.UserID) pbx.Extension {
	if o, ok := b.users[id]; ok {
		if len(b.freed) > 0 && b.freed[id] != nil && o.row == nil {
			return ""
		}
		return o.u.Extension
	}
	if u, ok := b.st.Users[id]; ok {
		return u.Extension
	}
	return ""
}

// settleRouting sets the routing of every number whose target changes, and
// of numbers whose user's extension changes (DOMAIN rules 1-3).
func (b *builder) settleRouting() {
	for _, k := range b.numberList {
		o := k.obj
		n, live := &o.n, o.live
		switch {
		case live.Target == n.Target:
			if u := n.Target.User(); u != "" {
				if old := b.st.Users[u]; old != nil && live.Routing == pbx.ExtRouting(old.Extension) && old.Extension != b.finalExt(u) {
					n.Routing = pbx.ExtRouting(b.finalExt(u))
					o.add("follows "+string(u)+"'s extension", b.rowOf(u))
				}
			}
		case n.Target == "": // un-assign: the routing it had before comes back
			n.Routing, n.SavedRouting = live.SavedRouting, ""
		case n.Target.User() == "": // to a hunt group or an auto attendant: it rings the group
			if live.Target == "" { // from the pool: remember its routing (from a user, the pool's stays saved)
				n.SavedRouting = live.Routing
			}
			n.Routing = pbx.TargetRouting(n.Target)
		case live.Target.User() == "": // from the pool (or a group): remember its routing
			n.SavedRouting = live.Routing
			n.Routing = pbx.ExtRouting(b.finalExt(n.Target.User()))
		default: // from one user to another: the pool's routing stays saved
			n.Routing = pbx.ExtRouting(b.finalExt(n.Target.User()))
		}
	}
	// numbers of users whose extension changes, not otherwise touched
	for _, k := range b.userList {
		o := k.obj
		old := o.live
		if old == nil || old.Extension == o.u.Extension && b.freed[o.u.ID] == nil {
			continue
		}
		id := o.u.ID
		for _, e := range b.ix.numbers[id] {
			if _, seen := b.numbers[e]; !seen && b.st.Numbers[e].Routing == pbx.ExtRouting(old.Extension) {
				c := b.number(e, nil)
				c.n.Routing = pbx.ExtRouting(b.finalExt(id))
				c.add("follows "+string(id)+"'s extension", b.rowOf(id))
			}
		}
	}
}

// settleLines gives a device line whose number now belongs to someone else
// its user's primary number from the roster, or none.
func (b *builder) settleLines() {
	for key, live := range b.st.Lines {
		if _, touched := b.lines[key]; touched || live.Number == "" {
			continue
		}
		if n, ok := b.numbers[live.Number]; ok && n.n.Target.User() != live.User {
			o := b.line(key, live)
			o.l = *live
			o.l.Number = b.primary(live.User)
			to := describe(n.n.Target)
			if n.n.Target == "" {
				to = "the company pool"
			}
			o.add("its number "+string(live.Number)+" went to "+to, b.rowOf(live.User))
		}
	}
	for _, k := range b.lineList {
		l := &k.obj.l
		if k.obj.del || l.Number == "" {
			continue
		}
		if n, ok := b.numbers[l.Number]; ok && n.n.Target.User() != l.User {
			l.Number = b.primary(l.User)
		}
	}
}

// primary is the first number the roster gives a user, or "".
func (b *builder) primary(id pbx.UserID) pbx.E164 {
	if r := b.rowOfUser(id); r != nil && len(r.Numbers) > 0 {
		return r.Numbers[0]
	}
	return ""
}

func (b *builder) rowOf(id pbx.UserID) int {
	if r := b.rowOfUser(id); r != nil {
		return r.Line
	}
	return 0
}

func (b *builder) checkLimit() error {
	leavers := b.absent() // hr.go: leavers by status are not bounded
	if leavers == 0 || b.opts.Force {
		return nil
	}
	max, pct := b.opts.MaxRemove, b.opts.MaxRemovePct
	if max == 0 {
		max = DefaultMaxRemove
	}
	if pct == 0 {
		pct = DefaultMaxRemovePct
	}
	share := 100 * float64(leavers) / float64(b.managed)
	if leavers > max || leavers > minRemoveForPct && share > pct {
		return &LimitError{Leavers: leavers, Managed: b.managed, MaxRemove: max, MaxRemovePct: pct}
	}
	return nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// allocReason is the reason of a pick from the pool the roster asked for
// (validate.Allocate): "allocate +16505550107 from the pool (area code 650)".
func allocReason(what, why string) string {
	return "allocate " + what + " " + why
}
