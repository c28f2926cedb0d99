package plan

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// FileKind is the kind of object a file manages: a user roster, or one of
// the files of the rest of the company (day two: the number inventory,
// sites, the device catalogue, hunt groups, auto attendants).
type FileKind string

const (
	FileUsers          FileKind = "users"
	FileNumbers        FileKind = "numbers"
	FileSites          FileKind = "sites"
	FileModels         FileKind = "models"
	FileHuntGroups     FileKind = "hunt-groups"
	FileAutoAttendants FileKind = "auto-attendants"
	// FileSeed is the plan of `pbxsync init --seed` on a company in the
	// store already: the objects of every kind above but users.
	FileSeed FileKind = "seed"
)

// FileKinds lists the kinds of file, in the order the help names them.
var FileKinds = []FileKind{FileNumbers, FileSites, FileModels, FileHuntGroups, FileAutoAttendants, FileUsers}

// KindModel is an entry of the device catalogue (key: its name). The
// catalogue is shared by every company of the store.
const KindModel Kind = "model"

// Attributes of the objects of day-two files (besides the user roster's).
const (
	AttrName           = "name"            // site, hunt group, auto attendant
	AttrExtLen         = "ext_len"         // site: extension length, 0 = any
	AttrOwnDialPlan    = "own_dial_plan"   // site: extensions unique per site
	AttrReserved       = "reserved"        // site: "911,9000-9999"
	AttrVendor         = "vendor"          // model
	AttrDeviceKind     = "kind"            // model: deskphone, ata, softclient
	AttrPorts          = "ports"           // model
	AttrMaxLines       = "max_lines"       // model: line appearances per port
	AttrOUIs           = "ouis"            // model: "805ec0,001565"
	AttrHolidayRouting = "holiday_routing" // number: only an inventory file (or a seed) sets it
)

// ObjectAttrs are the attributes of each kind an object file manages, in
// the order a create lists them.
var ObjectAttrs = map[Kind][]string{
	KindNumber:        {AttrSite, AttrLabel, AttrRouting, AttrHolidayRouting},
	KindSite:          {AttrName, AttrRegion, AttrExtLen, AttrOwnDialPlan, AttrReserved, AttrLocation},
	KindModel:         {AttrVendor, AttrDeviceKind, AttrPorts, AttrMaxLines, AttrOUIs},
	KindHuntGroup:     {AttrName, AttrExtension},
	KindAutoAttendant: {AttrName, AttrExtension},
	KindHuntMember:    {AttrPosition},
}

// KindOf is the kind of object a file of kind f manages ("" for users and
// the seed).
func (f FileKind) KindOf() Kind {
	switch f {
	case FileNumbers:
		return KindNumber
	case FileSites:
		return KindSite
	case FileModels:
		return KindModel
	case FileHuntGroups:
		return KindHuntGroup
	case FileAutoAttendants:
		return KindAutoAttendant
	}
	return ""
}

// Object is one object a file (or a seed) asks for.
type Object struct {
	Kind Kind
	Key  string
	Line int // the file's row; 0 for a seed
	// Fields are the attributes the file gives; one it leaves out is left
	// alone (on a create, it takes the schema's default).
	Fields map[string]string
	// Remove asks for the object to go (an Action column "remove"): only
	// ever said explicitly.
	Remove bool
	// Numbers are routed to the object (a hunt group or an auto attendant):
	// a number of the pool is assigned, one another target holds is moved.
	Numbers []pbx.E164
	// Members, when SetMembers, are a hunt group's members in the order it
	// rings them: the file's list is the group's (an empty cell leaves the
	// members alone).
	Members    []pbx.UserID
	SetMembers bool
	// Why, when set, is said in the reason of its create ("the 3rd of 50
	// numbers of area code 650").
	Why string
	// RowKey names the row in the plan when its key does not (a range, an
	// area code); "" = Key.
	RowKey string
	// Location is the E911 address a site's row gives as its default
	// (Fields' AttrLocation is its ID): created first when the company
	// does not have it.
	Location *pbx.Location
}

// LiveObject is an object of the live state as an object file sees it.
type LiveObject struct {
	Fields  map[string]string
	Version int64 // numbers only; the other kinds have no version
}

