package storetest

import (
	"slices"

	"github.com/pbxsync/pbxsync/pbx"
)

// Fixture keys, for tests that build plans against AcmeSeed and GlobexSeed.
const (
	Acme   = "acme"
	Globex = "globex"

	JDoe    pbx.UserID = "jdoe@acme.example"      // hq, extension 4021, holds +14155550100 and a desk phone
	ASmith  pbx.UserID = "asmith@acme.example"    // hq, extension 4022, outbound-only on +14155550100
	BGone   pbx.UserID = "bgone@acme.example"     // hq, extension 4030, holds +14155550104 on port 1 of the ATA
	LabAda  pbx.UserID = "ada@acme.example"       // site lab (own dial plan), extension 4021
	WCoyote pbx.UserID = "wcoyote@globex.example" // globex, extension 4021

	DeskPhone pbx.MAC = "805ec0aabb01" // acme's yealink-t42g, port 1 jdoe
	ATA       pbx.MAC = "000b82aabb02" // acme's grandstream-ht802, port 1 bgone
	GlobexMAC pbx.MAC = "805ec0ffee01" // globex's yealink-t42g

	GlobexNumber pbx.E164 = "+14155550199"
)

// Pool returns acme's number +1415555010d (d = 0..5).
func Pool(d int) pbx.E164 { return pbx.E164("+1415555010" + string(rune('0'+d))) }

