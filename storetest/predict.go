package storetest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Predict returns the state that writing the changes of p for which written
// returns true (nil: all of them), in plan order, makes of st, as Load would
// read it back: what the plan says it does, computed without a store. st is
// not changed. The contract tests hold every store to it.
func Predict(st *pbx.State, p *plan.Plan, written func(i int) bool) (*pbx.State, error) {
	out := CopyState(st)
	for i := range p.Changes {
		if written != nil && !written(i) {
			continue
		}
		if err := predictOne(out, p.Company, &p.Changes[i]); err != nil {
			return nil, fmt.Errorf("change %d (%s %s %s): %w", i, p.Changes[i].Action, p.Changes[i].Kind, p.Changes[i].Key, err)
		}
	}
	return out, nil
}

// CopyState returns a deep copy of st.
func CopyState(st *pbx.State) *pbx.State {
	c := pbx.NewState(st.Company)
	for k, v := range st.Sites {
		x := *v
		x.Reserved = append([]pbx.ExtRange(nil), v.Reserved...)
		c.Sites[k] = &x
	}
	for k, v := range st.Users {
		x := *v
		c.Users[k] = &x
	}
	for k, v := range st.Numbers {
		x := *v
		c.Numbers[k] = &x
	}
	c.Members = append(c.Members, st.Members...)
	for k, v := range st.Devices {
		x := *v
		c.Devices[k] = &x
	}
	for k, v := range st.Lines {
		x := *v
		c.Lines[k] = &x
	}
	for k, v := range st.Models {
		x := *v
		x.OUIs = append([]string(nil), v.OUIs...)
		c.Models[k] = &x
	}
	for k, v := range st.Locations {
		x := *v
		c.Locations[k] = &x
	}
	for k, v := range st.Hunts {
		x := *v
		x.Members = slices.Clone(v.Members)
		c.Hunts[k] = &x
	}
	for k, v := range st.AAs {
		x := *v
		c.AAs[k] = &x
	}
	return c
}

func predictOne(st *pbx.State, company string, ch *plan.Change) error {
	set := func(apply func(field, v string) error) error {
		for _, f := range ch.Fields.All() {
			if err := apply(f.Field, f.After); err != nil {
				return err
			}
		}
		return nil
	}
	switch ch.Kind {
	case plan.KindUser:
		u := st.Users[pbx.UserID(ch.Key)]
		if ch.Action == plan.Rename {
			return predictRename(st, u, ch)
		}
		if ch.Action == plan.Create {
			u = &pbx.User{ID: pbx.UserID(ch.Key), Company: company, Status: pbx.StatusActive}
			st.Users[u.ID] = u
		} else if u == nil {
			return fmt.Errorf("no such user")
		}
		if err := set(func(f, v string) error { return setUser(u, f, v) }); err != nil {
			return err
		}
		bump(&u.Version, ch)
	case plan.KindNumber:
		n := st.Numbers[pbx.E164(ch.Key)]
		if n == nil {
			return fmt.Errorf("no such number")
		}
		if err := set(func(f, v string) error { return setNumber(n, f, v) }); err != nil {
			return err
		}
		bump(&n.Version, ch)
	case plan.KindDevice:
		d := st.Devices[pbx.MAC(ch.Key)]
		if ch.Action == plan.Create {
			d = &pbx.Device{MAC: pbx.MAC(ch.Key), Company: company}
			st.Devices[d.MAC] = d
		} else if d == nil {
			return fmt.Errorf("no such device")
		}
		if err := set(func(f, v string) error {
			switch f {
			case plan.AttrCompany:
				d.Company = v
			case plan.AttrModel:
				d.Model = v
			default:
				return fmt.Errorf("a device has no field %q", f)
			}
			return nil
		}); err != nil {
			return err
		}
		bump(&d.Version, ch)
	case plan.KindLine:
		if ch.Action == plan.Delete {
			delete(st.Lines, ch.Key)
			return nil
		}
		l := st.Lines[ch.Key]
		if ch.Action == plan.Create {
			mac, port, ok := strings.Cut(ch.Key, "/")
			p, err := strconv.Atoi(port)
			if !ok || err != nil {
				return fmt.Errorf("line key %q is not MAC/PORT", ch.Key)
			}
			l = &pbx.DeviceLine{MAC: pbx.MAC(mac), Port: p, Lines: 1}
			st.Lines[ch.Key] = l
		} else if l == nil {
			return fmt.Errorf("no such line")
		}
		if err := set(func(f, v string) error {
			switch f {
			case plan.AttrUser:
				l.User = pbx.UserID(v)
			case plan.AttrNumber:
				l.Number = pbx.E164(v)
			case plan.AttrLines:
				n, err := strconv.Atoi(v)
				if err != nil {
					return err
				}
				l.Lines = n
			default:
				return fmt.Errorf("a line has no field %q", f)
			}
			return nil
		}); err != nil {
			return err
		}
		bump(&l.Version, ch)
	case plan.KindLocation:
		l := st.Locations[ch.Key]
		if ch.Action == plan.Create {
			l = &pbx.Location{ID: ch.Key, Company: company}
			st.Locations[ch.Key] = l
		} else if l == nil {
			return fmt.Errorf("no such location")
		}
		if err := set(func(f, v string) error {
			switch f {
			case plan.AttrCompany:
				l.Company = v
			case plan.AttrStreet:
				l.Street = v
			case plan.AttrCity:
				l.City = v
			case plan.AttrRegion:
				l.Region = v
			case plan.AttrPostal:
				l.Postal = v
			case plan.AttrCountry:
				l.Country = v
			default:
				return fmt.Errorf("a location has no field %q", f)
			}
			return nil
		}); err != nil {
			return err
		}
		bump(&l.Version, ch)
	case plan.KindMember:
		return predictMember(st, ch)
	case plan.KindHuntMember:
		return predictHuntMember(st, ch)
	default:
		return fmt.Errorf("unknown kind")
	}
	return nil
}

