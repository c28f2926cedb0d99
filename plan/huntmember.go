package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// HuntMemberKey is the key of a hunt group member change:
// "sales/jdoe@acme.example". A hunt group's id has no "/", so the key
// splits at its first one.
func HuntMemberKey(group string, u pbx.UserID) string { return group + "/" + string(u) }

// SplitHuntMemberKey splits a hunt group member key into its group and user.
func SplitHuntMemberKey(key string) (string, pbx.UserID, error) {
	g, u, ok := strings.Cut(key, "/")
	if !ok || g == "" || u == "" {
		return "", "", fmt.Errorf("%w: hunt group member key %q is not GROUP/USER (e.g. sales/jdoe@acme.example)", pbx.ErrInvalid, key)
	}
	return g, pbx.UserID(u), nil
}

// A hunt group member has no version, like a number member: it is there at
// its position or not at all, and a plan creates and deletes members. Apply
// checks that a member it creates is not there yet and that one it deletes
// is still there at the position the plan read; the audit log records
// MemberVersion for a member written, 0 for one deleted.

// huntMemberAttrs are the attributes of a member at position pos.
func huntMemberAttrs(pos int) [1]attr { return [1]attr{{AttrPosition, strconv.Itoa(pos)}} }

// ReadHuntMember reads a hunt group member change: its group and user from
// the key, its position from its one field (after for a create, before for
// a delete).
func ReadHuntMember(ch *Change) (string, pbx.UserID, int, error) {
	g, u, err := SplitHuntMemberKey(ch.Key)
	if err != nil {
		return "", "", 0, err
	}
	var pos string
	for _, f := range ch.Fields.All() {
		if f.Field != AttrPosition {
			return "", "", 0, fmt.Errorf("%w: a hunt group member has no field %q; the plan may come from another version of pbxsync: plan again",
				pbx.ErrInvalid, f.Field)
		}
		pos = f.After
		if ch.Action == Delete {
			pos = f.Before
		}
	}
	n, err := strconv.Atoi(pos)
	if err != nil || n < 1 {
		return "", "", 0, fmt.Errorf("%w: the change gives hunt group member %s of %s no position (a whole number from 1), but %q", pbx.ErrInvalid, u, g, pos)
	}
	return g, u, n, nil
}

// huntPlace is a user's place in a hunt group in the live state.
type huntPlace struct {
	group string
	pos   int
}

// huntMemberObj is the desired state of a user's place in a hunt group.
type huntMemberObj struct {
	key    string // HuntMemberKey
	pos    int    // the position it ends at; 0: not a member
	live   int    // its position in the live state; 0: not a member
	leaver pbx.UserID
	why
}

// indexHuntMembers lists each user's places in hunt groups, by group id.
func (ix *index) indexHuntMembers(st *pbx.State) {
	ix.hunts = map[pbx.UserID][]huntPlace{}
	for _, id := range sortedKeys(st.Hunts) {
		for _, m := range st.Hunts[id].Members {
			ix.hunts[m.User] = append(ix.hunts[m.User], huntPlace{id, m.Position})
		}
	}
}

// huntMember returns user u's place in group g, adding it (as it is in
// the live state) on first use.
func (b *builder) huntMember(g string, u pbx.UserID, live int) *huntMemberObj {
	key := HuntMemberKey(g, u)
	if o, ok := b.huntMembers[key]; ok {
		return o
	}
	if b.huntMembers == nil {
		b.huntMembers = map[string]*huntMemberObj{}
	}
	o := &huntMemberObj{key: key, pos: live, live: live}
	b.huntMembers[key] = o
	b.huntMemberList = append(b.huntMemberList, mkKeyed(key, o))
	return o
}

// planHuntGroups makes the row's hunt groups the user's when the roster
// has the column: the user joins each group they are not in yet, after its
// last member (the positions of the live members and of those the roster
// adds before, in row order, so a removal leaves a gap and never gives a
// position to two); in a sync the user also leaves the groups the cell does
// not list (an empty cell: every group). A group the company does not have
// is validation's (hunt_groups.unknown).
func (b *builder) planHuntGroups(r *pbx.Row) {
	if !r.Has(pbx.FHuntGroups) {
		return
	}
	uid := r.User.ID
	want := make(map[string]bool, len(r.HuntGroups))
	for _, ref := range r.HuntGroups {
		g := b.st.HuntGroupByRef(ref)
		if g == nil || want[g.ID] {
			continue
		}
		want[g.ID] = true
		if _, ok := g.Member(uid); ok {
			continue
		}
		o := b.huntMember(g.ID, uid, 0)
		o.pos = b.nextPosition(g)
		o.add(fmt.Sprintf("%s joins hunt group %s, which rings them at position %d", uid, huntName(g), o.pos), r.Line)
	}
	if b.opts.Mode != Sync {
		return
	}
	for _, m := range b.ix.hunts[uid] {
		if !want[m.group] {
			o := b.huntMember(m.group, uid, m.pos)
			o.pos = 0
			o.add(fmt.Sprintf("%s is no longer in hunt group %s on their roster row", uid, huntName(b.st.Hunts[m.group])), r.Line)
		}
	}
}

// nextPosition hands out the positions after group g's last member, one
// for each member the roster adds.
func (b *builder) nextPosition(g *pbx.HuntGroup) int {
	if b.huntNext == nil {
		b.huntNext = map[string]int{}
	}
	p, ok := b.huntNext[g.ID]
	if !ok {
		p = g.NextPosition()
	}
	b.huntNext[g.ID] = p + 1
	return p
}

// leaveHuntGroups takes leaver id out of every hunt group (DOMAIN: a
// leaver's calls stop reaching them; the group rings the others).
func (b *builder) leaveHuntGroups(id pbx.UserID, line int) {
	for _, m := range b.ix.hunts[id] {
		o := b.huntMember(m.group, id, m.pos)
		o.pos, o.leaver = 0, id
		o.add("leaver "+string(id)+" leaves hunt group "+huntName(b.st.Hunts[m.group]), line)
	}
}

func huntName(g *pbx.HuntGroup) string {
	if g.Name != "" && g.Name != g.ID {
		return g.ID + " (" + g.Name + ")"
	}
	return g.ID
}

// emitHuntMembers appends the hunt group member changes: removals, then
// additions, each in key order.
func (b *builder) emitHuntMembers(p *Plan) {
	sortKeyed(b.huntMemberList)
	for _, k := range b.huntMemberList {
		if o := k.obj; o.pos == 0 && o.live != 0 {
			ba := huntMemberAttrs(o.live)
			b.add(p, Change{Action: Delete, Kind: KindHuntMember, Key: k.key, Fields: b.fields.cleared(ba[:])}, &o.why, o.leaver)
		}
	}
	for _, k := range b.huntMemberList {
		if o := k.obj; o.pos != 0 && o.live == 0 {
			aa := huntMemberAttrs(o.pos)
			b.add(p, Change{Action: Create, Kind: KindHuntMember, Key: k.key, Fields: b.diff(nil, aa[:])}, &o.why, o.leaver)
		}
	}
}
