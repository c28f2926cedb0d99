package plan

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// MemberKey is the key of a number member change: "+14155550100/jdoe@acme.example".
// An E.164 number has no "/", so the key splits at its first one.
func MemberKey(e pbx.E164, u pbx.UserID) string { return string(e) + "/" + string(u) }

// SplitMemberKey splits a member key into its number and user.
func SplitMemberKey(key string) (pbx.E164, pbx.UserID, error) {
	e, u, ok := strings.Cut(key, "/")
	if !ok || !strings.HasPrefix(e, "+") || len(e) < 2 || u == "" {
		return "", "", fmt.Errorf("%w: member key %q is not E164/USER (e.g. +14155550100/jdoe@acme.example)", pbx.ErrInvalid, key)
	}
	return pbx.E164(e), pbx.UserID(u), nil
}

// Memberships have no version in the live state: a member is there with its
// role or not at all. A change of one carries version 0; apply checks that
// a member it creates is not there yet and that one it deletes is still
// there with the role the plan read. The audit log records version 1 for a
// member written (MemberVersion) and 0 for one deleted, like any create and
// delete.
const MemberVersion = 1

// memberAttrs are the attributes of a member with role role.
func memberAttrs(role pbx.MemberRole) [1]attr { return [1]attr{{AttrRole, string(role)}} }

// indexMembers lists each user's memberships (in number order) and the role
// of each (number, user).
func (ix *index) indexMembers(st *pbx.State) {
	ix.members = map[pbx.UserID][]pbx.Member{}
	ix.role = make(map[memberID]pbx.MemberRole, len(st.Members))
	for _, m := range st.Members {
		ix.members[m.User] = append(ix.members[m.User], m)
		ix.role[memberID{m.Number, m.User}] = m.Role
	}
	for _, ms := range ix.members {
		sortMembers(ms)
	}
}

