package plan

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

type attr struct{ name, value string }

// userAttrs lists a user's attributes. It returns an array, which its
// callers keep on the stack: emit compares every planned user, changed or not.
func userAttrs(u *pbx.User) [11]attr {
	return [11]attr{
		{AttrCompany, u.Company}, {AttrSite, u.Site},
		{AttrFirstName, u.FirstName}, {AttrLastName, u.LastName}, {AttrEmail, u.Email},
		{AttrExtension, string(u.Extension)}, {AttrStationType, u.StationType},
		{AttrVoiceEnabled, strconv.FormatBool(u.VoiceEnabled)}, {AttrCallerID, u.CallerID},
		{AttrStatus, string(u.Status)}, {AttrExternalID, u.ExternalID},
	}
}

func numberAttrs(n *pbx.Number) []attr {
	return []attr{
		{AttrTarget, string(n.Target)}, {AttrRouting, string(n.Routing)},
		{AttrSavedRouting, string(n.SavedRouting)}, {AttrLabel, n.Label},
		{AttrSMS, strconv.FormatBool(n.SMS)}, {AttrLocation, n.Location},
	}
}

func deviceAttrs(d *pbx.Device) []attr {
	return []attr{{AttrCompany, d.Company}, {AttrModel, d.Model}}
}

func lineAttrs(l *pbx.DeviceLine) []attr {
	return []attr{{AttrUser, string(l.User)}, {AttrNumber, string(l.Number)}, {AttrLines, strconv.Itoa(l.Lines)}}
}

func locationAttrs(l *pbx.Location) []attr {
	return []attr{
		{AttrCompany, l.Company}, {AttrStreet, l.Street}, {AttrCity, l.City},
		{AttrRegion, l.Region}, {AttrPostal, l.Postal}, {AttrCountry, l.Country},
	}
}

// diff2 and diffNew are diff for arrays of user attributes.
func diff2(before, after [11]attr) []FieldChange { return diff(before[:], after[:]) }
func diffNew(after [11]attr) []FieldChange       { return diff(nil, after[:]) }