// Live returns the objects of kind k of st by key.
func Live(st *pbx.State, k Kind) map[string]LiveObject {
	out := map[string]LiveObject{}
	switch k {
	case KindNumber:
		for e, n := range st.Numbers {
			if n.Company != "" && n.Company != st.Company.ID {
				continue // another company's, loaded to be named as such
			}
			out[string(e)] = LiveObject{Version: n.Version, Fields: map[string]string{AttrSite: n.Site, AttrLabel: n.Label,
				AttrRouting: string(n.Routing), AttrHolidayRouting: string(n.HolidayRouting)}}
		}
	case KindSite:
		for code, s := range st.Sites {
			if code == "" && s.Code == "" {
				continue
			}
			out[code] = LiveObject{Fields: SiteFields(s)}
		}
	case KindModel:
		for name, m := range st.Models {
			out[name] = LiveObject{Fields: map[string]string{AttrVendor: m.Vendor, AttrDeviceKind: string(m.Kind),
				AttrPorts: strconv.Itoa(m.Ports), AttrMaxLines: strconv.Itoa(m.MaxLines), AttrOUIs: strings.Join(m.OUIs, ",")}}
		}
	case KindHuntGroup:
		for id, g := range st.Hunts {
			out[id] = LiveObject{Fields: map[string]string{AttrName: g.Name, AttrExtension: string(g.Extension)}}
		}
	case KindAutoAttendant:
		for id, g := range st.AAs {
			out[id] = LiveObject{Fields: map[string]string{AttrName: g.Name, AttrExtension: string(g.Extension)}}
		}
	case KindHuntMember:
		for id, g := range st.Hunts {
			for _, m := range g.Members {
				out[HuntMemberKey(id, m.User)] = LiveObject{Fields: map[string]string{AttrPosition: strconv.Itoa(m.Position)}}
			}
		}
	}
	return out
}

// SiteFields are a site's attributes as strings.
func SiteFields(s *pbx.Site) map[string]string {
	return map[string]string{AttrName: s.Name, AttrRegion: s.Region, AttrExtLen: strconv.Itoa(s.ExtLen),
		AttrOwnDialPlan: strconv.FormatBool(s.OwnDialPlan), AttrReserved: FormatRanges(s.Reserved), AttrLocation: s.E911}
}

// FormatRanges writes reserved ranges as a site's column holds them:
// "911,9000-9999".
func FormatRanges(rs []pbx.ExtRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.From
		if r.To != r.From {
			parts[i] += "-" + r.To
		}
	}
	return strings.Join(parts, ",")
}

// objectNoun names a kind of object for reasons and problems.
func objectNoun(k Kind) string {
	switch k {
	case KindNumber:
		return "number"
	case KindSite:
		return "site"
	case KindModel:
		return "device model"
	case KindHuntGroup:
		return "hunt group"
	case KindAutoAttendant:
		return "auto attendant"
	case KindHuntMember:
		return "hunt group member"
	}
	return string(k)
}

// Codes of the conflicts of object files.
const (
	// CodeNumberRemoveAssigned: a file asks to remove a number that is
	// assigned (to a user, a group or an attendant).
	CodeNumberRemoveAssigned = "number.remove_assigned"
	// CodeObjectInUse: a file asks to remove an object that others name
	// (a site with users or numbers, a model with devices, a group or an
	// attendant that numbers route to).
	CodeObjectInUse = "object.in_use"
	// CodeNumberRingsPhone: a number a group's row routes to it rings a
	// phone's port: moving it would leave the port ringing a number that
	// is not its user's.
	CodeNumberRingsPhone = "number.rings_phone"
)

// StatusRemoved is the status of a row whose object an object file
// removed (a number taken out of the inventory for good).
const StatusRemoved Status = "removed"

