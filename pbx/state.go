package pbx

import (
	"maps"
	"slices"
	"strings"
)

// State is the part of the live state a plan is made against: one company,
// its sites, and every user, number, device and location the roster can touch,
// each with the version it had when it was read.
type State struct {
	Company   Company
	Sites     map[string]*Site // by code; "" is the company's default site
	Users     map[UserID]*User
	Numbers   map[E164]*Number
	Members   []Member
	Devices   map[MAC]*Device
	Lines     map[string]*DeviceLine // by LineKey
	Models    map[string]*DeviceModel
	Locations map[string]*Location
	Hunts     map[string]*HuntGroup
	AAs       map[string]*AutoAttendant
	// Generation is the company's generation the state was read at: every
	// write pbxsync makes to the company raises it (0: not known).
	Generation int64

	// pool holds the company's free numbers compactly once CompactPool
	// has moved them out of Numbers (pool.go); nil until then.
	pool *numberPool
}

// NewState returns an empty state for a company, ready to fill.
func NewState(c Company) *State {
	return &State{
		Company:   c,
		Sites:     map[string]*Site{},
		Users:     map[UserID]*User{},
		Numbers:   map[E164]*Number{},
		Devices:   map[MAC]*Device{},
		Lines:     map[string]*DeviceLine{},
		Models:    map[string]*DeviceModel{},
		Locations: map[string]*Location{},
		Hunts:     map[string]*HuntGroup{},
		AAs:       map[string]*AutoAttendant{},
	}
}

// Site returns the site with the code, falling back to the company default
// (code ""), or the only site of a one-site company, or a US default when
// the company has none.
func (s *State) Site(code string) *Site {
	if st, ok := s.Sites[code]; ok {
		return st
	}
	if st, ok := s.Sites[""]; ok {
		return st
	}
	if len(s.Sites) == 1 { // a company with one site needs no site column
		for _, st := range s.Sites {
			return st
		}
	}
	return &Site{Company: s.Company.ID, Region: "US", ExtLen: 4}
}

// HuntGroupByRef finds a hunt group of the company by its id or, failing
// that, its name, ignoring case; nil when none is (or two are) so named.
func (s *State) HuntGroupByRef(ref string) *HuntGroup {
	if g := s.Hunts[ref]; g != nil {
		return g
	}
	var found *HuntGroup
	for _, g := range s.Hunts {
		if strings.EqualFold(g.ID, ref) || strings.EqualFold(g.Name, ref) {
			if found != nil && found != g {
				return nil
			}
			found = g
		}
	}
	return found
}

// HuntGroupNames lists the company's hunt groups for a message:
// "sales (Sales), support (Support)", sorted by id; "none" when it has none.
func (s *State) HuntGroupNames() string {
	var out []string
	for _, id := range sortedIDs(s.Hunts) {
		out = append(out, named(id, s.Hunts[id].Name, id))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

// TargetByRef finds what a number may ring besides a user, as a roster
// names it: "huntgroup:ID" or "autoattendant:ID" (also "hg:", "aa:", and
// the group's or attendant's name after the colon), or the bare id or name
// of a hunt group or an auto attendant, ignoring case. ok is false when
// nothing is so named, or a bare name names one of each.
func (s *State) TargetByRef(ref string) (Target, bool) {
	ref = strings.TrimSpace(ref)
	kind, key, hasKind := strings.Cut(ref, ":")
	key = strings.TrimSpace(key)
	aa := func(k string) *AutoAttendant {
		if a := s.AAs[k]; a != nil {
			return a
		}
		var found *AutoAttendant
		for _, a := range s.AAs {
			if strings.EqualFold(a.ID, k) || strings.EqualFold(a.Name, k) {
				if found != nil && found != a {
					return nil
				}
				found = a
			}
		}
		return found
	}
	if hasKind {
		switch strings.ToLower(strings.TrimSpace(kind)) {
		case "huntgroup", "hunt group", "hg":
			if g := s.HuntGroupByRef(key); g != nil {
				return MakeTarget(TargetHuntGroup, g.ID), true
			}
		case "autoattendant", "auto attendant", "aa":
			if a := aa(key); a != nil {
				return MakeTarget(TargetAutoAttendant, a.ID), true
			}
		}
		return "", false
	}
	g, a := s.HuntGroupByRef(ref), aa(ref)
	switch {
	case g != nil && a == nil:
		return MakeTarget(TargetHuntGroup, g.ID), true
	case a != nil && g == nil:
		return MakeTarget(TargetAutoAttendant, a.ID), true
	}
	return "", false
}

// TargetNames lists what a number may ring besides a user, for a message:
// "huntgroup:sales (Sales), autoattendant:main (Main menu)"; "none".
func (s *State) TargetNames() string {
	var out []string
	for _, id := range sortedIDs(s.Hunts) {
		out = append(out, named("huntgroup:"+id, s.Hunts[id].Name, id))
	}
	for _, id := range sortedIDs(s.AAs) {
		out = append(out, named("autoattendant:"+id, s.AAs[id].Name, id))
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, ", ")
}

func sortedIDs[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func named(ref, name, id string) string {
	if name != "" && name != id {
		return ref + " (" + name + ")"
	}
	return ref
}

// Keys names the objects a roster touches, so a store can find those that
// belong to another company.
type Keys struct {
	Users   []UserID
	Emails  []string
	Numbers []E164
	MACs    []MAC
}
