package plan

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// Make plans the changes that bring the live state st to what the valid
// roster rows ask for. It is pure: it reads st and rows and changes neither.
// Rows in conflict with the live state are planned as conflicts and left out,
// together with any row whose plan depended on them, until the rest is
// consistent. A sync over the removal limit is refused with a *LimitError.
func Make(st *pbx.State, rows []*pbx.Row, opts Options) (*Plan, error) {
	if opts.Mode == "" {
		opts.Mode = Onboard
	}
	if opts.Mode == Sync && opts.Manage.Empty() {
		return nil, fmt.Errorf("%w: a sync must say which users it manages (--manage all, --manage site=CODE or --manage external-id)", pbx.ErrRefused)
	}
	idx := indexState(st)
	active := rows
	conflicts := map[int][]*pbx.Problem{}
	excluded := map[pbx.UserID]int{}
	var b *builder
	for {
		b = newBuilder(st, idx, active, excluded, opts)
		b.build()
		if len(b.conflicts) == 0 {
			break
		}
		kept := active[:0:0]
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
	if err := b.checkLimit(); err != nil {
		return nil, err
	}
	p.Rows = b.rowPlans(p, rows, conflicts)
	p.Summary = summarise(p)
	return p, nil
}

// why records the reasons and roster rows behind an object's change.
type why struct {
	reasons []string
	rows    []int
}

func (w *why) add(reason string, line int) {
	if reason != "" && (len(w.reasons) == 0 || w.reasons[len(w.reasons)-1] != reason) {
		w.reasons = append(w.reasons, reason)
	}
	if line > 0 && (len(w.rows) == 0 || w.rows[len(w.rows)-1] != line) {
		w.rows = append(w.rows, line)
	}
}

type objKey struct {
	kind Kind
	key  string
}

// index holds lookups into the live state that planning needs per row.
type index struct {
	extOwner map[string]pbx.UserID // live holder of scope/extension
	byEmail  map[string]pbx.UserID
	numbers  map[pbx.UserID][]pbx.E164
	lines    map[pbx.UserID][]string
	members  map[pbx.UserID][]pbx.Member // each user's memberships, by number
	role     map[string]pbx.MemberRole   // by MemberKey
}

func indexState(st *pbx.State) *index {
	ix := &index{
		extOwner: make(map[string]pbx.UserID, len(st.Users)),
		byEmail:  make(map[string]pbx.UserID, len(st.Users)),
		numbers:  map[pbx.UserID][]pbx.E164{},
		lines:    map[pbx.UserID][]string{},
	}
	for _, u := range st.Users {
		if u.Company == st.Company.ID && u.Extension != "" {
			ix.extOwner[st.Site(u.Site).ExtScope()+"/"+string(u.Extension)] = u.ID
		}
		if u.Email != "" {
			ix.byEmail[u.Email] = u.ID
		}
	}
	for _, e := range sortedKeys(st.Numbers) {
		if u := st.Numbers[e].Target.User(); u != "" {
			ix.numbers[u] = append(ix.numbers[u], e)
		}
	}
	for _, key := range sortedKeys(st.Lines) {
		l := st.Lines[key]
		ix.lines[l.User] = append(ix.lines[l.User], key)
	}
	ix.indexMembers(st)
	return ix
}

// builder holds the desired end state of every object the roster touches.
type builder struct {
	st       *pbx.State
	ix       *index
	opts     Options
	rows     []*pbx.Row
	excluded map[pbx.UserID]int // users whose roster row is in conflict, and its line

	byUser   map[pbx.UserID]*pbx.Row
	claim    map[pbx.E164]pbx.UserID // numbers the roster assigns, to whom
	leavers  map[pbx.UserID]bool
	leaverOf map[objKey]pbx.UserID // objects changed because their user leaves
	managed  int

	users     map[pbx.UserID]*pbx.User
	numbers   map[pbx.E164]*pbx.Number
	devices   map[pbx.MAC]*pbx.Device
	lines     map[string]*pbx.DeviceLine // nil: delete
	locations map[string]*pbx.Location
	members   map[string]pbx.MemberRole // by MemberKey, the role it ends with; "": removed
	freed     map[pbx.UserID]*why       // extension cleared first, for another user to take
	whys      map[objKey]*why

	conflicts map[int][]*pbx.Problem
	groupExt  map[pbx.Extension]string // hunt groups' and auto attendants' extensions
}

func newBuilder(st *pbx.State, ix *index, rows []*pbx.Row, excluded map[pbx.UserID]int, opts Options) *builder {
	b := &builder{
		st: st, ix: ix, opts: opts, rows: rows, excluded: excluded,
		byUser:    make(map[pbx.UserID]*pbx.Row, len(rows)),
		claim:     map[pbx.E164]pbx.UserID{},
		leavers:   map[pbx.UserID]bool{},
		leaverOf:  map[objKey]pbx.UserID{},
		users:     make(map[pbx.UserID]*pbx.User, len(rows)),
		numbers:   map[pbx.E164]*pbx.Number{},
		devices:   map[pbx.MAC]*pbx.Device{},
		lines:     map[string]*pbx.DeviceLine{},
		locations: map[string]*pbx.Location{},
		members:   map[string]pbx.MemberRole{},
		freed:     map[pbx.UserID]*why{},
		whys:      map[objKey]*why{},
		conflicts: map[int][]*pbx.Problem{},
	}
	for _, r := range rows {
		b.byUser[r.User.ID] = r
		for _, n := range r.Numbers {
			b.claim[n] = r.User.ID
		}
	}
	return b
}

func (b *builder) extKey(site string, e pbx.Extension) string {
	return b.st.Site(site).ExtScope() + "/" + string(e)
}

func (b *builder) because(k Kind, key, reason string, line int) {
	ok := objKey{k, key}
	w := b.whys[ok]
	if w == nil {
		w = &why{}
		b.whys[ok] = w
	}
	w.add(reason, line)
}

func (b *builder) conflict(r *pbx.Row, f pbx.Field, code, value, msg, hint string) {
	c := r.CellOr(f)
	b.conflicts[r.Line] = append(b.conflicts[r.Line], &pbx.Problem{
		Cell: c, Severity: pbx.SevError, Code: code, Value: value,
		Message: msg, Hint: hint, Err: pbx.ErrConflict,
	})
}

func (b *builder) build() {
	if b.opts.Mode == Sync {
		b.findLeavers()
	}
	for _, r := range b.rows {
		b.planUser(r)
	}
	b.planExtensions()
	for _, r := range b.rows {
		b.planNumbers(r)
		b.planDevice(r)
	}
	for _, r := range b.rows {
		b.planMembers(r)
	}
	for id := range b.leavers {
		b.deprovision(id)
	}
	b.settleRouting()
	b.settleLines()
	b.settleMembers()
}

// findLeavers marks the managed active users the roster does not name. A
// user whose row is in conflict is on the roster all the same: kept as is.
func (b *builder) findLeavers() {
	for id, u := range b.st.Users {
		if u.Company != b.st.Company.ID || !b.opts.Manage.Manages(u) || u.Status == pbx.StatusDeprovisioned {
			continue
		}
		b.managed++
		_, onRoster := b.byUser[id]
		_, inConflict := b.excluded[id]
		if !onRoster && !inConflict && !b.opts.Incomplete {
			b.leavers[id] = true
		}
	}
}

// user returns the desired state of a live user, copying it on first use.
func (b *builder) user(id pbx.UserID) *pbx.User {
	if u, ok := b.users[id]; ok {
		return u
	}
	live, ok := b.st.Users[id]
	if !ok {
		return nil
	}
	u := *live
	b.users[id] = &u
	return &u
}

func (b *builder) planUser(r *pbx.Row) {
	want := &r.User
	u := b.user(want.ID)
	if u == nil {
		u = &pbx.User{
			ID: want.ID, Company: b.st.Company.ID, Status: pbx.StatusActive,
			StationType: "standard", VoiceEnabled: true,
		}
		b.users[want.ID] = u
		b.because(KindUser, string(u.ID), "new user on the roster", r.Line)
	}
	set := func(f pbx.Field, apply func()) {
		if r.Has(f) {
			apply()
		}
	}
	set(pbx.FSite, func() { u.Site = want.Site })
	set(pbx.FFirstName, func() { u.FirstName = want.FirstName })
	set(pbx.FLastName, func() { u.LastName = want.LastName })
	set(pbx.FEmail, func() { u.Email = want.Email })
	set(pbx.FStationType, func() {
		if want.StationType != "" {
			u.StationType = want.StationType
		}
	})
	set(pbx.FVoiceEnabled, func() { u.VoiceEnabled = want.VoiceEnabled })
	set(pbx.FCallerID, func() { u.CallerID = want.CallerID })
	set(pbx.FExternalID, func() { u.ExternalID = want.ExternalID })
	switch {
	case want.Extension == "":
		// no extension on the roster: leave it alone
	case r.ExtDerived && u.Extension != "":
		// the number's last digits are only a default for a user without one
	default:
		u.Extension = want.Extension
	}
	if u.Status == pbx.StatusDeprovisioned {
		u.Status = pbx.StatusActive
		b.because(KindUser, string(u.ID), "back on the roster: reactivated", r.Line)
	}
	if holder, ok := b.ix.byEmail[u.Email]; ok && u.Email != "" && holder != u.ID {
		b.conflict(r, pbx.FEmail, CodeEmailTaken, u.Email,
			fmt.Sprintf("e-mail %s is already used by %s", u.Email, holder),
			"give this user another e-mail, or change the other user's first")
	}
	b.because(KindUser, string(u.ID), "", r.Line)
}

// planExtensions finds the users whose new extension someone else holds:
// a roster user moving to another one, or a leaver, frees it first; anyone
// else makes it a conflict.
func (b *builder) planExtensions() {
	for _, r := range b.rows {
		u := b.users[r.User.ID]
		live := b.st.Users[u.ID]
		if u.Extension == "" || live != nil && live.Extension == u.Extension && live.Site == u.Site {
			continue
		}
		if group := b.groupWithExtension(u.Extension); group != "" {
			b.conflict(r, pbx.FExtension, CodeExtensionTaken, string(u.Extension),
				fmt.Sprintf("extension %s is the %s's", u.Extension, group),
				"choose another extension: a hunt group's or auto attendant's extension is never taken")
			continue
		}
		holder, ok := b.ix.extOwner[b.extKey(u.Site, u.Extension)]
		if !ok || holder == u.ID {
			continue
		}
		switch {
		case b.blocked(r, pbx.FExtension, holder, "extension "+string(u.Extension)):
		case b.leavers[holder]:
			b.freeExtension(holder, fmt.Sprintf("leaver's extension %s goes to %s", u.Extension, u.ID), r.Line)
		case b.byUser[holder] != nil && b.users[holder].Extension != u.Extension:
			b.freeExtension(holder, fmt.Sprintf("extension %s moves to %s", u.Extension, u.ID), r.Line)
		case b.byUser[holder] != nil:
			b.conflict(r, pbx.FExtension, CodeExtensionTaken, string(u.Extension),
				fmt.Sprintf("extension %s is held by %s, who keeps it", u.Extension, holder),
				"give one of the two another extension on the roster")
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
	return b.groupExt[e]
}

func (b *builder) freeExtension(id pbx.UserID, reason string, line int) {
	w := &why{}
	w.add(reason, line)
	b.freed[id] = w
}

// number returns the desired state of a live number, copying it on first use.
func (b *builder) number(e pbx.E164) *pbx.Number {
	if n, ok := b.numbers[e]; ok {
		return n
	}
	live, ok := b.st.Numbers[e]
	if !ok {
		return nil
	}
	n := *live
	b.numbers[e] = &n
	return &n
}

func (b *builder) planNumbers(r *pbx.Row) {
	uid := r.User.ID
	target := pbx.UserTarget(uid)
	var loc string
	if r.Location != nil {
		loc = b.planLocation(r)
	}
	for i, e := range r.Numbers {
		live := b.st.Numbers[e]
		if live == nil || live.Company != b.st.Company.ID {
			continue // validation reports it
		}
		if live.Target != target && live.Target != "" {
			holder := live.Target.User()
			switch {
			case b.blocked(r, pbx.FNumber, holder, "number "+string(e)):
				continue
			case holder != "" && (b.byUser[holder] != nil || b.leavers[holder]):
			case b.opts.Take:
			default:
				b.conflict(r, pbx.FNumber, CodeNumberTaken, string(e),
					fmt.Sprintf("number %s is assigned to %s, which the roster does not name", e, describe(live.Target)),
					"leave the number off this row, or run with --take to move it")
				continue
			}
		}
		n := b.number(e)
		if n.Target != target {
			b.because(KindNumber, string(e), "assigned to "+string(uid), r.Line)
		}
		n.Target = target
		if i == 0 && r.Has(pbx.FNumberLabel) {
			n.Label = r.NumberLabel
		}
		if r.Has(pbx.FSMS) {
			n.SMS = r.SMS
		}
		if loc != "" {
			n.Location = loc
		}
		b.because(KindNumber, string(e), "", r.Line)
	}
	if b.opts.Mode != Sync || !r.Has(pbx.FNumber) {
		return
	}
	for _, e := range b.ix.numbers[uid] {
		if b.claim[e] == "" {
			b.unassign(e, "no longer on "+string(uid)+"'s roster row", r.Line)
		}
	}
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

func (b *builder) unassign(e pbx.E164, reason string, line int) {
	n := b.number(e)
	n.Target = ""
	n.SMS = false // SMS needs a user assignee (rule 10)
	b.because(KindNumber, string(e), reason, line)
}

func (b *builder) planLocation(r *pbx.Row) string {
	a := *r.Location
	id := pbx.LocationID(a)
	l, ok := b.locations[id]
	if !ok {
		if live, ok := b.st.Locations[id]; ok {
			c := *live
			l = &c
		} else {
			l = &pbx.Location{ID: id, Company: b.st.Company.ID}
			b.because(KindLocation, id, "new E911 address", r.Line)
		}
		b.locations[id] = l
	}
	l.Address = a
	b.because(KindLocation, id, "", r.Line)
	return id
}

func (b *builder) planDevice(r *pbx.Row) {
	uid := r.User.ID
	if r.Device != nil {
		dv := r.Device
		d, ok := b.devices[dv.MAC]
		if !ok {
			if live, ok := b.st.Devices[dv.MAC]; ok {
				c := *live
				d = &c
			} else {
				d = &pbx.Device{MAC: dv.MAC, Company: b.st.Company.ID}
				b.because(KindDevice, string(dv.MAC), "new device for "+string(uid), r.Line)
			}
			b.devices[dv.MAC] = d
		}
		d.Model = dv.Model
		b.because(KindDevice, string(dv.MAC), "", r.Line)

		key := pbx.LineKey(dv.MAC, dv.Port)
		if live := b.st.Lines[key]; live != nil && live.User != uid {
			holder := live.User
			if b.blocked(r, pbx.FMAC, holder, "port "+strconv.Itoa(dv.Port)+" of "+dv.MAC.String()) {
				return
			}
			if b.byUser[holder] == nil && !b.leavers[holder] && !b.opts.Take {
				b.conflict(r, pbx.FMAC, CodeLineTaken, dv.MAC.String(),
					fmt.Sprintf("port %d of %s serves %s, who is not on the roster", dv.Port, dv.MAC, holder),
					"check the MAC and port, or run with --take to move the port")
				return
			}
		}
		l := &pbx.DeviceLine{MAC: dv.MAC, Port: dv.Port, User: uid, Lines: dv.Lines}
		if len(r.Numbers) > 0 {
			l.Number = r.Numbers[0]
		}
		switch live := b.st.Lines[key]; {
		case live == nil:
			b.because(KindLine, key, fmt.Sprintf("port %d of the device rings %s", dv.Port, uid), r.Line)
		case live.User != uid:
			b.because(KindLine, key, fmt.Sprintf("port %d moves from %s to %s", dv.Port, live.User, uid), r.Line)
		}
		b.lines[key] = l
		b.because(KindLine, key, "", r.Line)
	}
	if b.opts.Mode != Sync || !r.Has(pbx.FMAC) {
		return
	}
	for _, key := range b.ix.lines[uid] {
		if r.Device == nil || key != pbx.LineKey(r.Device.MAC, r.Device.Port) {
			if _, claimed := b.lines[key]; !claimed {
				b.lines[key] = nil
				b.because(KindLine, key, "port no longer on "+string(uid)+"'s roster row", r.Line)
			}
		}
	}
}

// deprovision disables a leaver, returns their numbers to the pool (unless a
// roster row takes them), frees their device ports and ends their
// memberships of numbers (outbound-only and assigned).
func (b *builder) deprovision(id pbx.UserID) {
	u := b.user(id)
	u.Status = pbx.StatusDeprovisioned
	b.because(KindUser, string(id), "leaver: managed ("+b.opts.Manage.String()+") but not on the roster", 0)
	b.leaverOf[objKey{KindUser, string(id)}] = id
	for _, e := range b.ix.numbers[id] {
		if b.claim[e] == "" {
			b.unassign(e, "leaver "+string(id)+"'s number returns to the pool", 0)
			b.leaverOf[objKey{KindNumber, string(e)}] = id
		}
	}
	for _, key := range b.ix.lines[id] {
		if _, claimed := b.lines[key]; !claimed {
			b.lines[key] = nil
			b.because(KindLine, key, "leaver "+string(id)+"'s port is freed", 0)
			b.leaverOf[objKey{KindLine, key}] = id
		}
	}
	for _, m := range b.ix.members[id] {
		b.removeMember(m, "leaver "+string(id)+"'s "+string(m.Role)+" access to "+string(m.Number)+" ends", 0)
		b.leaverOf[objKey{KindMember, MemberKey(m.Number, m.User)}] = id
	}
}

// finalExt is the extension a user ends with.
func (b *builder) finalExt(id pbx.UserID) pbx.Extension {
	if u, ok := b.users[id]; ok {
		if b.freed[id] != nil && b.byUser[id] == nil {
			return ""
		}
		return u.Extension
	}
	if u, ok := b.st.Users[id]; ok {
		return u.Extension
	}
	return ""
}

// settleRouting sets the routing of every number whose target changes, and
// of numbers whose user's extension changes (DOMAIN rules 1-3).
func (b *builder) settleRouting() {
	for e, n := range b.numbers {
		live := b.st.Numbers[e]
		switch {
		case live.Target == n.Target:
			if u := n.Target.User(); u != "" {
				if old := b.st.Users[u]; old != nil && live.Routing == pbx.ExtRouting(old.Extension) && old.Extension != b.finalExt(u) {
					n.Routing = pbx.ExtRouting(b.finalExt(u))
					b.because(KindNumber, string(e), "follows "+string(u)+"'s extension", b.rowOf(u))
				}
			}
		case n.Target == "": // un-assign: the routing it had before comes back
			n.Routing, n.SavedRouting = live.SavedRouting, ""
		case live.Target.User() == "": // from the pool (or a group): remember its routing
			n.SavedRouting = live.Routing
			n.Routing = pbx.ExtRouting(b.finalExt(n.Target.User()))
		default: // from one user to another: the pool's routing stays saved
			n.Routing = pbx.ExtRouting(b.finalExt(n.Target.User()))
		}
	}
	// numbers of users whose extension changes, not otherwise touched
	for id, u := range b.users {
		old := b.st.Users[id]
		if old == nil || old.Extension == u.Extension && b.freed[id] == nil {
			continue
		}
		for _, e := range b.ix.numbers[id] {
			if _, seen := b.numbers[e]; !seen && b.st.Numbers[e].Routing == pbx.ExtRouting(old.Extension) {
				c := b.number(e)
				c.Routing = pbx.ExtRouting(b.finalExt(id))
				b.because(KindNumber, string(e), "follows "+string(id)+"'s extension", b.rowOf(id))
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
		if n, ok := b.numbers[live.Number]; ok && n.Target.User() != live.User {
			l := *live
			l.Number = b.primary(live.User)
			b.lines[key] = &l
			b.because(KindLine, key, "its number "+string(live.Number)+" went to "+describe(n.Target), b.rowOf(live.User))
		}
	}
	for _, l := range b.lines {
		if l == nil || l.Number == "" {
			continue
		}
		if n, ok := b.numbers[l.Number]; ok && n.Target.User() != l.User {
			l.Number = b.primary(l.User)
		}
	}
}

// primary is the first number the roster gives a user, or "".
func (b *builder) primary(id pbx.UserID) pbx.E164 {
	if r := b.byUser[id]; r != nil && len(r.Numbers) > 0 {
		return r.Numbers[0]
	}
	return ""
}

func (b *builder) rowOf(id pbx.UserID) int {
	if r := b.byUser[id]; r != nil {
		return r.Line
	}
	return 0
}

func (b *builder) checkLimit() error {
	if len(b.leavers) == 0 || b.opts.Force {
		return nil
	}
	max, pct := b.opts.MaxRemove, b.opts.MaxRemovePct
	if max == 0 {
		max = DefaultMaxRemove
	}
	if pct == 0 {
		pct = DefaultMaxRemovePct
	}
	share := 100 * float64(len(b.leavers)) / float64(b.managed)
	if len(b.leavers) > max || len(b.leavers) > minRemoveForPct && share > pct {
		return &LimitError{Leavers: len(b.leavers), Managed: b.managed, MaxRemove: max, MaxRemovePct: pct}
	}
	return nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}
