package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

type attr struct{ name, value string }

// The attribute lists are arrays, which their callers keep on the stack:
// emit compares every planned object, changed or not.

func userAttrs(u *pbx.User) [12]attr {
	return [12]attr{
		{AttrCompany, u.Company}, {AttrSite, u.Site},
		{AttrFirstName, u.FirstName}, {AttrLastName, u.LastName}, {AttrEmail, u.Email},
		{AttrExtension, string(u.Extension)}, {AttrStationType, u.StationType},
		{AttrVoiceEnabled, strconv.FormatBool(u.VoiceEnabled)}, {AttrCallerID, u.CallerID},
		{AttrStatus, string(u.Status)}, {AttrExternalID, u.ExternalID}, {AttrDeprovisionedAt, u.DeprovisionedAt},
	}
}

func numberAttrs(n *pbx.Number) [6]attr {
	return [6]attr{
		{AttrTarget, string(n.Target)}, {AttrRouting, string(n.Routing)},
		{AttrSavedRouting, string(n.SavedRouting)}, {AttrLabel, n.Label},
		{AttrSMS, strconv.FormatBool(n.SMS)}, {AttrLocation, n.Location},
	}
}

func deviceAttrs(d *pbx.Device) [2]attr {
	return [2]attr{{AttrCompany, d.Company}, {AttrModel, d.Model}}
}

func lineAttrs(l *pbx.DeviceLine) [3]attr {
	return [3]attr{{AttrUser, string(l.User)}, {AttrNumber, string(l.Number)}, {AttrLines, strconv.Itoa(l.Lines)}}
}

func locationAttrs(l *pbx.Location) [6]attr {
	return [6]attr{
		{AttrCompany, l.Company}, {AttrStreet, l.Street}, {AttrCity, l.City},
		{AttrRegion, l.Region}, {AttrPostal, l.Postal}, {AttrCountry, l.Country},
	}
}

// intChunk is the chunk of the arena a plan's row lists are carved from.
const intChunk = 8192 // 64 KiB

// differs counts the attributes that differ; with before nil, the non-empty ones.
func differs(before, after []attr) int {
	n := 0
	for i, a := range after {
		if before == nil && a.value != "" || before != nil && a.value != before[i].value {
			n++
		}
	}
	return n
}

// diff packs the attributes that differ; with before nil, every non-empty
// one.
func (b *builder) diff(before, after []attr) Fields {
	b.fields.start()
	for i, a := range after {
		var v string
		if before != nil {
			v = before[i].value
		}
		if a.value != v {
			b.fields.add(a.name, v, a.value)
		}
	}
	return b.fields.done()
}

// cleared packs every attribute going from its value to none.
func cleared(before []attr) Fields {
	var p fieldPacker
	return p.cleared(before)
}

func (p *fieldPacker) cleared(before []attr) Fields {
	p.start()
	for _, a := range before {
		if a.value != "" {
			p.add(a.name, a.value, "")
		}
	}
	return p.done()
}

// add appends a change with the reasons and rows of w, and notes the
// leaver (if any) it is for.
func (b *builder) add(p *Plan, c Change, w *why, leaver pbx.UserID) {
	c.Rows = w.rows(&b.ints)
	c.Reason = w.reasons()
	if c.Reason == "" {
		c.Reason = "the roster changes " + c.Fields.Names()
	}
	if leaver != "" {
		if b.leaverChanges == nil {
			b.leaverChanges = map[pbx.UserID][]int{}
		}
		b.leaverChanges[leaver] = append(b.leaverChanges[leaver], len(p.Changes))
	}
	p.Changes = append(p.Changes, c)
}

// numberAction is what a number's change does, by its target before and after.
func numberAction(live, n *pbx.Number) Action {
	switch {
	case live.Target == n.Target:
		return Update
	case live.Target == "":
		return Assign
	case n.Target == "":
		return Unassign
	}
	return Move
}