// Objects plans the objects a file (or a seed) asks for against st: each
// one created where st lacks it, updated where an attribute the file gives
// differs, removed only where the file says so, and, for hunt groups and
// auto attendants, the numbers routed to them assigned (from the pool) or
// moved (from a user or another target, said as such). Nothing the file
// does not name is touched. The objects have been validated: keys unique,
// values canonical.
func Objects(st *pbx.State, objs []Object, fk FileKind) *Plan {
	p := &Plan{Format: FormatVersion, Company: st.Company.ID, Mode: Onboard, File: fk, CreatedAt: time.Now().UTC()}
	lives := map[Kind]map[string]LiveObject{}
	live := func(k Kind) map[string]LiveObject {
		if lives[k] == nil {
			lives[k] = Live(st, k)
		}
		return lives[k]
	}
	rows := map[int]*RowPlan{}
	var order []int
	rowOf := func(o *Object) *RowPlan {
		if o.Line == 0 { // a seed: one row per object
			order = append(order, -len(order)-1)
			r := &RowPlan{Key: string(o.Kind) + " " + o.Key, Status: StatusUnchanged}
			rows[order[len(order)-1]] = r
			return r
		}
		r := rows[o.Line]
		if r == nil {
			r = &RowPlan{Line: o.Line, Key: cmp.Or(o.RowKey, o.Key), Status: StatusUnchanged}
			rows[o.Line] = r
			order = append(order, o.Line)
		}
		return r
	}
	add := func(r *RowPlan, c Change, st Status) {
		if r.Line != 0 {
			c.Rows = []int{r.Line}
		}
		p.Changes = append(p.Changes, c)
		r.Changes = append(r.Changes, len(p.Changes)-1)
		if r.Status == StatusUnchanged || st == StatusCreated {
			r.Status = st
		}
	}
	conflict := func(r *RowPlan, o *Object, code, msg, hint string) {
		r.Status = StatusConflict
		r.Changes = nil
		r.Problems = append(r.Problems, &pbx.Problem{Cell: pbx.Cell{Row: o.Line, Col: -1}, Severity: pbx.SevError,
			Code: code, Value: o.Key, Message: msg, Hint: hint, Err: pbx.ErrConflict})
	}
	noun := objectNoun
	newLocs := map[string]bool{}
	for i := range objs {
		o := &objs[i]
		r := rowOf(o)
		if r.Status == StatusConflict {
			continue
		}
		lo, exists := live(o.Kind)[o.Key]
		name := noun(o.Kind) + " " + o.Key
		if l := o.Location; l != nil && !o.Remove && st.Locations[l.ID] == nil && !newLocs[l.ID] {
			newLocs[l.ID] = true // written before the site that names it
			var fcs []FieldChange
			for _, a := range locationAttrs(l) {
				if a.value != "" {
					fcs = append(fcs, FieldChange{Field: a.name, After: a.value})
				}
			}
			add(r, Change{Action: Create, Kind: KindLocation, Key: l.ID, Fields: MakeFields(fcs...), Reason: "new E911 location, the default address of site " + o.Key}, StatusCreated)
		}
		switch {
		case o.Remove && !exists:
			// nothing to remove: unchanged
		case o.Remove:
			if why := inUse(st, o.Kind, o.Key); why != "" {
				code, hint := CodeObjectInUse, "take it out of use first, or leave the row's Action empty"
				if o.Kind == KindNumber {
					code, hint = CodeNumberRemoveAssigned, "un-assign it first (a user roster without it in sync mode, or another target), then remove it"
				}
				conflict(r, o, code, fmt.Sprintf("%s cannot be removed: %s", name, why), hint)
				continue
			}
			fcs := make([]FieldChange, 0, len(ObjectAttrs[o.Kind]))
			for _, a := range ObjectAttrs[o.Kind] {
				fcs = append(fcs, FieldChange{Field: a, Before: lo.Fields[a]})
			}
			reason := "removed from the company, as the file says"
			if o.Kind == KindNumber {
				reason = "removed from the inventory for good, as the file says: IRREVERSIBLE (revert cannot restore a deleted number)"
			}
			add(r, Change{Action: Delete, Kind: o.Kind, Key: o.Key, Version: lo.Version, Fields: MakeFields(fcs...), Reason: reason}, StatusRemoved)
		case !exists:
			var fcs []FieldChange
			for _, a := range ObjectAttrs[o.Kind] {
				if v := o.Fields[a]; v != "" {
					fcs = append(fcs, FieldChange{Field: a, After: v})
				}
			}
			reason := "new " + noun(o.Kind)
			if o.Kind == KindNumber {
				reason = "added to the company's pool"
			}
			if o.Why != "" {
				reason += " (" + o.Why + ")"
			}
			if o.Kind == KindModel {
				reason += "; the device catalogue is shared by every company of the store"
			}
			add(r, Change{Action: Create, Kind: o.Kind, Key: o.Key, Fields: MakeFields(fcs...), Reason: reason}, StatusCreated)
		default:
			given := o.Fields
			var saved *FieldChange
			if n := st.Numbers[pbx.E164(o.Key)]; o.Kind == KindNumber && n != nil && n.Target != "" {
				// An assigned number rings its target: its routing is the
				// assignment's. The inventory's routing is the one it goes
				// back to when un-assigned (its saved routing); the routing
				// it has now (an export fed back) changes nothing.
				if v, ok := given[AttrRouting]; ok {
					given = maps.Clone(given)
					delete(given, AttrRouting)
					if v != string(n.Routing) && v != string(n.SavedRouting) {
						saved = &FieldChange{Field: AttrSavedRouting, Before: string(n.SavedRouting), After: v}
					}
				}
			}
			var fcs []FieldChange
			for _, a := range ObjectAttrs[o.Kind] {
				if v, ok := given[a]; ok && v != lo.Fields[a] {
					fcs = append(fcs, FieldChange{Field: a, Before: lo.Fields[a], After: v})
				}
			}
			if saved != nil {
				fcs = append(fcs, *saved)
			}
			if len(fcs) > 0 {
				add(r, Change{Action: Update, Kind: o.Kind, Key: o.Key, Version: lo.Version, Fields: MakeFields(fcs...),
					Reason: "the file changes the " + noun(o.Kind)}, StatusUpdated)
			}
		}
		if o.Kind == KindHuntGroup && o.SetMembers {
			for _, c := range memberChanges(st, o) {
				add(r, c, StatusUpdated)
			}
		}
		for _, e := range o.Numbers {
			if c, why := routeNumber(st, o, e); why != "" {
				conflict(r, o, CodeNumberRingsPhone, why, "free the phone's port first (the user's roster row without the number), then route it here")
				break
			} else if c != nil {
				st := StatusUpdated
				if c.Action == Move {
					st = StatusMoved
				}
				add(r, *c, st)
			}
		}
	}
	// A row in conflict writes nothing: drop its changes, keep the others'
	// indexes right.
	keep := make([]Change, 0, len(p.Changes))
	for _, line := range order {
		r := rows[line]
		if r.Status == StatusConflict {
			r.Changes = nil
		}
		for j, ci := range r.Changes {
			keep = append(keep, p.Changes[ci])
			r.Changes[j] = len(keep) - 1
		}
		p.Rows = append(p.Rows, *r)
	}
	p.Changes = keep
	p.Summary = summarise(p)
	return p
}

