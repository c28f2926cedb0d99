package storetest

import (
	"fmt"
	"slices"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Rows and seeds for tests that plan with plan.Make against a store, as
// importer.Plan would after reading and validating a roster.

// RosterRow returns a roster row of user id that carries the given fields
// (and the user ID): the fields it does not carry are left alone by a plan.
func RosterRow(line int, id pbx.UserID, fields ...pbx.Field) *pbx.Row {
	r := &pbx.Row{Line: line}
	r.User.ID = id
	for i, f := range append([]pbx.Field{pbx.FUserID}, fields...) {
		r.SetCell(f, pbx.Cell{File: "roster.csv", Row: line, Col: i, Header: string(f)})
	}
	return r
}

// SameRow is the roster row that describes a live user of st as it is: its
// names, e-mail, extension, numbers and first device port.
func SameRow(st *pbx.State, line int, id pbx.UserID) *pbx.Row {
	u := st.Users[id]
	r := RosterRow(line, id, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FExtension, pbx.FNumber, pbx.FMAC, pbx.FModel, pbx.FPort)
	r.User = *u
	r.User.Version = 0
	for _, e := range sortedKeys(st.Numbers) {
		if st.Numbers[e].Target.User() == id {
			r.Numbers = append(r.Numbers, e)
		}
	}
	for _, k := range sortedKeys(st.Lines) {
		if l := st.Lines[k]; l.User == id && r.Device == nil {
			r.Device = &pbx.RowDevice{MAC: l.MAC, Model: st.Devices[l.MAC].Model, Port: l.Port, Lines: l.Lines}
		}
	}
	return r
}

// Joiner is a roster row for a new user: names, e-mail, extension, one
// number, a phone (port of a device of model) and the E911 address of the
// number.
func Joiner(line int, id pbx.UserID, ext pbx.Extension, number pbx.E164, mac pbx.MAC, model string, port int, addr pbx.Address) *pbx.Row {
	r := RosterRow(line, id, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FExtension, pbx.FNumber, pbx.FMAC, pbx.FModel,
		pbx.FPort, pbx.FLines, pbx.FSite, pbx.FStreet, pbx.FCity, pbx.FRegion, pbx.FPostal, pbx.FCountry)
	r.User = pbx.User{ID: id, Site: "hq", FirstName: "New", LastName: fmt.Sprintf("Joiner %d", line), Email: string(id), Extension: ext}
	r.Numbers = []pbx.E164{number}
	r.Device = &pbx.RowDevice{MAC: mac, Model: model, Port: port, Lines: 1}
	r.Location = &addr
	return r
}

// Lab is an E911 address that no seed holds: the first row placed there
// creates it.
var Lab = pbx.Address{Street: "2 Lab Rd", City: "Cambridge", Region: "MA", Postal: "02139", Country: "US"}

// ScenarioPool returns acme's extra pool number i of the scenarios.
func ScenarioPool(i int) pbx.E164 { return pbx.E164(fmt.Sprintf("+1415555%04d", 2000+i)) }

// Mixed is a sync of acme (AcmeSeed plus n pool numbers) by a roster of n
// joiners and the users it keeps: joiners at hq's address and at a new one
// (Lab), pairs of joiners sharing a two-port ATA, jdoe and asmith swapping
// extensions, jdoe renamed, asmith taking jdoe's number (and so losing her
// outbound-only access to it); bgone and ada are leavers (deprovisioned,
// bgone's number back to the pool, port freed, their memberships of numbers
// ended). The roster has an outbound-only column: jdoe's trades his
// outbound-only +14155550102 for the sales line +14155550101, every fourth
// joiner gets those two, the others none.
func Mixed(n int) Scenario {
	sd := AcmeSeed()
	for i := 0; i < n; i++ {
		sd.Numbers = append(sd.Numbers, pbx.Number{E164: ScenarioPool(i), Company: Acme, Site: "hq", Routing: "aa:main"})
	}
	sd.Members = append(sd.Members,
		pbx.Member{Number: Pool(2), User: JDoe, Role: pbx.RoleOutboundOnly},
		pbx.Member{Number: Pool(3), User: BGone, Role: pbx.RoleOutboundOnly},
		pbx.Member{Number: Pool(5), User: LabAda, Role: pbx.RoleAssigned},
	)
	rows := func(st *pbx.State) []*pbx.Row {
		j := SameRow(st, 2, JDoe)
		a := SameRow(st, 3, ASmith)
		j.User.FirstName = "Jonathan"
		j.User.Extension, a.User.Extension = a.User.Extension, j.User.Extension
		a.Numbers, j.Numbers = j.Numbers, nil
		j.Device = nil
		j.DropCell(pbx.FMAC)
		Outbound(j, Pool(1))
		rows := []*pbx.Row{j, a}
		for i := 0; i < n; i++ {
			line := i + 4
			id := pbx.UserID(fmt.Sprintf("joiner%04d@acme.example", i))
			mac, model, port := pbx.MAC(fmt.Sprintf("805ec0dd%04x", i)), "yealink-t42g", 1
			if i%5 == 3 || i%5 == 4 { // two joiners on the two ports of one ATA
				mac, model, port = pbx.MAC(fmt.Sprintf("000b82dd%04x", i-i%5)), "grandstream-ht802", i%5-2
			}
			addr := HQ
			if i%3 == 1 {
				addr = Lab
			}
			r := Joiner(line, id, pbx.Extension(fmt.Sprint(5000+i)), ScenarioPool(i), mac, model, port, addr)
			if i%4 == 2 {
				Outbound(r, Pool(1), Pool(3))
			} else {
				Outbound(r)
			}
			rows = append(rows, r)
		}
		return rows
	}
	return Scenario{Seed: sd, Rows: rows, Opts: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}}
}