// emit appends the changes, in the order a store must apply them: E911
// locations, extensions freed for others (and leavers), users, numbers,
// number members (removed, then added: a member needs its user created
// first), devices, then device lines (ports freed before they are given
// again).
func (b *builder) emit(p *Plan) {
	b.ints.chunk = intChunk
	if p.Changes == nil { // one allocation for the usual plan, not a doubling slice of ~120-byte changes
		p.Changes = make([]Change, 0, len(b.userList)+len(b.freed)+len(b.numberList)+len(b.deviceList)+
			len(b.lineList)+len(b.locationList)+len(b.memberList))
	}

	sortKeyed(b.locationList)
	for _, k := range b.locationList {
		o := k.obj
		if live := o.live; live != nil {
			before, after := locationAttrs(live), locationAttrs(&o.l)
			if fcs := b.diff(before[:], after[:]); !fcs.IsZero() {
				b.add(p, Change{Action: Update, Kind: KindLocation, Key: k.key, Version: live.Version, Fields: fcs}, &o.why, "")
			}
		} else {
			after := locationAttrs(&o.l)
			b.add(p, Change{Action: Create, Kind: KindLocation, Key: k.key, Fields: b.diff(nil, after[:])}, &o.why, "")
		}
	}

	// Extensions another user takes are cleared first, so the database's
	// uniqueness holds after every statement.
	sortKeyed(b.userList)
	for _, k := range b.userList {
		o := k.obj
		live := o.live
		if live == nil {
			continue
		}
		id := o.u.ID
		o.version = live.Version
		var w *why
		if len(b.freed) > 0 {
			w = b.freed[id]
		}
		if b.leavers[id] {
			after := o.u
			if w != nil {
				after.Extension = ""
			}
			ba, aa := userAttrs(live), userAttrs(&after)
			b.add(p, Change{Action: Deprovision, Kind: KindUser, Key: k.key, Version: live.Version,
				Fields: b.diff(ba[:], aa[:])}, &o.why, id)
			continue
		}
		if w != nil {
			p.Changes = append(p.Changes, Change{Action: Update, Kind: KindUser, Key: k.key, Version: live.Version,
				Fields: MakeFields(FieldChange{Field: AttrExtension, Before: string(live.Extension)}), Reason: w.reasons() + " (cleared first)", Rows: w.rows(&b.ints)})
			o.version++
		}
	}
	renamedVersion := map[pbx.UserID]int64{}
	// Updates before creates: an update may free an e-mail or extension a new
	// user takes, never the other way round; and a store writes a run of
	// creates, unbroken by updates, as one COPY.
	for _, k := range b.userList {
		o := k.obj
		live := o.live
		if live == nil || b.leavers[o.u.ID] {
			continue
		}
		before := *live
		if len(b.freed) > 0 && b.freed[o.u.ID] != nil {
			before.Extension = ""
		}
		ba, aa := userAttrs(&before), userAttrs(&o.u)
		if fcs := b.diff(ba[:], aa[:]); !fcs.IsZero() {
			b.add(p, Change{Action: Update, Kind: KindUser, Key: k.key, Version: o.version, Fields: fcs}, &o.why, "")
			if len(b.hr.renamed) > 0 {
				renamedVersion[o.u.ID] = o.version + 1
			}
		}
	}
	for _, k := range b.userList {
		if o := k.obj; o.live == nil {
			aa := userAttrs(&o.u)
			b.add(p, Change{Action: Create, Kind: KindUser, Key: k.key, Fields: b.diff(nil, aa[:])}, &o.why, "")
		}
	}

	// Numbers: un-assignments, updates, moves, then assignments, each run in
	// key order.
	sortKeyed(b.numberList)
	order := [...]Action{Unassign, Update, Move, Assign}
	rank := make([]int8, len(b.numberList)) // index into order, -1: unchanged
	for i, k := range b.numberList {
		o := k.obj
		rank[i] = -1
		ba, aa := numberAttrs(o.live), numberAttrs(&o.n)
		if differs(ba[:], aa[:]) > 0 {
			rank[i] = int8(slices.Index(order[:], numberAction(o.live, &o.n)))
		}
	}
	for r, a := range order {
		for i, k := range b.numberList {
			if rank[i] != int8(r) {
				continue
			}
			o := k.obj
			ba, aa := numberAttrs(o.live), numberAttrs(&o.n)
			b.add(p, Change{Action: a, Kind: KindNumber, Key: k.key, Version: o.live.Version, Fields: b.diff(ba[:], aa[:])}, &o.why, o.leaver)
		}
	}
	b.emitMembers(p)
	b.emitHuntMembers(p) // huntmember.go

	sortKeyed(b.deviceList)
	for _, k := range b.deviceList {
		o := k.obj
		if live := o.live; live != nil {
			ba, aa := deviceAttrs(live), deviceAttrs(&o.d)
			if fcs := b.diff(ba[:], aa[:]); !fcs.IsZero() {
				b.add(p, Change{Action: Update, Kind: KindDevice, Key: k.key, Version: live.Version, Fields: fcs}, &o.why, "")
			}
		} else {
			aa := deviceAttrs(&o.d)
			b.add(p, Change{Action: Create, Kind: KindDevice, Key: k.key, Fields: b.diff(nil, aa[:])}, &o.why, "")
		}
	}

	// Lines: deletes, updates and moves in key order, then the creates.
	sortKeyed(b.lineList)
	for _, k := range b.lineList {
		o := k.obj
		live := o.live
		switch {
		case o.del && live != nil:
			ba := lineAttrs(live)
			b.add(p, Change{Action: Delete, Kind: KindLine, Key: k.key, Version: live.Version, Fields: b.fields.cleared(ba[:])}, &o.why, o.leaver)
		case o.del, live == nil:
		default:
			ba, aa := lineAttrs(live), lineAttrs(&o.l)
			if fcs := b.diff(ba[:], aa[:]); !fcs.IsZero() {
				a := Update
				if live.User != o.l.User {
					a = Move
				}
				b.add(p, Change{Action: a, Kind: KindLine, Key: k.key, Version: live.Version, Fields: fcs}, &o.why, o.leaver)
			}
		}
	}
	for _, k := range b.lineList {
		if o := k.obj; !o.del && o.live == nil {
			aa := lineAttrs(&o.l)
			b.add(p, Change{Action: Create, Kind: KindLine, Key: k.key, Fields: b.diff(nil, aa[:])}, &o.why, o.leaver)
		}
	}
	// Renames last: the changes before name the user by the login it has,
	// and the rename moves what they wrote (numbers, ports, members) with it.
	if len(b.hr.renamed) > 0 {
		b.emitRenames(p, renamedVersion) // hr.go
	}
}

