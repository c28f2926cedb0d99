package plan

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Kinds of the objects a plan reads without writing them (Read.Kind),
// besides KindUser and KindNumber.
const (
	KindSite          Kind = "site"          // key: the site code a row gives ("" for none); State: SiteState of the site it resolves to
	KindHuntGroup     Kind = "huntgroup"     // key: the group's ID; State: GroupState
	KindAutoAttendant Kind = "autoattendant" // key: the attendant's ID; State: GroupState
	// KindExtension is one read for the whole plan: the extensions the
	// changes that rely on it give users (Change's AttrExtension) were
	// found free of hunt groups and auto attendants (users' extensions are
	// unique in the schema itself). Key and State "".
	KindExtension Kind = "extension"
)

// Read is an object of the live state that a plan's decisions rest on but
// that the plan does not write: the user a number is routed to (their
// extension, voice service and status), the number a device line rings,
// the site whose dial plan a row was checked against, the hunt group or
// auto attendant a number's routing goes back to, an extension found free.
// The objects a plan writes carry their own version (Change.Version).
// Applying the plan refuses a change whose reads no longer hold, naming
// the change's rows and the object that moved.
type Read struct {
	Kind    Kind   `json:"kind"`
	Key     string `json:"key"`
	Version int64  `json:"version,omitempty"` // users and numbers: the version read; 0: it did not exist
	State   string `json:"state,omitempty"`   // sites, hunt groups, auto attendants: what was read
	Why     string `json:"why"`               // what the change relies on it for
}

// SiteState is what a plan reads of a site: what rows are checked
// against (region, extension length, dial plan, reserved ranges).
func SiteState(s *pbx.Site) string {
	length := "extensions of any length"
	if s.ExtLen > 0 {
		length = fmt.Sprintf("extensions of %d digits", s.ExtLen)
	}
	plan := "the company's dial plan"
	if s.OwnDialPlan {
		plan = "a dial plan of its own"
	}
	reserved := "none reserved"
	if len(s.Reserved) > 0 {
		rs := make([]string, len(s.Reserved))
		for i, r := range s.Reserved {
			rs[i] = r.From
			if r.To != r.From {
				rs[i] += "-" + r.To
			}
		}
		reserved = strings.Join(rs, ",") + " reserved"
	}
	return fmt.Sprintf("region %s, %s, %s, %s", s.Region, length, plan, reserved)
}

// GroupState is what a plan reads of a hunt group or auto attendant: that
// it exists, and its extension. ok is false for one that does not exist.
func GroupState(ext pbx.Extension, ok bool) string {
	if !ok {
		return "none"
	}
	return "extension " + string(ext)
}

// readKey identifies a Read in a plan.
type readKey struct {
	kind Kind
	key  string
}

// pinner collects the reads of a plan's changes.
type pinner struct {
	b       *builder
	p       *Plan
	written map[readKey]bool // the users and numbers the plan writes
	idx     map[readKey]int  // -> index in p.Reads
	rowOf   map[int]*pbx.Row // roster rows by line
	cur     []int            // the reads of the change being pinned
}

// pinReads records in p.Reads and each change's Reads what the change
// relies on without writing it (see Read).
func (b *builder) pinReads(p *Plan) {
	pn := &pinner{b: b, p: p, written: make(map[readKey]bool, len(b.numberList)+len(b.userList)/4), idx: map[readKey]int{},
		rowOf: make(map[int]*pbx.Row, len(b.rows))}
	for i := range p.Changes {
		// The live users and numbers the plan writes: their changes check
		// their versions. (A user it creates is not live: never read.)
		if c := &p.Changes[i]; c.Kind == KindNumber || c.Kind == KindUser && c.Action != Create {
			pn.written[readKey{c.Kind, c.Key}] = true
		}
	}
	for _, r := range b.rows {
		pn.rowOf[r.Line] = r
	}
	for i := range p.Changes {
		pn.cur = pn.cur[:0]
		pn.change(&p.Changes[i])
		if len(pn.cur) > 0 {
			p.Changes[i].Reads = append(b.ints.take(len(pn.cur)), pn.cur...)
		}
	}
}