// HQ is the E911 address of acme's site hq.
var HQ = pbx.Address{Street: "1 Market St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}

// Models is the device catalogue of the fixtures.
func Models() []pbx.DeviceModel {
	return []pbx.DeviceModel{
		{Name: "yealink-t42g", Vendor: "Yealink", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 3, OUIs: []string{"805ec0", "001565"}},
		{Name: "grandstream-ht802", Vendor: "Grandstream", Kind: pbx.KindATA, Ports: 2, MaxLines: 1, OUIs: []string{"000b82"}},
	}
}

// AcmeSeed is the fixture company "acme": site hq (region US, 4-digit
// extensions, 9000-9999 and 911 reserved) and site lab with its own dial
// plan; pool numbers +14155550100..105, of which 100 rings jdoe, 101 the hunt
// group sales (which rings jdoe, then asmith: positions 1 and 3), 102 the
// auto attendant main and 104 bgone; the two fixture
// device models, a desk phone for jdoe and an ATA whose port 1 is bgone's.
// Every field of every object is set, so a round trip shows any field lost.
func AcmeSeed() *pbx.Seed {
	loc := pbx.Location{ID: pbx.LocationID(HQ), Company: Acme, Address: HQ}
	return &pbx.Seed{
		Company: pbx.Company{ID: Acme, Name: "Acme Corp", Plan: "C2", SMS: true},
		Sites: []pbx.Site{
			{Company: Acme, Code: "hq", Name: "Headquarters", Region: "US", ExtLen: 4,
				Reserved: []pbx.ExtRange{{From: "9000", To: "9999"}, {From: "911", To: "911"}}},
			{Company: Acme, Code: "lab", Name: "Lab", Region: "GB", ExtLen: 4, OwnDialPlan: true},
		},
		Models:    Models(),
		Locations: []pbx.Location{loc},
		Hunts: []pbx.HuntGroup{{ID: "sales", Company: Acme, Name: "Sales", Extension: "6000",
			Members: []pbx.HuntMember{{User: JDoe, Position: 1}, {User: ASmith, Position: 3}}}},
		AAs: []pbx.AutoAttendant{{ID: "main", Company: Acme, Name: "Main menu", Extension: "6001"}},
		Users: []pbx.User{
			{ID: JDoe, Company: Acme, Site: "hq", FirstName: "John", LastName: "Doe", Email: "john.doe@acme.example",
				Extension: "4021", StationType: "premium", VoiceEnabled: true, CallerID: "+14155550101",
				Status: pbx.StatusActive, ExternalID: "E1001"},
			{ID: ASmith, Company: Acme, Site: "hq", FirstName: "Ann", LastName: "Smith", Email: "ann.smith@acme.example",
				Extension: "4022", StationType: "standard", VoiceEnabled: true, CallerID: "anonymous",
				Status: pbx.StatusActive, ExternalID: "E1002"},
			{ID: BGone, Company: Acme, Site: "hq", FirstName: "Bo", LastName: "Gone", Email: "bo.gone@acme.example",
				Extension: "4030", StationType: "standard", VoiceEnabled: true, Status: pbx.StatusActive, ExternalID: "E1003"},
			{ID: LabAda, Company: Acme, Site: "lab", FirstName: "Ada", LastName: "Lab", Email: "ada@acme.example",
				Extension: "4021", StationType: "standard", Status: pbx.StatusActive, ExternalID: "E1004"},
		},
		Numbers: []pbx.Number{
			{E164: Pool(0), Company: Acme, Site: "hq", Label: "John's line", Target: pbx.UserTarget(JDoe),
				Routing: "ext:4021", SavedRouting: "aa:main", HolidayRouting: "vm:4021", SMS: true, Location: loc.ID},
			{E164: Pool(1), Company: Acme, Site: "hq", Label: "Sales", Target: pbx.MakeTarget(pbx.TargetHuntGroup, "sales"),
				Routing: "hg:sales", HolidayRouting: "aa:main", Location: loc.ID},
			{E164: Pool(2), Company: Acme, Site: "hq", Label: "Main", Target: pbx.MakeTarget(pbx.TargetAutoAttendant, "main"),
				Routing: "aa:main"},
			{E164: Pool(3), Company: Acme, Site: "hq", Routing: "aa:main", HolidayRouting: "vm:6001"},
			{E164: Pool(4), Company: Acme, Site: "hq", Target: pbx.UserTarget(BGone), Routing: "ext:4030", SavedRouting: "aa:main"},
			{E164: Pool(5), Company: Acme, Site: "lab", Routing: "aa:main"},
		},
		Members: []pbx.Member{
			{Number: Pool(0), User: JDoe, Role: pbx.RoleAssigned},
			{Number: Pool(0), User: ASmith, Role: pbx.RoleOutboundOnly},
		},
		Devices: []pbx.Device{
			{MAC: DeskPhone, Company: Acme, Model: "yealink-t42g"},
			{MAC: ATA, Company: Acme, Model: "grandstream-ht802"},
		},
		Lines: []pbx.DeviceLine{
			{MAC: DeskPhone, Port: 1, User: JDoe, Number: Pool(0), Lines: 3},
			{MAC: ATA, Port: 1, User: BGone, Number: Pool(4), Lines: 1},
		},
	}
}

// GlobexSeed is a second company, "globex", whose user wcoyote has the same
// extension as acme's jdoe, with one number and one desk phone. Its objects
// leave Company empty: Seed fills in the seed's company.
func GlobexSeed() *pbx.Seed {
	return &pbx.Seed{
		Company: pbx.Company{ID: Globex, Name: "Globex", Plan: "C1"},
		Sites:   []pbx.Site{{Code: "", Name: "Default", Region: "US", ExtLen: 4}},
		Models:  Models(),
		Users: []pbx.User{{ID: WCoyote, FirstName: "Wile", LastName: "Coyote", Email: "wile@globex.example",
			Extension: "4021", VoiceEnabled: true, Status: pbx.StatusActive}},
		Numbers: []pbx.Number{{E164: GlobexNumber, Target: pbx.UserTarget(WCoyote), Routing: "ext:4021"}},
		Devices: []pbx.Device{{MAC: GlobexMAC, Model: "yealink-t42g"}},
		Lines:   []pbx.DeviceLine{{MAC: GlobexMAC, Port: 1, User: WCoyote, Number: GlobexNumber, Lines: 1}},
	}
}

// StateOf is the state Load returns right after sd was seeded into an empty
// store: every object of the seed with its company filled in and version 1,
// plus the catalogue.
func StateOf(sd *pbx.Seed) *pbx.State {
	co := sd.Company.ID
	fill := func(c string) string {
		if c == "" {
			return co
		}
		return c
	}
	st := pbx.NewState(sd.Company)
	for _, x := range sd.Sites {
		x.Company = fill(x.Company)
		st.Sites[x.Code] = &x
	}
	for _, x := range sd.Models {
		st.Models[x.Name] = &x
	}
	for _, x := range sd.Locations {
		x.Company, x.Version = fill(x.Company), 1
		st.Locations[x.ID] = &x
	}
	for _, x := range sd.Hunts {
		x.Company = fill(x.Company)
		x.Members = slices.Clone(x.Members)
		st.Hunts[x.ID] = &x
	}
	for _, x := range sd.AAs {
		x.Company = fill(x.Company)
		st.AAs[x.ID] = &x
	}
	for _, x := range sd.Users {
		x.Company, x.Version = fill(x.Company), 1
		if x.Status == "" {
			x.Status = pbx.StatusActive
		}
		st.Users[x.ID] = &x
	}
	for _, x := range sd.Numbers {
		x.Company, x.Version = fill(x.Company), 1
		st.Numbers[x.E164] = &x
	}
	st.Members = append(st.Members, sd.Members...)
	for _, x := range sd.Devices {
		x.Company, x.Version = fill(x.Company), 1
		st.Devices[x.MAC] = &x
	}
	for _, x := range sd.Lines {
		x.Version = 1
		st.Lines[pbx.LineKey(x.MAC, x.Port)] = &x
	}
	return st
}