func sortMembers(ms []pbx.Member) {
	for i := 1; i < len(ms); i++ { // insertion sort: a user has few memberships
		for j := i; j > 0 && ms[j].Number < ms[j-1].Number; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// member returns the membership of user u of number e, adding it (with the
// role it has in the live state) on first use.
func (b *builder) member(e pbx.E164, u pbx.UserID) *memberObj {
	key := MemberKey(e, u)
	if o, ok := b.members[key]; ok {
		return o
	}
	o := &memberObj{key: key, live: b.ix.role[memberID{e, u}]}
	o.role = o.live
	b.members[key] = o
	b.memberList = append(b.memberList, mkKeyed(key, o))
	return o
}

// planMembers makes the row's outbound-only numbers the user's outbound-only
// memberships when the roster has the column: the missing ones are added
// and, in a sync, the others removed (an empty cell removes them all; see
// validate: outbound_only is not among the fields an empty cell leaves
// alone). Memberships of another role (assigned) are not the column's and
// are left as they are. It runs after every row's numbers are planned: a
// user cannot be outbound-only on a number that ends assigned to them.
func (b *builder) planMembers(r *pbx.Row) {
	if !r.Has(pbx.FOutboundOnly) {
		return
	}
	uid := r.User.ID
	want := make(map[pbx.E164]bool, len(r.OutboundOnly))
	for _, e := range r.OutboundOnly {
		live := b.st.Numbers[e]
		if live == nil || live.Company != b.st.Company.ID {
			continue // validation reports it
		}
		want[e] = true
		switch role := b.ix.role[memberID{e, uid}]; role {
		case pbx.RoleOutboundOnly:
			continue
		case "":
		default:
			b.conflict(r, pbx.FOutboundOnly, CodeOutboundAssignedMember, string(e),
				fmt.Sprintf("%s is an %s member of number %s (sees its calls and voicemail); the row would make them outbound-only", uid, role, e),
				"leave the number off the row's outbound-only numbers, or remove "+string(uid)+"'s membership of the number in the PBX first")
			continue
		}
		if b.targetOf(e) == pbx.UserTarget(uid) {
			b.conflict(r, pbx.FOutboundOnly, CodeOutboundOwnNumber, string(e),
				fmt.Sprintf("number %s is assigned to %s; outbound-only is caller-ID access for users not assigned to the number", e, uid),
				"leave the number off the row's outbound-only numbers; a sync whose row leaves it off the numbers un-assigns it first")
			continue
		}
		o := b.member(e, uid)
		o.role = pbx.RoleOutboundOnly
		o.add(fmt.Sprintf("%s may use %s as caller ID (outbound-only)", uid, e), r.Line)
	}
	if b.opts.Mode != Sync {
		return
	}
	for _, m := range b.ix.members[uid] {
		if m.Role == pbx.RoleOutboundOnly && !want[m.Number] {
			b.removeMember(m, "no longer outbound-only on "+string(uid)+"'s roster row", r.Line)
		}
	}
}

// targetOf is what number e ends assigned to.
func (b *builder) targetOf(e pbx.E164) pbx.Target {
	if o, ok := b.numbers[e]; ok {
		return o.n.Target
	}
	if n, ok := b.st.Numbers[e]; ok {
		return n.Target
	}
	return ""
}

func (b *builder) removeMember(m pbx.Member, reason string, line int) *memberObj {
	o := b.member(m.Number, m.User)
	o.role = ""
	o.add(reason, line)
	return o
}

// settleMembers ends the outbound-only membership of a user who becomes the
// number's target: being assigned the number includes its caller ID (DOMAIN
// rule 9: outbound-only is access without assignment). Other users'
// memberships of a number that moves or returns to the pool stay.
func (b *builder) settleMembers() {
	if len(b.ix.role) == 0 {
		return
	}
	for _, k := range b.numberList {
		n, live := &k.obj.n, k.obj.live
		u := n.Target.User()
		if u == "" || live.Target == n.Target {
			continue
		}
		e := pbx.E164(k.key)
		if b.ix.role[memberID{e, u}] == pbx.RoleOutboundOnly {
			b.removeMember(pbx.Member{Number: e, User: u, Role: pbx.RoleOutboundOnly},
				"assigned to "+string(u)+", whose outbound-only access to it ends", b.rowOf(u))
		}
	}
}

// emitMembers appends the member changes: removals, then additions.
func (b *builder) emitMembers(p *Plan) {
	sortKeyed(b.memberList)
	for _, k := range b.memberList {
		if o := k.obj; o.role == "" && o.live != "" {
			ba := memberAttrs(o.live)
			b.add(p, Change{Action: Delete, Kind: KindMember, Key: k.key, Fields: b.fields.cleared(ba[:])}, &o.why, o.leaver)
		}
	}
	for _, k := range b.memberList {
		if o := k.obj; o.role != "" && o.live == "" {
			aa := memberAttrs(o.role)
			b.add(p, Change{Action: Create, Kind: KindMember, Key: k.key, Fields: b.diff(nil, aa[:])}, &o.why, o.leaver)
		}
	}
}

// ReadMember reads a member change: its number and user from the key, its
// role from its one field (after for a create, before for a delete).
func ReadMember(ch *Change) (pbx.E164, pbx.UserID, pbx.MemberRole, error) {
	e, u, err := SplitMemberKey(ch.Key)
	if err != nil {
		return "", "", "", err
	}
	var role string
	for _, f := range ch.Fields.All() {
		if f.Field != AttrRole {
			return "", "", "", fmt.Errorf("%w: a number member has no field %q; the plan may come from another version of pbxsync: plan again",
				pbx.ErrInvalid, f.Field)
		}
		role = f.After
		if ch.Action == Delete {
			role = f.Before
		}
	}
	switch r := pbx.MemberRole(role); r {
	case pbx.RoleOutboundOnly, pbx.RoleAssigned:
		return e, u, r, nil
	case "":
		return "", "", "", fmt.Errorf("%w: the change gives the member no role (%s or %s)", pbx.ErrInvalid, pbx.RoleOutboundOnly, pbx.RoleAssigned)
	}
	return "", "", "", fmt.Errorf("%w: role %q is neither %s nor %s", pbx.ErrInvalid, role, pbx.RoleOutboundOnly, pbx.RoleAssigned)
}