// change finds what change c relies on.
func (pn *pinner) change(c *Change) {
	b := pn.b
	for _, line := range c.Rows {
		if r := pn.rowOf[line]; r != nil {
			pn.site(r.User.Site)
		}
	}
	switch c.Kind {
	case KindNumber:
		o := b.numbers[pbx.E164(c.Key)]
		if o == nil {
			return
		}
		if u := o.n.Target.User(); u != "" {
			pn.user(u, "the number is routed to their extension and needs their voice service")
		}
		if c.Action == Unassign {
			pn.group(o.n.Routing, "the number's routing goes back to it")
		}
	case KindLine:
		if c.Action == Delete {
			return
		}
		if u, ok := c.After(AttrUser); ok && u != "" {
			pn.user(pbx.UserID(u), "the device port rings them")
		} else if o := b.lines[c.Key]; o != nil {
			pn.user(o.l.User, "the device port rings them")
		}
		if n, ok := c.After(AttrNumber); ok && n != "" {
			pn.number(pbx.E164(n), "the device port rings it")
		}
	case KindMember:
		if c.Action != Create {
			return
		}
		if e, u, err := SplitMemberKey(c.Key); err == nil {
			pn.user(u, "they are given access to the number")
			pn.number(e, "a user is given access to it")
		}
	case KindHuntMember:
		if c.Action != Create {
			return
		}
		if _, u, err := SplitHuntMemberKey(c.Key); err == nil {
			pn.user(u, "they join a hunt group, which rings their extension")
		}
	case KindUser:
		if c.Action != Create && c.Action != Update {
			return
		}
		if e, ok := c.After(AttrExtension); ok && e != "" {
			pn.add(Read{Kind: KindExtension, Why: "the user is given an extension no hunt group or auto attendant had"})
		}
		if cid, ok := c.After(AttrCallerID); ok && strings.HasPrefix(cid, "+") {
			pn.number(pbx.E164(cid), "the user shows it as caller ID")
		}
	}
}

// site pins the site a row gives (by code, "" for none) as it resolves.
func (pn *pinner) site(code string) {
	if i, ok := pn.idx[readKey{KindSite, code}]; ok { // the usual case: no string built
		pn.use(i)
		return
	}
	s := pn.b.st.Site(code)
	pn.add(Read{Kind: KindSite, Key: code, State: SiteState(s),
		Why: "the rows of " + siteName(s) + " were checked against its region, extension length and reserved extensions"})
}

// user pins a live user the plan does not write.
func (pn *pinner) user(id pbx.UserID, why string) {
	if id == "" || pn.written[readKey{KindUser, string(id)}] {
		return
	}
	if u := pn.b.st.Users[id]; u != nil {
		pn.add(Read{Kind: KindUser, Key: string(id), Version: u.Version, Why: why})
	}
}

// number pins a live number the plan does not write.
func (pn *pinner) number(e pbx.E164, why string) {
	if e == "" || pn.written[readKey{KindNumber, string(e)}] {
		return
	}
	if n := pn.b.st.Numbers[e]; n != nil {
		pn.add(Read{Kind: KindNumber, Key: string(e), Version: n.Version, Why: why})
	}
}

// group pins the hunt group or auto attendant a routing goes to ("hg:ID",
// "aa:ID"), if it is one.
func (pn *pinner) group(r pbx.Routing, why string) {
	kind, id, ok := strings.Cut(string(r), ":")
	if !ok || id == "" {
		return
	}
	st := pn.b.st
	var k Kind
	var ext pbx.Extension
	var found bool
	switch kind {
	case "hg":
		k = KindHuntGroup
		if h := st.Hunts[id]; h != nil {
			ext, found = h.Extension, true
		}
	case "aa":
		k = KindAutoAttendant
		if a := st.AAs[id]; a != nil {
			ext, found = a.Extension, true
		}
	default:
		return
	}
	pn.add(Read{Kind: k, Key: id, State: GroupState(ext, found), Why: why})
}

// add gives the change being pinned read r, once.
func (pn *pinner) add(r Read) {
	k := readKey{r.Kind, r.Key}
	i, ok := pn.idx[k]
	if !ok {
		i = len(pn.p.Reads)
		pn.idx[k] = i
		pn.p.Reads = append(pn.p.Reads, r)
	}
	pn.use(i)
}

// use gives the change being pinned read i, once.
func (pn *pinner) use(i int) {
	for _, j := range pn.cur {
		if j == i {
			return
		}
	}
	pn.cur = append(pn.cur, i)
}

// siteName names a site in a reason.
func siteName(s *pbx.Site) string {
	if s.Code == "" {
		return "the default site"
	}
	return "site " + s.Code
}