// diff lists the attributes that differ; with before nil, every non-empty one.
func diff(before, after []attr) []FieldChange {
	n := 0
	for i, a := range after {
		if before == nil && a.value != "" || before != nil && a.value != before[i].value {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	fcs := make([]FieldChange, 0, n) // sized once: a plan holds hundreds of thousands of these
	for i, a := range after {
		var b string
		if before != nil {
			b = before[i].value
		}
		if a.value != b {
			fcs = append(fcs, FieldChange{Field: a.name, Before: b, After: a.value})
		}
	}
	return fcs
}

// emit appends the changes, in the order a store must apply them: E911
// locations, extensions freed for others (and leavers), users, numbers,
// number members (removed, then added: a member needs its user created
// first), devices, then device lines (ports freed before they are given
// again).
func (b *builder) emit(p *Plan) {
	if p.Changes == nil { // one allocation for the usual plan, not a doubling slice of ~120-byte changes
		p.Changes = make([]Change, 0, len(b.users)+len(b.numbers)+len(b.devices)+len(b.lines)+len(b.locations))
	}
	add := func(c Change) {
		w := b.whys[objKey{c.Kind, c.Key}]
		if w != nil {
			c.Rows = slices.Clip(w.rows) // shared with the builder, which is done with it
			if c.Reason == "" {
				c.Reason = strings.Join(w.reasons, "; ")
			}
		}
		if c.Reason == "" {
			c.Reason = "the roster changes " + fieldNames(c.Fields)
		}
		p.Changes = append(p.Changes, c)
	}

	for _, id := range sortedKeys(b.locations) {
		l := b.locations[id]
		if live, ok := b.st.Locations[id]; ok {
			if fcs := diff(locationAttrs(live), locationAttrs(l)); len(fcs) > 0 {
				add(Change{Action: Update, Kind: KindLocation, Key: id, Version: live.Version, Fields: fcs})
			}
		} else {
			add(Change{Action: Create, Kind: KindLocation, Key: id, Fields: diff(nil, locationAttrs(l))})
		}
	}

	// Extensions another user takes are cleared first, so the database's
	// uniqueness holds after every statement.
	version := map[pbx.UserID]int64{}
	for _, id := range sortedKeys(b.users) {
		u, live := b.users[id], b.st.Users[id]
		if live == nil {
			continue
		}
		version[id] = live.Version
		w := b.freed[id]
		if b.leavers[id] {
			after := *u
			if w != nil {
				after.Extension = ""
			}
			add(Change{Action: Deprovision, Kind: KindUser, Key: string(id), Version: live.Version,
				Fields: diff2(userAttrs(live), userAttrs(&after))})
			continue
		}
		if w != nil {
			p.Changes = append(p.Changes, Change{Action: Update, Kind: KindUser, Key: string(id), Version: live.Version,
				Fields: []FieldChange{{Field: AttrExtension, Before: string(live.Extension)}},
				Reason: strings.Join(w.reasons, "; ") + " (cleared first)", Rows: w.rows})
			version[id]++
		}
	}
	// Updates before creates: an update may free an e-mail or extension a new
	// user takes, never the other way round; and a store writes a run of
	// creates, unbroken by updates, as one COPY.
	users := sortedKeys(b.users)
	for _, id := range users {
		u, live := b.users[id], b.st.Users[id]
		switch {
		case live == nil:
		case b.leavers[id]:
		default:
			before := *live
			if b.freed[id] != nil {
				before.Extension = ""
			}
			if fcs := diff2(userAttrs(&before), userAttrs(u)); len(fcs) > 0 {
				add(Change{Action: Update, Kind: KindUser, Key: string(id), Version: version[id], Fields: fcs})
			}
		}
	}
	for _, id := range users {
		if b.st.Users[id] == nil {
			add(Change{Action: Create, Kind: KindUser, Key: string(id), Fields: diffNew(userAttrs(b.users[id]))})
		}
	}

	var numbers []Change
	for _, e := range sortedKeys(b.numbers) {
		n, live := b.numbers[e], b.st.Numbers[e]
		fcs := diff(numberAttrs(live), numberAttrs(n))
		if len(fcs) == 0 {
			continue
		}
		a := Update
		switch {
		case live.Target == n.Target:
		case live.Target == "":
			a = Assign
		case n.Target == "":
			a = Unassign
		default:
			a = Move
		}
		numbers = append(numbers, Change{Action: a, Kind: KindNumber, Key: string(e), Version: live.Version, Fields: fcs})
	}
	order := map[Action]int{Unassign: 0, Update: 1, Move: 2, Assign: 3}
	sort.SliceStable(numbers, func(i, j int) bool { return order[numbers[i].Action] < order[numbers[j].Action] })
	for _, c := range numbers {
		add(c)
	}
	b.emitMembers(add)

	for _, m := range sortedKeys(b.devices) {
		d := b.devices[m]
		if live, ok := b.st.Devices[m]; ok {
			if fcs := diff(deviceAttrs(live), deviceAttrs(d)); len(fcs) > 0 {
				add(Change{Action: Update, Kind: KindDevice, Key: string(m), Version: live.Version, Fields: fcs})
			}
		} else {
			add(Change{Action: Create, Kind: KindDevice, Key: string(m), Fields: diff(nil, deviceAttrs(d))})
		}
	}

	var creates []Change
	for _, key := range sortedKeys(b.lines) {
		l, live := b.lines[key], b.st.Lines[key]
		switch {
		case l == nil && live != nil:
			add(Change{Action: Delete, Kind: KindLine, Key: key, Version: live.Version, Fields: cleared(lineAttrs(live))})
		case l == nil:
		case live == nil:
			creates = append(creates, Change{Action: Create, Kind: KindLine, Key: key, Fields: diff(nil, lineAttrs(l))})
		default:
			if fcs := diff(lineAttrs(live), lineAttrs(l)); len(fcs) > 0 {
				a := Update
				if live.User != l.User {
					a = Move
				}
				add(Change{Action: a, Kind: KindLine, Key: key, Version: live.Version, Fields: fcs})
			}
		}
	}
	for _, c := range creates {
		add(c)
	}
}

// cleared lists every attribute going from its value to none.
func cleared(before []attr) []FieldChange {
	fcs := make([]FieldChange, 0, len(before))
	for _, a := range before {
		if a.value != "" {
			fcs = append(fcs, FieldChange{Field: a.name, Before: a.value})
		}
	}
	return fcs
}

func fieldNames(fcs []FieldChange) string {
	names := make([]string, len(fcs))
	for i, fc := range fcs {
		names[i] = fc.Field
	}
	return strings.Join(names, ", ")
}

// rowPlans says what the plan does for every roster row, and for each leaver.
func (b *builder) rowPlans(p *Plan, rows []*pbx.Row, conflicts map[int][]*pbx.Problem) []RowPlan {
	byLine := map[int][]int{}
	for i, c := range p.Changes {
		for _, line := range c.Rows {
			byLine[line] = append(byLine[line], i)
		}
	}
	out := make([]RowPlan, 0, len(rows)+len(b.leavers))
	for _, r := range rows {
		rp := RowPlan{Line: r.Line, Key: string(r.User.ID), Changes: byLine[r.Line]}
		switch {
		case conflicts[r.Line] != nil:
			rp.Status, rp.Problems, rp.Changes = StatusConflict, conflicts[r.Line], nil
		case len(rp.Changes) == 0:
			rp.Status = StatusUnchanged
		default:
			rp.Status = StatusUpdated
			for _, i := range rp.Changes {
				c := p.Changes[i]
				if c.Kind == KindUser && c.Action == Create && c.Key == string(r.User.ID) {
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
	leaverChanges := map[pbx.UserID][]int{}
	for i, c := range p.Changes {
		if id, ok := b.leaverOf[objKey{c.Kind, c.Key}]; ok {
			leaverChanges[id] = append(leaverChanges[id], i)
		}
	}
	for _, id := range sortedKeys(b.leavers) {
		out = append(out, RowPlan{Key: string(id), Status: StatusDeprovisioned, Changes: leaverChanges[id]})
	}
	return out
}

func summarise(p *Plan) Summary {
	var s Summary
	for _, c := range p.Changes {
		switch c.Action {
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

// String renders the summary line: "3 to create, 1 to change, 0 to move, 0 to deprovision".
func (s Summary) String() string {
	return fmt.Sprintf("%d to create, %d to change, %d to move, %d to deprovision", s.Create, s.Change, s.Move, s.Deprovision)
}