// rowPlans says what the plan does for every roster row, and for each leaver.
func (b *builder) rowPlans(p *Plan, rows []*pbx.Row, conflicts map[int][]*pbx.Problem) []RowPlan {
	// Each roster line gets a slot; its changes are carved from one array.
	minLine, maxLine := 0, 0
	for _, r := range rows {
		minLine, maxLine = min(minLine, r.Line), max(maxLine, r.Line)
	}
	var slots map[int]int // line -> slot, when lines are too sparse to index directly
	nslots := maxLine + 1
	if minLine < 0 || maxLine > 4*len(rows)+1024 {
		slots = make(map[int]int, len(rows))
		for _, r := range rows {
			if _, ok := slots[r.Line]; !ok {
				slots[r.Line] = len(slots)
			}
		}
		nslots = len(slots)
	}
	slotOf := func(line int) int {
		if slots != nil {
			if s, ok := slots[line]; ok {
				return s
			}
			return -1
		}
		if line < 0 || line > maxLine {
			return -1
		}
		return line
	}
	end := make([]int32, nslots+1) // counts, then where each slot's list ends
	total := 0
	for i := range p.Changes {
		for _, line := range p.Changes[i].Rows {
			if s := slotOf(line); s >= 0 {
				end[s+1]++
				total++
			}
		}
	}
	for s := 1; s <= nslots; s++ {
		end[s] += end[s-1]
	}
	all := make([]int, total)
	fill := slices.Clone(end[:nslots])
	for i := range p.Changes {
		for _, line := range p.Changes[i].Rows {
			if s := slotOf(line); s >= 0 {
				all[fill[s]] = i
				fill[s]++
			}
		}
	}
	changesOf := func(line int) []int {
		s := slotOf(line)
		if s < 0 || end[s] == end[s+1] {
			return nil
		}
		return all[end[s]:end[s+1]:end[s+1]]
	}

	out := make([]RowPlan, 0, len(rows)+len(b.leavers))
	for _, r := range rows {
		rp := RowPlan{Line: r.Line, Key: b.keyOf(r.User.ID), Changes: changesOf(r.Line)}
		if r.CommonArea && r.Device != nil {
			rp.Key = string(r.Device.MAC)
		} else if r.CommonArea && len(r.Numbers) > 0 {
			rp.Key = string(r.Numbers[0]) // numbers routed to a group (target.go)
		}
		switch {
		case conflicts[r.Line] != nil:
			rp.Status, rp.Problems, rp.Changes = StatusConflict, conflicts[r.Line], nil
		case len(rp.Changes) == 0:
			rp.Status = StatusUnchanged
		case b.hr.gone[r.User.ID] == r:
			rp.Status = StatusDeprovisioned
		default:
			rp.Status = StatusUpdated
			for _, i := range rp.Changes {
				c := &p.Changes[i]
				if c.Action == Rename {
					rp.Status = StatusRenamed
					break
				}
				if c.Kind == KindUser && c.Action == Create && c.Key == string(r.User.ID) ||
					r.CommonArea && c.Kind == KindDevice && c.Action == Create {
					rp.Status = StatusCreated
					break
				}
				if c.Action == Move {
					rp.Status = StatusMoved
				}
			}
		}
		out = append(out, rp)
	}
	for _, id := range sortedKeys(b.leavers) {
		if b.hr.gone[id] != nil {
			continue // on its own row
		}
		out = append(out, RowPlan{Key: string(id), Status: StatusDeprovisioned, Changes: b.leaverChanges[id]})
	}
	return out
}

// keyOf is a roster user's ID as the plan keeps it: the builder's copy
// (addUser), not the roster's piece of its record.
func (b *builder) keyOf(id pbx.UserID) string {
	if o := b.users[id]; o != nil && o.u.ID == id {
		return string(o.u.ID)
	}
	return strings.Clone(string(id))
}

func summarise(p *Plan) Summary {
	s := p.writtenSum
	for _, c := range p.Changes {
		s.count(c.Action)
	}
	for _, r := range p.Rows {
		switch r.Status {
		case StatusInvalid:
			s.Invalid++
		case StatusConflict:
			s.Conflict++
		}
	}
	return s
}

// count counts a change of action a.
func (s *Summary) count(a Action) {
	switch a {
	case Create, Assign:
		s.Create++
	case Move:
		s.Move++
	case Deprovision:
		s.Deprovision++
	default:
		s.Change++
	}
}

// String renders the summary line: "3 to create, 1 to change, 0 to move, 0 to deprovision".
func (s Summary) String() string {
	return fmt.Sprintf("%d to create, %d to change, %d to move, %d to deprovision", s.Create, s.Change, s.Move, s.Deprovision)
}