// predictMember adds or removes a number member: a create adds one that is
// not there, with the role it sets; a delete removes one that is there with
// the role it clears.
func predictMember(st *pbx.State, ch *plan.Change) error {
	e, u, err := plan.SplitMemberKey(ch.Key)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(st.Members, func(m pbx.Member) bool { return m.Number == e && m.User == u })
	var role string
	for _, f := range ch.Fields.All() {
		if f.Field != plan.AttrRole {
			return fmt.Errorf("a member has no field %q", f.Field)
		}
		role = f.After
		if ch.Action == plan.Delete {
			role = f.Before
		}
	}
	switch ch.Action {
	case plan.Create:
		if i >= 0 {
			return fmt.Errorf("the member is there already")
		}
		st.Members = append(st.Members, pbx.Member{Number: e, User: u, Role: pbx.MemberRole(role)})
	case plan.Delete:
		if i < 0 || st.Members[i].Role != pbx.MemberRole(role) {
			return fmt.Errorf("no such member with role %q", role)
		}
		st.Members = slices.Delete(st.Members, i, i+1)
	default:
		return fmt.Errorf("a member is created or deleted, not %s", ch.Action)
	}
	return nil
}

func bump(v *int64, ch *plan.Change) {
	if ch.Action == plan.Create {
		*v = 1
	} else {
		*v++
	}
}

func setUser(u *pbx.User, f, v string) error {
	switch f {
	case plan.AttrCompany:
		u.Company = v
	case plan.AttrSite:
		u.Site = v
	case plan.AttrFirstName:
		u.FirstName = v
	case plan.AttrLastName:
		u.LastName = v
	case plan.AttrEmail:
		u.Email = v
	case plan.AttrExtension:
		u.Extension = pbx.Extension(v)
	case plan.AttrStationType:
		u.StationType = v
	case plan.AttrVoiceEnabled:
		u.VoiceEnabled = v == "true"
	case plan.AttrCallerID:
		u.CallerID = v
	case plan.AttrStatus:
		u.Status = pbx.UserStatus(v)
	case plan.AttrExternalID:
		u.ExternalID = v
	case plan.AttrDeprovisionedAt:
		u.DeprovisionedAt = v
	default:
		return fmt.Errorf("a user has no field %q", f)
	}
	return nil
}

func setNumber(n *pbx.Number, f, v string) error {
	switch f {
	case plan.AttrTarget:
		n.Target = pbx.Target(v)
	case plan.AttrRouting:
		n.Routing = pbx.Routing(v)
	case plan.AttrSavedRouting:
		n.SavedRouting = pbx.Routing(v)
	case plan.AttrLabel:
		n.Label = v
	case plan.AttrSMS:
		n.SMS = v == "true"
	case plan.AttrLocation:
		n.Location = v
	default:
		return fmt.Errorf("a number has no field %q", f)
	}
	return nil
}

// predictRename moves user u to the login of rename ch, with every number,
// port and number member that names it; its version goes up by one.
func predictRename(st *pbx.State, u *pbx.User, ch *plan.Change) error {
	to, _ := ch.After(plan.AttrUserID)
	switch {
	case u == nil:
		return fmt.Errorf("no such user")
	case to == "" || st.Users[pbx.UserID(to)] != nil:
		return fmt.Errorf("login %q is empty or taken", to)
	}
	from, id := u.ID, pbx.UserID(to)
	delete(st.Users, from)
	u.ID = id
	u.Version++
	st.Users[id] = u
	for _, n := range st.Numbers {
		if n.Target.User() == from {
			n.Target = pbx.UserTarget(id)
		}
	}
	for _, l := range st.Lines {
		if l.User == from {
			l.User = id
		}
	}
	for i := range st.Members {
		if st.Members[i].User == from {
			st.Members[i].User = id
		}
	}
	for _, g := range st.Hunts {
		for i := range g.Members {
			if g.Members[i].User == from {
				g.Members[i].User = id
			}
		}
	}
	return nil
}

// predictHuntMember adds a hunt group member at its position (the group's
// members kept in order of position) or removes one that is there at the
// position it clears.
func predictHuntMember(st *pbx.State, ch *plan.Change) error {
	group, u, pos, err := plan.ReadHuntMember(ch)
	if err != nil {
		return err
	}
	g := st.Hunts[group]
	if g == nil {
		return fmt.Errorf("no hunt group %s", group)
	}
	i := slices.IndexFunc(g.Members, func(m pbx.HuntMember) bool { return m.User == u })
	switch ch.Action {
	case plan.Create:
		if i >= 0 || slices.ContainsFunc(g.Members, func(m pbx.HuntMember) bool { return m.Position == pos }) {
			return fmt.Errorf("the member or its position is there already")
		}
		g.Members = append(g.Members, pbx.HuntMember{User: u, Position: pos})
		slices.SortFunc(g.Members, func(a, b pbx.HuntMember) int { return a.Position - b.Position })
	case plan.Delete:
		if i < 0 || g.Members[i].Position != pos {
			return fmt.Errorf("no such member at position %d", pos)
		}
		g.Members = slices.Delete(g.Members, i, i+1)
		if len(g.Members) == 0 {
			g.Members = nil // as Load reads a group without members
		}
	default:
		return fmt.Errorf("a hunt group member is created or deleted, not %s", ch.Action)
	}
	return nil
}
