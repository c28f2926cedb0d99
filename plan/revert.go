package plan

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// RunOutcome is what became of a run, as the audit log records it.
type RunOutcome string

const (
	RunRunning     RunOutcome = "running"     // under way (or its process died: the next run on the company says interrupted)
	RunApplied     RunOutcome = "applied"     // every change written
	RunPartial     RunOutcome = "partial"     // some rows failed and were left out; the others written
	RunFailed      RunOutcome = "failed"      // every row failed: nothing written
	RunRolledBack  RunOutcome = "rolled back" // an atomic run that failed: nothing written
	RunInterrupted RunOutcome = "interrupted" // cancelled or cut off: the batches written before stay written
)

// Outcomes of one change of a run in the audit log.
const (
	ChangeApplied    = "applied"     // written
	ChangeFailed     = "failed"      // the database refused it (the reason says why)
	ChangeSkipped    = "skipped"     // not written: a change it goes with failed, or an atomic run stopped before it
	ChangeRolledBack = "rolled back" // written, then undone with the rest of an atomic run
	ChangeNotRun     = "not run"     // never tried: the run was interrupted first
)

// Run is one apply of a plan as the audit log holds it.
type Run struct {
	ID         int64      `json:"id"`
	Company    string     `json:"company"`
	Who        string     `json:"who"`  // the operating-system user who ran it
	Host       string     `json:"host"` // and where
	PID        int        `json:"pid"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt time.Time  `json:"finished_at,omitzero"` // zero while running
	Mode       Mode       `json:"mode"`
	Roster     string     `json:"roster"`
	RosterHash string     `json:"roster_hash"`
	Atomic     bool       `json:"atomic"` // the whole run was one transaction
	Outcome    RunOutcome `json:"outcome"`
	Changes    int        `json:"changes"` // changes in its plan
	Batches    int        `json:"batches"` // transactions committed
	Applied    int        `json:"applied"` // changes written
	Failed     int        `json:"failed"`  // changes the database refused
	Skipped    int        `json:"skipped"` // changes not written because one they go with failed
}

// RunChange is what the audit log holds of one change of a run besides the
// change itself.
type RunChange struct {
	Outcome      string `json:"outcome"`                 // ChangeApplied, ChangeFailed...
	Error        string `json:"error,omitempty"`         // why it failed or was skipped, in domain words
	AfterVersion int64  `json:"after_version,omitempty"` // the object's version it left; 0 when deleted or not written
	Batch        int    `json:"batch,omitempty"`         // the transaction that decided it, from 1
}

// RunRecord is one run read back from the audit log: the run, its plan and
// what became of each change. Plan.Changes[i] goes with Outcomes[i]; a change
// the run never reached (its process was cut off) is recorded only by its
// index: its Kind is "" and its outcome ChangeNotRun.
type RunRecord struct {
	Run
	Plan     *Plan
	Outcomes []RunChange
}

// Codes of the problems of a revert plan's rows.
const (
	// CodeRevertChanged: an object the run wrote has changed since (its
	// version is not the one the run left): the row is not reverted.
	CodeRevertChanged = "revert.changed"
	// CodeRevertBlocked: the row goes with another row that is not
	// reverted (they share an object), or the value it restores is taken.
	CodeRevertBlocked = "revert.blocked"
)

// Revert plans the inverse of a run against st, the live state of its
// company: each object the run wrote is brought back to the values it had
// before the run, as the change records them. Numbers go back to their
// users or the pool with their routing restored; a user the run created is
// disabled (deprovisioned, never deleted); a user the run deprovisioned is
// active again; device ports the run gave are freed and those it freed are
// given back; number members it added are removed and those it removed
// added back. Devices and E911 locations the run created stay (they are
// inventory; their ports are freed) and the plan's notes say so.
//
// A roster row is reverted whole or not at all: a row that wrote an object
// that has changed since (its version is not the one the run left, or a
// port it freed has been given again) is planned as a conflict that says
// which object, and so is any row that goes with it (shares an object) or
// that would take back an extension someone else holds now. The plan is
// applied like any other: every change checks the version it read in st.
func Revert(st *pbx.State, rec *RunRecord) (*Plan, error) {
	if rec == nil || rec.Plan == nil {
		return nil, fmt.Errorf("%w: no run to revert", pbx.ErrInvalid)
	}
	if st.Company.ID != rec.Company {
		return nil, fmt.Errorf("%w: run %d is of company %s, the state is of %s", pbx.ErrInvalid, rec.ID, rec.Company, st.Company.ID)
	}
	if rec.Outcome == RunRunning {
		return nil, fmt.Errorf("%w: run %d is still running (or its process died and no run since has noticed): revert it once it is done",
			pbx.ErrRefused, rec.ID)
	}
	if rec.Plan.Mode == Erasing {
		return nil, fmt.Errorf("%w: run %d erased users for good (pbxsync erase): an erasure cannot be reverted; their data is gone", pbx.ErrRefused, rec.ID)
	}
	if f := rec.Plan.File; f != "" && f != FileUsers {
		return revertObjects(st, rec) // objects_revert.go
	}
	r := newReverter(st, rec)
	if len(r.objs) == 0 {
		return nil, fmt.Errorf("%w: run %d wrote nothing (%s): there is nothing to revert", pbx.ErrRefused, rec.ID, rec.Outcome)
	}
	r.checkVersions()
	for r.checkValues() {
	}
	p := &Plan{
		// A revert is listed as one (`pbxsync runs`), not as another apply of the run's roster.
		Format: FormatVersion, Company: rec.Company, Mode: Reverting, Roster: rec.Plan.Roster, RosterHash: rec.RosterHash,
		CreatedAt: time.Now().UTC(),
	}
	p.Notes = append(p.Notes, fmt.Sprintf("reverts run %d: %s applied by %s on %s at %s",
		rec.ID, orNone(rec.Roster), orNone(rec.Who), orNone(rec.Host), rec.StartedAt.Format(time.RFC3339)))
	r.emit(p)
	p.Rows = r.rowPlans(p)
	p.Summary = summarise(p)
	return p, nil
}

func orNone(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// revObj is one object the run wrote: its net change, from the values before
// its first change to those after its last.
type revObj struct {
	kind             Kind
	key              string
	liveKey          string // its key in the live state when a rename of the run changed it ("": key)
	first, last      int    // change indexes
	order            []string
	before, after    map[string]string
	created, deleted bool
	version          int64 // the version the run left; 0 when it deleted it
	units            []int
	blocked          string // why it is not reverted
}

// revUnit is a roster row (or leaver, or a change no row holds) of the run.
type revUnit struct {
	line    int
	key     string
	objs    []*revObj
	refused []*pbx.Problem
}

type reverter struct {
	st       *pbx.State
	rec      *RunRecord
	objs     map[objKey]*revObj
	list     []*revObj // in order of first change
	units    []*revUnit
	changeOf map[*revObj][]int         // the revert plan's changes of each object
	roles    map[string]pbx.MemberRole // live members by MemberKey, read on first need
}

func newReverter(st *pbx.State, rec *RunRecord) *reverter {
	r := &reverter{st: st, rec: rec, objs: map[objKey]*revObj{}}
	p := rec.Plan
	unitOf := map[int][]int{} // change -> units
	lineUnit := map[int]int{}
	for _, rp := range p.Rows {
		if len(rp.Changes) == 0 {
			continue
		}
		u := len(r.units)
		r.units = append(r.units, &revUnit{line: rp.Line, key: rp.Key})
		if rp.Line > 0 {
			lineUnit[rp.Line] = u
		}
		for _, ci := range rp.Changes {
			unitOf[ci] = append(unitOf[ci], u)
		}
	}
	for i := range p.Changes {
		if i >= len(rec.Outcomes) || rec.Outcomes[i].Outcome != ChangeApplied {
			continue
		}
		c := &p.Changes[i]
		k := objKey{c.Kind, c.Key}
		o := r.objs[k]
		if o == nil {
			o = &revObj{kind: c.Kind, key: c.Key, first: i, before: map[string]string{}, after: map[string]string{}}
			o.created = c.Action == Create
			r.objs[k] = o
			r.list = append(r.list, o)
		}
		o.last = i
		o.deleted = c.Action == Delete
		o.version = rec.Outcomes[i].AfterVersion
		if c.Action == Rename { // the user goes on under its new login
			if to, ok := c.After(AttrUserID); ok && to != "" {
				r.renamed(o, to)
			}
		}
		for _, fc := range c.Fields.All() {
			if _, seen := o.before[fc.Field]; !seen {
				o.before[fc.Field] = fc.Before
				o.order = append(o.order, fc.Field)
			}
			o.after[fc.Field] = fc.After
		}
		units := unitOf[i]
		for _, line := range c.Rows {
			if u, ok := lineUnit[line]; ok {
				units = append(units, u)
			}
		}
		if len(units) == 0 { // a change no row holds is a unit of its own
			units = append(units, len(r.units))
			r.units = append(r.units, &revUnit{key: c.Key})
		}
		for _, u := range units {
			if !containsObj(r.units[u].objs, o) {
				r.units[u].objs = append(r.units[u].objs, o)
				o.units = append(o.units, u)
			}
		}
	}
	return r
}

// renamed records that user o (and the number members the run gave it so
// far) go on under login to in the live state: the revert checks them
// there, and renames the user back first, so that its other changes (the
// inverse of those the run wrote under the old login) name the old login.
func (r *reverter) renamed(o *revObj, to string) {
	delete(r.objs, objKey{KindUser, o.live()})
	o.liveKey = to
	r.objs[objKey{KindUser, to}] = o
	for _, m := range r.list {
		if e, u, err := SplitMemberKey(m.key); m.kind == KindMember && err == nil && string(u) == o.key {
			m.liveKey = MemberKey(e, pbx.UserID(to))
		}
		if g, u, err := SplitHuntMemberKey(m.key); m.kind == KindHuntMember && err == nil && string(u) == o.key {
			m.liveKey = HuntMemberKey(g, pbx.UserID(to))
		}
	}
}

// live is the object's key in the live state.
func (o *revObj) live() string {
	if o.liveKey != "" {
		return o.liveKey
	}
	return o.key
}

func containsObj(os []*revObj, o *revObj) bool {
	for _, x := range os {
		if x == o {
			return true
		}
	}
	return false
}

// shared objects (E911 locations) do not tie their rows together.
func (o *revObj) shared() bool { return o.kind == KindLocation }

// name is the object in domain words.
func (o *revObj) name() string {
	switch o.kind {
	case KindDevice:
		return "device " + pbx.MAC(o.key).String()
	case KindLine:
		if i := strings.LastIndexByte(o.key, '/'); i > 0 {
			return "port " + o.key[i+1:] + " of device " + pbx.MAC(o.key[:i]).String()
		}
	case KindLocation:
		return "E911 location " + o.key
	case KindMember:
		if e, u, err := SplitMemberKey(o.key); err == nil {
			return fmt.Sprintf("%s's membership of number %s", u, e)
		}
	case KindHuntMember:
		if g, u, err := SplitHuntMemberKey(o.key); err == nil {
			return fmt.Sprintf("%s's place in hunt group %s", u, g)
		}
	}
	return string(o.kind) + " " + o.key
}

// memberRole is the role of a live member, "" when it is not there.
func (r *reverter) memberRole(key string) pbx.MemberRole {
	if r.roles == nil {
		r.roles = make(map[string]pbx.MemberRole, len(r.st.Members))
		for _, m := range r.st.Members {
			r.roles[MemberKey(m.Number, m.User)] = m.Role
		}
	}
	return r.roles[key]
}

// current returns the object's version in st and whether it exists.
func (r *reverter) current(o *revObj) (int64, bool) {
	switch o.kind {
	case KindUser:
		if x, ok := r.st.Users[pbx.UserID(o.live())]; ok && x.Company == r.st.Company.ID {
			return x.Version, true
		}
	case KindNumber:
		if x, ok := r.st.Numbers[pbx.E164(o.key)]; ok && x.Company == r.st.Company.ID {
			return x.Version, true
		}
	case KindDevice:
		if x, ok := r.st.Devices[pbx.MAC(o.key)]; ok && x.Company == r.st.Company.ID {
			return x.Version, true
		}
	case KindLine:
		if x, ok := r.st.Lines[o.key]; ok {
			return x.Version, true
		}
	case KindLocation:
		if x, ok := r.st.Locations[o.key]; ok {
			return x.Version, true
		}
	case KindMember:
		if r.memberRole(o.live()) != "" {
			return MemberVersion, true
		}
	case KindHuntMember:
		if r.huntPosition(o.live()) != "" {
			return MemberVersion, true
		}
	}
	return 0, false
}

// checkVersions refuses the rows of every object changed since the run.
func (r *reverter) checkVersions() {
	var changed []*revObj
	for _, o := range r.list {
		v, ok := r.current(o)
		var why string
		switch {
		case o.created && o.deleted:
			continue
		case o.kind == KindMember && o.deleted && ok:
			why = fmt.Sprintf("%s was removed by run %d and has been added again since (%s)", o.name(), r.rec.ID, r.memberRole(o.live()))
		case o.kind == KindHuntMember && o.deleted && ok:
			why = fmt.Sprintf("%s was removed by run %d and has been added again since (position %s)", o.name(), r.rec.ID, r.huntPosition(o.live()))
		case o.deleted && ok:
			why = fmt.Sprintf("%s was freed by run %d and has been given again since (now at version %d)", o.name(), r.rec.ID, v)
		case !o.deleted && !ok:
			why = fmt.Sprintf("%s no longer exists", o.name())
		case o.kind == KindMember && !o.deleted && string(r.memberRole(o.live())) != o.after[AttrRole]:
			why = fmt.Sprintf("%s is %s now; run %d left it %s", o.name(), r.memberRole(o.live()), r.rec.ID, o.after[AttrRole])
		case o.kind == KindHuntMember && !o.deleted && r.huntPosition(o.live()) != o.after[AttrPosition]:
			why = fmt.Sprintf("%s is position %s now; run %d left it at %s", o.name(), r.huntPosition(o.live()), r.rec.ID, o.after[AttrPosition])
		case !o.deleted && v != o.version:
			why = fmt.Sprintf("%s changed since run %d (it is at version %d; the run left version %d)", o.name(), r.rec.ID, v, o.version)
		default:
			continue
		}
		r.mark(o, CodeRevertChanged, why, "see what changed it (pbxsync runs), and set this row back by hand or with a roster")
		changed = append(changed, o)
	}
	for _, o := range changed {
		r.spread(o)
	}
}

// block leaves an object out of the revert, with every row that wrote it
// and, through them, every object those rows wrote and every row that
// shares one.
func (r *reverter) block(o *revObj, code, why, hint string) {
	if o.blocked != "" {
		return
	}
	r.mark(o, code, why, hint)
	r.spread(o)
}

// mark leaves an object out, saying why on each row that wrote it (a row
// already refused is told only what changed, not what it goes with).
func (r *reverter) mark(o *revObj, code, why, hint string) {
	o.blocked = why
	for _, ui := range o.units {
		u := r.units[ui]
		if len(u.refused) > 0 && code == CodeRevertBlocked {
			continue
		}
		u.refused = append(u.refused, &pbx.Problem{
			Cell: pbx.Cell{File: r.rec.Plan.Roster, Row: u.line, Col: -1}, Severity: pbx.SevError, Code: code,
			Value: o.key, Message: why + ": this row is not reverted", Hint: hint, Err: pbx.ErrStale,
		})
	}
}

// spread leaves out every object written by a row that wrote o.
func (r *reverter) spread(o *revObj) {
	for _, ui := range o.units {
		u := r.units[ui]
		for _, other := range u.objs {
			if other != o && !other.shared() && other.blocked == "" {
				r.block(other, CodeRevertBlocked,
					fmt.Sprintf("it goes with %s (row %s), which is not reverted", o.name(), rowName(u)),
					"revert it by hand once the other row is settled")
			}
		}
	}
}

func rowName(u *revUnit) string {
	if u.line > 0 {
		return fmt.Sprintf("%d, %s", u.line, u.key)
	}
	return u.key
}

// inverse returns, for a field of an object, the value it has now and the
// value the revert gives back, and whether the revert changes it.
func (o *revObj) inverse(f string) (now, back string, ok bool) {
	now, back = o.after[f], o.before[f]
	return now, back, now != back
}

// checkValues refuses rows that would take back an extension or e-mail
// address another user holds now and keeps; it reports whether it refused
// any (so that the check runs again on what is left).
func (r *reverter) checkValues() bool {
	refused := false
	holders := map[string]pbx.UserID{}
	emails := map[string]pbx.UserID{}
	for id, u := range r.st.Users {
		if u.Company != r.st.Company.ID {
			if u.Email != "" {
				emails[strings.ToLower(u.Email)] = id
			}
			continue
		}
		if u.Extension != "" {
			holders[r.st.Site(u.Site).ExtScope()+"/"+string(u.Extension)] = id
		}
		if u.Email != "" {
			emails[strings.ToLower(u.Email)] = id
		}
	}
	for _, o := range r.list {
		if o.kind != KindUser || o.blocked != "" || o.created {
			continue
		}
		u := r.st.Users[pbx.UserID(o.live())]
		if _, login, ok := o.inverse(AttrUserID); ok && r.st.Users[pbx.UserID(login)] != nil {
			r.block(o, CodeRevertBlocked, fmt.Sprintf("login %s, which the revert would give back to %s (a rename), is now another user's", login, u.ID),
				"rename or remove that user first, or set this row back by hand")
			refused = true
			continue
		}
		site := u.Site
		if _, back, ok := o.inverse(AttrSite); ok {
			site = back
		}
		if _, ext, ok := o.inverse(AttrExtension); ok && ext != "" {
			h, held := holders[r.st.Site(site).ExtScope()+"/"+ext]
			if held && h != u.ID && !r.frees(h, AttrExtension) {
				r.block(o, CodeRevertBlocked, fmt.Sprintf("extension %s, which the revert would give back to %s, is now held by %s", ext, u.ID, h),
					"give "+string(h)+" another extension first, or set this row back by hand")
				refused = true
			}
		}
		if _, email, ok := o.inverse(AttrEmail); ok && email != "" {
			h, held := emails[strings.ToLower(email)]
			if held && h != u.ID && !r.frees(h, AttrEmail) {
				r.block(o, CodeRevertBlocked, fmt.Sprintf("e-mail %s, which the revert would give back to %s, is now used by %s", email, u.ID, h),
					"change "+string(h)+"'s e-mail first, or set this row back by hand")
				refused = true
			}
		}
	}
	return refused
}

// frees reports whether the revert takes the field's value away from
// user id: its object is reverted and changes that field, or it is a user
// the run created (whose extension a revert clears when someone needs it).
func (r *reverter) frees(id pbx.UserID, field string) bool {
	o := r.objs[objKey{KindUser, string(id)}]
	if o == nil || o.blocked != "" {
		return false
	}
	if o.created {
		return field == AttrExtension
	}
	_, back, ok := o.inverse(field)
	now := r.valueOf(id, field)
	return ok && back != now
}

func (r *reverter) valueOf(id pbx.UserID, field string) string {
	u := r.st.Users[id]
	switch field {
	case AttrExtension:
		return string(u.Extension)
	case AttrEmail:
		return u.Email
	}
	return ""
}

// wanted lists the extensions (scope/extension) the revert gives back.
func (r *reverter) wanted() map[string]bool {
	w := map[string]bool{}
	for _, o := range r.list {
		if o.kind != KindUser || o.blocked != "" || o.created {
			continue
		}
		u := r.st.Users[pbx.UserID(o.live())]
		site := u.Site
		if _, back, ok := o.inverse(AttrSite); ok {
			site = back
		}
		if _, ext, ok := o.inverse(AttrExtension); ok && ext != "" {
			w[r.st.Site(site).ExtScope()+"/"+ext] = true
		}
	}
	return w
}

// emit appends the inverse changes in the order a store must apply them
// (as the planner's emit does): E911 locations, users (extensions wanted
// back cleared first), numbers, number members (removed, then added back),
// devices, then device lines (ports freed before they are given again).
func (r *reverter) emit(p *Plan) {
	id := r.rec.ID
	reason := func(o *revObj, what string) string {
		return fmt.Sprintf("undo run %d: %s", id, what)
	}
	add := func(o *revObj, c Change) {
		c.Rows = nil
		for _, ui := range o.units {
			if line := r.units[ui].line; line > 0 {
				c.Rows = append(c.Rows, line)
			}
		}
		p.Changes = append(p.Changes, c)
		r.changeOf[o] = append(r.changeOf[o], len(p.Changes)-1)
	}
	swapped := func(o *revObj) []FieldChange {
		var fcs []FieldChange
		for _, f := range o.order {
			if now, back, ok := o.inverse(f); ok && f != AttrUserID { // a rename is turned back first, below
				fcs = append(fcs, FieldChange{Field: f, Before: now, After: back})
			}
		}
		return fcs
	}
	r.changeOf = map[*revObj][]int{}
	renamedBack := map[*revObj]bool{}
	for _, o := range r.list { // renames back first: the other changes name the old login
		if _, login, ok := o.inverse(AttrUserID); ok && o.kind == KindUser && o.blocked == "" && !o.created {
			u := r.st.Users[pbx.UserID(o.live())]
			add(o, Change{Action: Rename, Kind: KindUser, Key: o.live(), Version: u.Version,
				Fields: MakeFields(FieldChange{Field: AttrUserID, Before: o.live(), After: login}),
				Reason: reason(o, "the run renamed this user: the login "+login+" back")})
			renamedBack[o] = true
		}
	}
	keep := func(kind Kind) []*revObj {
		var os []*revObj
		for _, o := range r.list {
			if o.kind == kind && o.blocked == "" {
				os = append(os, o)
			}
		}
		sort.Slice(os, func(i, j int) bool { return os[i].key < os[j].key })
		return os
	}
	var keptDevices, keptLocations int
	for _, o := range keep(KindLocation) {
		if o.created {
			keptLocations++
			continue
		}
		if fcs := swapped(o); len(fcs) > 0 {
			add(o, Change{Action: Update, Kind: KindLocation, Key: o.key, Version: o.version, Fields: MakeFields(fcs...), Reason: reason(o, "the address is set back")})
		}
	}

	// Users: first those that must give up an extension someone wants back
	// (users the run created are disabled then), then the others.
	wanted := r.wanted()
	users := keep(KindUser)
	version := map[*revObj]int64{}
	clearedFirst := map[*revObj]bool{}
	for _, o := range users {
		u := r.st.Users[pbx.UserID(o.live())]
		version[o] = u.Version
		if renamedBack[o] {
			version[o]++
		}
		holds := u.Extension != "" && wanted[r.st.Site(u.Site).ExtScope()+"/"+string(u.Extension)]
		switch {
		case o.created:
			c := Change{Action: Deprovision, Kind: KindUser, Key: o.key, Version: u.Version,
				Reason: reason(o, "the run created this user: disabled (never deleted)")}
			if u.Status != pbx.StatusDeprovisioned {
				c.Fields = c.Fields.Append(FieldChange{Field: AttrStatus, Before: string(u.Status), After: string(pbx.StatusDeprovisioned)})
				if u.DeprovisionedAt == "" {
					c.Fields = c.Fields.Append(FieldChange{Field: AttrDeprovisionedAt, After: p.CreatedAt.Format(time.DateOnly)})
				}
			}
			if holds {
				c.Fields = c.Fields.Append(FieldChange{Field: AttrExtension, Before: string(u.Extension)})
				c.Reason += fmt.Sprintf("; extension %s goes back to its user", u.Extension)
			}
			if !c.Fields.IsZero() {
				add(o, c)
			}
		case holds:
			if _, back, ok := o.inverse(AttrExtension); ok && back != string(u.Extension) {
				add(o, Change{Action: Update, Kind: KindUser, Key: o.key, Version: version[o],
					Fields: MakeFields(FieldChange{Field: AttrExtension, Before: string(u.Extension)}),
					Reason: reason(o, fmt.Sprintf("extension %s goes back to its user (cleared first)", u.Extension))})
				version[o]++
				clearedFirst[o] = true
			}
		}
	}
	for _, o := range users {
		if o.created {
			continue
		}
		fcs := swapped(o)
		if clearedFirst[o] {
			for i := range fcs {
				if fcs[i].Field == AttrExtension {
					fcs[i].Before = ""
				}
			}
		}
		if len(fcs) > 0 {
			r.emitUser(o, fcs, version[o], reason, add)
		}
	}

	var numbers []Change
	numObj := map[string]*revObj{}
	for _, o := range keep(KindNumber) {
		fcs := swapped(o)
		if len(fcs) == 0 {
			continue
		}
		now, back, _ := o.inverse(AttrTarget)
		a, what := Update, "its values are set back"
		if _, _, ok := o.inverse(AttrTarget); ok {
			switch {
			case back == "":
				a, what = Unassign, "back to the pool, routing restored"
			case now == "":
				a, what = Assign, "back to "+describe(pbx.Target(back))+", routing restored"
			default:
				a, what = Move, "back to "+describe(pbx.Target(back))+", routing restored"
			}
		}
		numObj[o.key] = o
		numbers = append(numbers, Change{Action: a, Kind: KindNumber, Key: o.key, Version: o.version, Fields: MakeFields(fcs...), Reason: reason(o, what)})
	}
	order := map[Action]int{Unassign: 0, Update: 1, Move: 2, Assign: 3}
	sort.SliceStable(numbers, func(i, j int) bool { return order[numbers[i].Action] < order[numbers[j].Action] })
	for _, c := range numbers {
		add(numObj[c.Key], c)
	}

	var addBack []*revObj
	for _, o := range keep(KindMember) {
		switch {
		case o.created && !o.deleted:
			add(o, Change{Action: Delete, Kind: KindMember, Key: o.key,
				Fields: MakeFields(FieldChange{Field: AttrRole, Before: o.after[AttrRole]}),
				Reason: reason(o, "the run added this member: removed")})
		case o.deleted && !o.created:
			addBack = append(addBack, o)
		}
	}
	for _, o := range addBack {
		add(o, Change{Action: Create, Kind: KindMember, Key: o.key,
			Fields: MakeFields(FieldChange{Field: AttrRole, After: o.before[AttrRole]}),
			Reason: reason(o, "the run removed this member: added back")})
	}
	r.emitHuntMembers(keep(KindHuntMember), reason, add)

	for _, o := range keep(KindDevice) {
		if o.created {
			keptDevices++
			continue
		}
		if fcs := swapped(o); len(fcs) > 0 {
			add(o, Change{Action: Update, Kind: KindDevice, Key: o.key, Version: o.version, Fields: MakeFields(fcs...), Reason: reason(o, "its model is set back")})
		}
	}

	lines := keep(KindLine)
	var creates []*revObj
	for _, o := range lines { // ports freed first
		if o.created && !o.deleted {
			l := r.st.Lines[o.key]
			la := lineAttrs(l)
			add(o, Change{Action: Delete, Kind: KindLine, Key: o.key, Version: l.Version, Fields: cleared(la[:]),
				Reason: reason(o, "the run gave this port: freed")})
		}
	}
	for _, o := range lines {
		switch {
		case o.created:
		case o.deleted:
			creates = append(creates, o)
		default:
			fcs := swapped(o)
			if len(fcs) == 0 {
				continue
			}
			a := Update
			if _, _, ok := o.inverse(AttrUser); ok {
				a = Move
			}
			add(o, Change{Action: a, Kind: KindLine, Key: o.key, Version: o.version, Fields: MakeFields(fcs...), Reason: reason(o, "the port is set back")})
		}
	}
	for _, o := range creates {
		var fcs []FieldChange
		for _, f := range o.order {
			if v := o.before[f]; v != "" {
				fcs = append(fcs, FieldChange{Field: f, After: v})
			}
		}
		add(o, Change{Action: Create, Kind: KindLine, Key: o.key, Fields: MakeFields(fcs...), Reason: reason(o, "the run freed this port: given back")})
	}
	if keptDevices > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d devices that run %d registered stay in the company's inventory, their ports freed", keptDevices, id))
	}
	if keptLocations > 0 {
		p.Notes = append(p.Notes, fmt.Sprintf("%d E911 locations that run %d created stay; numbers placed there are set back", keptLocations, id))
	}
}

// emitUser appends the update (or deprovision) that sets a user's fields
// fcs back.
func (r *reverter) emitUser(o *revObj, fcs []FieldChange, version int64, reason func(*revObj, string) string, add func(*revObj, Change)) {
	a := Update
	if _, back, ok := o.inverse(AttrStatus); ok && back == string(pbx.StatusDeprovisioned) {
		a = Deprovision
	}
	fields := MakeFields(fcs...)
	what := "the values before it are set back: " + fields.Names()
	if _, back, ok := o.inverse(AttrStatus); ok && back == string(pbx.StatusActive) {
		what = "the run deprovisioned this user: active again, " + fields.Names() + " set back"
	}
	add(o, Change{Action: a, Kind: KindUser, Key: o.key, Version: version, Fields: fields, Reason: reason(o, what)})
}

// rowPlans says what the revert does for each row of the run.
func (r *reverter) rowPlans(p *Plan) []RowPlan {
	var out []RowPlan
	for _, u := range r.units {
		if len(u.objs) == 0 {
			continue
		}
		rp := RowPlan{Line: u.line, Key: u.key}
		if len(u.refused) > 0 {
			rp.Status, rp.Problems = StatusConflict, u.refused
			out = append(out, rp)
			continue
		}
		for _, o := range u.objs {
			rp.Changes = append(rp.Changes, r.changeOf[o]...)
		}
		sort.Ints(rp.Changes)
		rp.Status = StatusUnchanged
		for _, ci := range rp.Changes {
			c := p.Changes[ci]
			switch {
			case c.Kind == KindUser && c.Action == Deprovision && (c.Key == u.key || rp.Status != StatusDeprovisioned):
				rp.Status = StatusDeprovisioned
			case c.Action == Move && rp.Status != StatusDeprovisioned:
				rp.Status = StatusMoved
			case c.Action == Rename && rp.Status != StatusDeprovisioned:
				rp.Status = StatusRenamed
			case rp.Status == StatusUnchanged:
				rp.Status = StatusUpdated
			}
		}
		out = append(out, rp)
	}
	return out
}

// SettledRows returns the rows of the run's plan with the status each
// ended with, not the one planned: a row any of whose changes failed is
// failed; one whose changes were rolled back, skipped or never run is
// skipped; only a row all of whose changes were written keeps its planned
// status (created, updated...).
func (rec *RunRecord) SettledRows() []RowPlan {
	if rec.Plan == nil {
		return nil
	}
	rows := make([]RowPlan, len(rec.Plan.Rows))
	copy(rows, rec.Plan.Rows)
	for i := range rows {
		r := &rows[i]
		failed, unwritten := false, false
		for _, ci := range r.Changes {
			switch {
			case ci < 0 || ci >= len(rec.Outcomes):
				unwritten = true
			case rec.Outcomes[ci].Outcome == ChangeApplied:
			case rec.Outcomes[ci].Outcome == ChangeFailed:
				failed = true
			default:
				unwritten = true
			}
		}
		switch {
		case failed:
			r.Status = StatusFailed
		case unwritten:
			r.Status = StatusSkipped
		}
	}
	return rows
}

// huntPosition is the position of a live hunt group member (key
// HuntMemberKey), "" when it is not there.
func (r *reverter) huntPosition(key string) string {
	g, u, err := SplitHuntMemberKey(key)
	if err != nil || r.st.Hunts[g] == nil {
		return ""
	}
	if m, ok := r.st.Hunts[g].Member(u); ok {
		return strconv.Itoa(m.Position)
	}
	return ""
}

// emitHuntMembers removes the hunt group members the run added, then adds
// back those it removed, at the positions they had.
func (r *reverter) emitHuntMembers(os []*revObj, reason func(*revObj, string) string, add func(*revObj, Change)) {
	for _, o := range os {
		if o.created && !o.deleted {
			add(o, Change{Action: Delete, Kind: KindHuntMember, Key: o.key,
				Fields: MakeFields(FieldChange{Field: AttrPosition, Before: o.after[AttrPosition]}),
				Reason: reason(o, "the run added this hunt group member: removed")})
		}
	}
	for _, o := range os {
		if o.deleted && !o.created {
			add(o, Change{Action: Create, Kind: KindHuntMember, Key: o.key,
				Fields: MakeFields(FieldChange{Field: AttrPosition, After: o.before[AttrPosition]}),
				Reason: reason(o, "the run removed this hunt group member: added back at position "+o.before[AttrPosition])})
		}
	}
}