// routeNumber is the change that routes number e to the hunt group or
// auto attendant o: an assign from the pool, a move from whatever holds it
// now, nil when it is o's already; why is set when it cannot.
func routeNumber(st *pbx.State, o *Object, e pbx.E164) (*Change, string) {
	n := st.Numbers[e]
	tk, routing := pbx.TargetHuntGroup, "hg:"+o.Key
	if o.Kind == KindAutoAttendant {
		tk, routing = pbx.TargetAutoAttendant, "aa:"+o.Key
	}
	target := pbx.MakeTarget(tk, o.Key)
	if n == nil || n.Target == target {
		return nil, ""
	}
	for _, l := range st.Lines {
		if l.Number == e {
			return nil, fmt.Sprintf("number %s rings port %d of phone %s: routing it to %s %s would leave that port ringing another's number",
				e, l.Port, l.MAC, objectNoun(o.Kind), o.Key)
		}
	}
	fcs := []FieldChange{{Field: AttrTarget, Before: string(n.Target), After: string(target)}}
	if string(n.Routing) != routing {
		fcs = append(fcs, FieldChange{Field: AttrRouting, Before: string(n.Routing), After: routing})
	}
	if n.Target == "" {
		if n.SavedRouting != n.Routing {
			fcs = append(fcs, FieldChange{Field: AttrSavedRouting, Before: string(n.SavedRouting), After: string(n.Routing)})
		}
		return &Change{Action: Assign, Kind: KindNumber, Key: string(e), Version: n.Version, Fields: MakeFields(fcs...),
			Reason: fmt.Sprintf("routed from the pool to %s %s (holiday routing kept)", objectNoun(o.Kind), o.Key)}, ""
	}
	from := "user " + string(n.Target.User())
	if k, key := n.Target.Split(); k != pbx.TargetUser {
		from = targetNoun(k) + " " + key
	}
	return &Change{Action: Move, Kind: KindNumber, Key: string(e), Version: n.Version, Fields: MakeFields(fcs...),
		Reason: fmt.Sprintf("moved from %s to %s %s, as the file says (holiday routing kept)", from, objectNoun(o.Kind), o.Key)}, ""
}

