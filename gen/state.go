package gen

import (
	"github.com/pbxsync/pbxsync/pbx"
)

// Routing values of the generated state.
const (
	routingMain  = pbx.Routing("aa:main")
	routingSales = pbx.Routing("hg:sales")
)

// UserRecord is one generated user with their number, desk phone and line.
type UserRecord struct {
	User   pbx.User
	Number pbx.Number
	Device pbx.Device
	Line   pbx.DeviceLine
}

// CompanySeed is the small part of a company's state, written through the
// stores' own Seed: the company, its two sites, their E911 locations, a hunt
// group and an auto attendant with a number each; with models, the device
// catalogue too (it is shared by every company, so one seed carries it).
func (s Spec) CompanySeed(c CompanyLayout, models bool) (*pbx.Seed, error) {
	nb := numberingFor(s.Seed)
	sd := &pbx.Seed{Company: pbx.Company{ID: c.ID, Name: "Company " + c.ID[1:], Plan: "C2", SMS: true}}
	for _, si := range sites {
		sd.Sites = append(sd.Sites, pbx.Site{Company: c.ID, Code: si.code, Name: si.name, Region: "US", ExtLen: 7,
			Reserved: []pbx.ExtRange{{From: "911", To: "911"}, {From: "9000000", To: "9999999"}}})
		sd.Locations = append(sd.Locations, pbx.Location{ID: pbx.LocationID(si.addr), Company: c.ID, Address: si.addr})
	}
	if models {
		sd.Models = Models()
	}
	sd.Hunts = []pbx.HuntGroup{{ID: "sales", Company: c.ID, Name: "Sales", Extension: "6000000"}}
	sd.AAs = []pbx.AutoAttendant{{ID: "main", Company: c.ID, Name: "Main menu", Extension: "6100000"}}
	main, err := nb.at(c.FirstNumber)
	if err != nil {
		return nil, err
	}
	sales, err := nb.at(c.FirstNumber + 1)
	if err != nil {
		return nil, err
	}
	hq := pbx.LocationID(sites[0].addr)
	sd.Numbers = []pbx.Number{
		{E164: main, Company: c.ID, Site: "hq", Label: "Main line", Target: pbx.MakeTarget(pbx.TargetAutoAttendant, "main"),
			Routing: routingMain, HolidayRouting: "vm:6100000", Location: hq},
		{E164: sales, Company: c.ID, Site: "hq", Label: "Sales", Target: pbx.MakeTarget(pbx.TargetHuntGroup, "sales"),
			Routing: routingSales, Location: hq},
	}
	return sd, nil
}

// User returns the k-th user (from 0) of company c, with the number, desk
// phone and line that go with them.
func (s Spec) User(c CompanyLayout, k int) (UserRecord, error) {
	g := c.FirstUser + k
	h := hash2(s.Seed, streamUser, g)
	first, last, id, email := userName(h, k, c.Domain)
	site := siteOf(h >> 32)
	ext := extensionOf(k)
	e, err := numberingFor(s.Seed).at(c.FirstNumber + specialNumbers + k)
	if err != nil {
		return UserRecord{}, err
	}
	model := modelOf(h >> 48)
	mac := macOf(model.OUIs[0], g)
	r := UserRecord{
		User: pbx.User{ID: id, Company: c.ID, Site: site.code, FirstName: first, LastName: last, Email: email,
			Extension: ext, StationType: stationOf(h >> 40), VoiceEnabled: true, Status: pbx.StatusActive,
			ExternalID: externalIDOf(k), Version: 1},
		Number: pbx.Number{E164: e, Company: c.ID, Site: site.code, Target: pbx.UserTarget(id), Routing: pbx.ExtRouting(ext),
			SavedRouting: routingMain, Location: pbx.LocationID(site.addr), Version: 1},
		Device: pbx.Device{MAC: mac, Company: c.ID, Model: model.Name, Version: 1},
		Line:   pbx.DeviceLine{MAC: mac, Port: 1, User: id, Number: e, Lines: 1, Version: 1},
	}
	return r, nil
}

// PoolNumber returns the j-th free number (from 0) of company c's pool.
func (s Spec) PoolNumber(c CompanyLayout, j int) (pbx.Number, error) {
	e, err := numberingFor(s.Seed).at(c.FirstNumber + specialNumbers + c.Users + j)
	if err != nil {
		return pbx.Number{}, err
	}
	return pbx.Number{E164: e, Company: c.ID, Site: "hq", Routing: routingMain, Version: 1}, nil
}

// Pool is the size of company c's pool of free numbers.
func (c CompanyLayout) Pool() int { return c.Numbers - specialNumbers - c.Users }

// userCursor walks the users of every company in order.
type userCursor struct {
	s    Spec
	ci   int
	k    int
	c    CompanyLayout
	rec  UserRecord
	err  error
	init bool
}

func (u *userCursor) Next() bool {
	if u.err != nil {
		return false
	}
	if !u.init {
		u.init, u.c = true, u.s.Company(0)
	}
	for u.k >= u.c.Users {
		u.ci++
		if u.ci >= u.s.Companies {
			return false
		}
		u.c, u.k = u.s.Company(u.ci), 0
	}
	u.rec, u.err = u.s.User(u.c, u.k)
	u.k++
	return u.err == nil
}

// poolCursor walks the pool numbers of every company in order.
type poolCursor struct {
	s    Spec
	ci   int
	j    int
	c    CompanyLayout
	num  pbx.Number
	err  error
	init bool
}

func (p *poolCursor) Next() bool {
	if p.err != nil {
		return false
	}
	if !p.init {
		p.init, p.c = true, p.s.Company(0)
	}
	for p.j >= p.c.Pool() {
		p.ci++
		if p.ci >= p.s.Companies {
			return false
		}
		p.c, p.j = p.s.Company(p.ci), 0
	}
	p.num, p.err = p.s.PoolNumber(p.c, p.j)
	p.j++
	return p.err == nil
}