// Outbound gives a roster row an outbound-only column with the numbers
// (none: an empty cell) and returns it.
func Outbound(r *pbx.Row, nums ...pbx.E164) *pbx.Row {
	r.SetCell(pbx.FOutboundOnly, pbx.Cell{File: "roster.csv", Row: r.Line, Col: r.Layout.Len(), Header: string(pbx.FOutboundOnly)})
	r.OutboundOnly = append(r.OutboundOnly, nums...)
	return r
}

// Onboarding is acme (AcmeSeed plus n pool numbers) and a roster of n
// joiners, each with a pool number and a desk phone at hq's address: the
// bulk of a site's first import.
func Onboarding(n int) Scenario {
	sd := AcmeSeed()
	for i := 0; i < n; i++ {
		sd.Numbers = append(sd.Numbers, pbx.Number{E164: ScenarioPool(i), Company: Acme, Site: "hq", Routing: "aa:main"})
	}
	rows := func(st *pbx.State) []*pbx.Row {
		rows := make([]*pbx.Row, n)
		for i := range rows {
			id := pbx.UserID(fmt.Sprintf("joiner%06d@acme.example", i))
			rows[i] = Joiner(i+2, id, pbx.Extension(fmt.Sprint(100000+i)), ScenarioPool(i), pbx.MAC(fmt.Sprintf("805ec0%06x", i)), "yealink-t42g", 1, HQ)
		}
		return rows
	}
	return Scenario{Seed: sd, Rows: rows, Opts: plan.Options{Mode: plan.Onboard}}
}

// Scenario is a live state and a roster to plan against it: Rows builds the
// roster once, from the state as seeded; planning the same rows again later
// is a re-run of the same roster.
type Scenario struct {
	Seed *pbx.Seed
	Rows func(st *pbx.State) []*pbx.Row
	Opts plan.Options
}

// Plan plans the roster rows against st, as from the file roster.csv.
func (sc Scenario) Plan(st *pbx.State, rows []*pbx.Row) (*plan.Plan, error) {
	p, err := plan.Make(st, rows, sc.Opts)
	if err != nil {
		return nil, err
	}
	p.Roster, p.RosterHash = "roster.csv", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	return p, nil
}

func sortedKeys[K ~string, V any](m map[K]V) []K {
	ks := make([]K, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