func targetNoun(k pbx.TargetKind) string {
	switch k {
	case pbx.TargetHuntGroup:
		return "hunt group"
	case pbx.TargetAutoAttendant:
		return "auto attendant"
	}
	return string(k)
}

// inUse says what names object key of kind k in st, "" when nothing does.
func inUse(st *pbx.State, k Kind, key string) string {
	count := func(n int, what string) string {
		if n == 0 {
			return ""
		}
		return fmt.Sprintf("%d %s", n, what)
	}
	switch k {
	case KindNumber:
		n := st.Numbers[pbx.E164(key)]
		if n != nil && n.Target != "" {
			return "it is assigned to " + string(n.Target)
		}
		for _, l := range st.Lines {
			if string(l.Number) == key {
				return fmt.Sprintf("it rings port %d of phone %s", l.Port, l.MAC)
			}
		}
		if slices.ContainsFunc(st.Members, func(m pbx.Member) bool { return string(m.Number) == key }) {
			return "users are members of it"
		}
	case KindSite:
		var users, nums int
		for _, u := range st.Users {
			if u.Site == key {
				users++
			}
		}
		for _, n := range st.Numbers {
			if n.Site == key {
				nums++
			}
		}
		return strings.Join(slices.DeleteFunc([]string{count(users, "user(s)"), count(nums, "number(s)")}, func(s string) bool { return s == "" }), " and ") + onSite(users+nums)
	case KindModel:
		var n int
		for _, d := range st.Devices {
			if d.Model == key {
				n++
			}
		}
		if n > 0 {
			return fmt.Sprintf("%d device(s) of the company are of this model", n)
		}
	case KindHuntGroup, KindAutoAttendant:
		if g := st.Hunts[key]; k == KindHuntGroup && g != nil && len(g.Members) > 0 {
			return fmt.Sprintf("%d member(s) are in it", len(g.Members))
		}
		tk := pbx.TargetHuntGroup
		if k == KindAutoAttendant {
			tk = pbx.TargetAutoAttendant
		}
		var n int
		for _, x := range st.Numbers {
			if x.Target == pbx.MakeTarget(tk, key) {
				n++
			}
		}
		if n > 0 {
			return fmt.Sprintf("%d number(s) route to it", n)
		}
	}
	return ""
}

func onSite(n int) string {
	if n == 0 {
		return ""
	}
	return " are at this site"
}

// memberChanges are the changes that make hunt group o's members the
// file's list, in its order: none when the group rings them in that order
// already; the missing ones after its last member when its members are the
// list's first ones; else every member taken out and the list put in at
// positions 1, 2...
func memberChanges(st *pbx.State, o *Object) []Change {
	var live []pbx.HuntMember
	next := 1
	if g := st.Hunts[o.Key]; g != nil {
		live = slices.Clone(g.Members)
		slices.SortFunc(live, func(a, b pbx.HuntMember) int { return a.Position - b.Position })
		next = g.NextPosition()
	}
	prefix := len(live) <= len(o.Members)
	for i := 0; prefix && i < len(live); i++ {
		prefix = live[i].User == o.Members[i]
	}
	var out []Change
	create := func(u pbx.UserID, pos int) {
		out = append(out, Change{Action: Create, Kind: KindHuntMember, Key: HuntMemberKey(o.Key, u),
			Fields: MakeFields(FieldChange{Field: AttrPosition, After: strconv.Itoa(pos)}),
			Reason: fmt.Sprintf("%s rings as member %d of hunt group %s, as the file lists it", u, pos, o.Key)})
	}
	if prefix {
		for _, u := range o.Members[len(live):] {
			create(u, next)
			next++
		}
		return out
	}
	for _, m := range live {
		why := fmt.Sprintf("%s is no longer a member of hunt group %s: the file does not list them", m.User, o.Key)
		if slices.Contains(o.Members, m.User) {
			why = fmt.Sprintf("%s is taken out of hunt group %s to be put back in the file's order", m.User, o.Key)
		}
		out = append(out, Change{Action: Delete, Kind: KindHuntMember, Key: HuntMemberKey(o.Key, m.User),
			Fields: MakeFields(FieldChange{Field: AttrPosition, Before: strconv.Itoa(m.Position)}), Reason: why})
	}
	for i, u := range o.Members {
		create(u, i+1)
	}
	return out
}
