package pbx

import (
	"sort"
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
	ids := make([]string, 0, len(s.Hunts))
	for id := range s.Hunts {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return "none"
	}
	sort.Strings(ids)
	for i, id := range ids {
		if n := s.Hunts[id].Name; n != "" && n != id {
			ids[i] = id + " (" + n + ")"
		}
	}
	return strings.Join(ids, ", ")
}

// Keys names the objects a roster touches, so a store can find those that
// belong to another company.
type Keys struct {
	Users   []UserID
	Emails  []string
	Numbers []E164
	MACs    []MAC
}
