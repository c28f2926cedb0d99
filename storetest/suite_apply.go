package storetest

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// applyCase is a plan that must be written exactly: changes builds it from
// the loaded state, want turns the seeded state into the expected one.
type applyCase struct {
	name    string
	changes func(st *pbx.State) []plan.Change
	want    func(st *pbx.State)
}

func ver(st *pbx.State, u pbx.UserID) int64      { return st.Users[u].Version }
func nver(st *pbx.State, n pbx.E164) int64       { return st.Numbers[n].Version }
func lver(st *pbx.State, m pbx.MAC, p int) int64 { return st.Lines[pbx.LineKey(m, p)].Version }

var applyCases = []applyCase{
	{
		name: "user create",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Create, "kim@acme.example", 0,
				plan.AttrCompany, Acme, plan.AttrSite, "hq", plan.AttrFirstName, "Kim", plan.AttrLastName, "Lee",
				plan.AttrEmail, "kim.lee@acme.example", plan.AttrExtension, "4040", plan.AttrStationType, "premium",
				plan.AttrVoiceEnabled, "true", plan.AttrCallerID, "+14155550101", plan.AttrStatus, "active",
				plan.AttrExternalID, "E2001")}
		},
		want: func(st *pbx.State) {
			st.Users["kim@acme.example"] = &pbx.User{ID: "kim@acme.example", Company: Acme, Site: "hq", FirstName: "Kim",
				LastName: "Lee", Email: "kim.lee@acme.example", Extension: "4040", StationType: "premium", VoiceEnabled: true,
				CallerID: "+14155550101", Status: pbx.StatusActive, ExternalID: "E2001", Version: 1}
		},
	},
	{
		name: "user create with no extension nor e-mail",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				Change(plan.KindUser, plan.Create, "a@acme.example", 0, plan.AttrSite, "hq", plan.AttrExtension, "", plan.AttrEmail, ""),
				Change(plan.KindUser, plan.Create, "b@acme.example", 0, plan.AttrSite, "hq", plan.AttrStatus, "active"),
			}
		},
		want: func(st *pbx.State) {
			for _, id := range []pbx.UserID{"a@acme.example", "b@acme.example"} {
				st.Users[id] = &pbx.User{ID: id, Company: Acme, Site: "hq", Status: pbx.StatusActive, Version: 1}
			}
		},
	},
	{
		name: "user update",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe),
				plan.AttrFirstName, "Johnny", plan.AttrExtension, "4099", plan.AttrVoiceEnabled, "false",
				plan.AttrEmail, "johnny@acme.example")}
		},
		want: func(st *pbx.State) {
			u := st.Users[JDoe]
			u.FirstName, u.Extension, u.VoiceEnabled, u.Email, u.Version = "Johnny", "4099", false, "johnny@acme.example", 2
		},
	},
	{
		name: "user moves to the lab site, where extension 4022 is free",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(ASmith), ver(st, ASmith), plan.AttrSite, "lab")}
		},
		want: func(st *pbx.State) { st.Users[ASmith].Site, st.Users[ASmith].Version = "lab", 2 },
	},
	{
		name: "extensions swapped within one plan through a free one",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe), plan.AttrExtension, "4050"),
				Change(plan.KindUser, plan.Update, string(ASmith), ver(st, ASmith), plan.AttrExtension, "4021"),
				Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe)+1, plan.AttrExtension, "4022"),
			}
		},
		want: func(st *pbx.State) {
			st.Users[JDoe].Extension, st.Users[JDoe].Version = "4022", 3
			st.Users[ASmith].Extension, st.Users[ASmith].Version = "4021", 2
		},
	},
	{
		name: "number assign",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Assign, string(Pool(3)), nver(st, Pool(3)),
				plan.AttrTarget, string(pbx.UserTarget(ASmith)), plan.AttrRouting, "ext:4022", plan.AttrSavedRouting, "aa:main",
				plan.AttrLabel, "Ann", plan.AttrSMS, "true", plan.AttrLocation, pbx.LocationID(HQ))}
		},
		want: func(st *pbx.State) {
			n := st.Numbers[Pool(3)]
			n.Target, n.Routing, n.SavedRouting, n.Label, n.SMS, n.Location, n.Version =
				pbx.UserTarget(ASmith), "ext:4022", "aa:main", "Ann", true, pbx.LocationID(HQ), 2
		},
	},
	{
		name: "number assign to a hunt group and an auto attendant",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				Change(plan.KindNumber, plan.Assign, string(Pool(3)), nver(st, Pool(3)),
					plan.AttrTarget, "huntgroup:sales", plan.AttrRouting, "hg:sales"),
				Change(plan.KindNumber, plan.Assign, string(Pool(5)), nver(st, Pool(5)),
					plan.AttrTarget, "autoattendant:main"),
			}
		},
		want: func(st *pbx.State) {
			st.Numbers[Pool(3)].Target, st.Numbers[Pool(3)].Routing, st.Numbers[Pool(3)].Version = "huntgroup:sales", "hg:sales", 2
			st.Numbers[Pool(5)].Target, st.Numbers[Pool(5)].Version = "autoattendant:main", 2
		},
	},
	{
		name: "number unassign restores the routing and keeps holiday routing",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Unassign, string(Pool(0)), nver(st, Pool(0)),
				plan.AttrTarget, "", plan.AttrRouting, "aa:main", plan.AttrSavedRouting, "", plan.AttrLocation, "")}
		},
		want: func(st *pbx.State) {
			n := st.Numbers[Pool(0)]
			n.Target, n.Routing, n.SavedRouting, n.Location, n.Version = "", "aa:main", "", "", 2
		},
	},
	{
		name: "number move",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Move, string(Pool(0)), nver(st, Pool(0)),
				plan.AttrTarget, string(pbx.UserTarget(ASmith)), plan.AttrRouting, "ext:4022")}
		},
		want: func(st *pbx.State) {
			n := st.Numbers[Pool(0)]
			n.Target, n.Routing, n.Version = pbx.UserTarget(ASmith), "ext:4022", 2
		},
	},
	{
		name: "deprovision: user disabled, number back to the pool, line freed",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				// As the planner writes a delete: every field cleared.
				Change(plan.KindLine, plan.Delete, lineKey(ATA, 1), lver(st, ATA, 1),
					plan.AttrUser, "", plan.AttrNumber, "", plan.AttrLines, ""),
				Change(plan.KindNumber, plan.Unassign, string(Pool(4)), nver(st, Pool(4)),
					plan.AttrTarget, "", plan.AttrRouting, "aa:main", plan.AttrSavedRouting, ""),
				Change(plan.KindUser, plan.Deprovision, string(BGone), ver(st, BGone),
					plan.AttrStatus, "deprovisioned", plan.AttrExtension, "", plan.AttrVoiceEnabled, "false"),
			}
		},
		want: func(st *pbx.State) {
			delete(st.Lines, pbx.LineKey(ATA, 1))
			n := st.Numbers[Pool(4)]
			n.Target, n.Routing, n.SavedRouting, n.Version = "", "aa:main", "", 2
			u := st.Users[BGone]
			u.Status, u.Extension, u.VoiceEnabled, u.Version = pbx.StatusDeprovisioned, "", false, 2
		},
	},
	{
		name: "line create on the ATA's second port",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindLine, plan.Create, lineKey(ATA, 2), 0,
				plan.AttrUser, string(ASmith), plan.AttrNumber, string(Pool(3)), plan.AttrLines, "1")}
		},
		want: func(st *pbx.State) {
			st.Lines[pbx.LineKey(ATA, 2)] = &pbx.DeviceLine{MAC: ATA, Port: 2, User: ASmith, Number: Pool(3), Lines: 1, Version: 1}
		},
	},
	{
		name: "line update",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindLine, plan.Update, lineKey(DeskPhone, 1), lver(st, DeskPhone, 1),
				plan.AttrLines, "2", plan.AttrNumber, "")}
		},
		want: func(st *pbx.State) {
			l := st.Lines[pbx.LineKey(DeskPhone, 1)]
			l.Lines, l.Number, l.Version = 2, "", 2
		},
	},
	{
		name: "device create, then its line",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				Change(plan.KindDevice, plan.Create, "805ec0aabb09", 0, plan.AttrCompany, Acme, plan.AttrModel, "yealink-t42g"),
				Change(plan.KindLine, plan.Create, lineKey("805ec0aabb09", 1), 0,
					plan.AttrUser, string(ASmith), plan.AttrNumber, string(Pool(3)), plan.AttrLines, "3"),
			}
		},
		want: func(st *pbx.State) {
			st.Devices["805ec0aabb09"] = &pbx.Device{MAC: "805ec0aabb09", Company: Acme, Model: "yealink-t42g", Version: 1}
			st.Lines[pbx.LineKey("805ec0aabb09", 1)] = &pbx.DeviceLine{MAC: "805ec0aabb09", Port: 1, User: ASmith, Number: Pool(3), Lines: 3, Version: 1}
		},
	},
	{
		name: "device update",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindDevice, plan.Update, string(ATA), st.Devices[ATA].Version, plan.AttrModel, "yealink-t42g")}
		},
		want: func(st *pbx.State) { st.Devices[ATA].Model, st.Devices[ATA].Version = "yealink-t42g", 2 },
	},
	{
		name: "location create, then a number placed there",
		changes: func(st *pbx.State) []plan.Change {
			a := pbx.Address{Street: "2 Lab Rd", City: "Cambridge", Region: "CB", Postal: "CB1 1AA", Country: "GB"}
			return []plan.Change{
				Change(plan.KindLocation, plan.Create, pbx.LocationID(a), 0, plan.AttrCompany, Acme,
					plan.AttrStreet, a.Street, plan.AttrCity, a.City, plan.AttrRegion, a.Region,
					plan.AttrPostal, a.Postal, plan.AttrCountry, a.Country),
				Change(plan.KindNumber, plan.Update, string(Pool(5)), nver(st, Pool(5)), plan.AttrLocation, pbx.LocationID(a)),
			}
		},
		want: func(st *pbx.State) {
			a := pbx.Address{Street: "2 Lab Rd", City: "Cambridge", Region: "CB", Postal: "CB1 1AA", Country: "GB"}
			st.Locations[pbx.LocationID(a)] = &pbx.Location{ID: pbx.LocationID(a), Company: Acme, Address: a, Version: 1}
			st.Numbers[Pool(5)].Location, st.Numbers[Pool(5)].Version = pbx.LocationID(a), 2
		},
	},
	{
		name: "member create and delete",
		changes: func(st *pbx.State) []plan.Change {
			del := Change(plan.KindMember, plan.Delete, plan.MemberKey(Pool(0), ASmith), 0, plan.AttrRole, "")
			del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = string(pbx.RoleOutboundOnly) })
			return []plan.Change{
				del,
				Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(1), ASmith), 0, plan.AttrRole, string(pbx.RoleOutboundOnly)),
				Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(0), BGone), 0, plan.AttrRole, string(pbx.RoleAssigned)),
			}
		},
		want: func(st *pbx.State) {
			st.Members = []pbx.Member{
				{Number: Pool(0), User: JDoe, Role: pbx.RoleAssigned},
				{Number: Pool(1), User: ASmith, Role: pbx.RoleOutboundOnly},
				{Number: Pool(0), User: BGone, Role: pbx.RoleAssigned},
			}
		},
	},
	{
		name: "member of a user created in the same plan",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				create("kim@acme.example", "4040"),
				Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(3), "kim@acme.example"), 0, plan.AttrRole, string(pbx.RoleOutboundOnly)),
			}
		},
		want: func(st *pbx.State) {
			st.Users["kim@acme.example"] = &pbx.User{ID: "kim@acme.example", Company: Acme, Site: "hq", FirstName: "New",
				Email: "kim@acme.example", Extension: "4040", Status: pbx.StatusActive, Version: 1}
			st.Members = append(st.Members, pbx.Member{Number: Pool(3), User: "kim@acme.example", Role: pbx.RoleOutboundOnly})
		},
	},
	{
		name: "hunt group member create and delete",
		changes: func(st *pbx.State) []plan.Change {
			del := Change(plan.KindHuntMember, plan.Delete, plan.HuntMemberKey("sales", JDoe), 0, plan.AttrPosition, "")
			del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = "1" })
			return []plan.Change{
				del,
				Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", BGone), 0, plan.AttrPosition, "4"),
			}
		},
		want: func(st *pbx.State) {
			st.Hunts["sales"].Members = []pbx.HuntMember{{User: ASmith, Position: 3}, {User: BGone, Position: 4}}
		},
	},
	{
		name: "hunt group member of a user created in the same plan",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				create("kim@acme.example", "4040"),
				Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", "kim@acme.example"), 0, plan.AttrPosition, "2"),
			}
		},
		want: func(st *pbx.State) {
			st.Users["kim@acme.example"] = &pbx.User{ID: "kim@acme.example", Company: Acme, Site: "hq", FirstName: "New",
				Email: "kim@acme.example", Extension: "4040", Status: pbx.StatusActive, Version: 1}
			st.Hunts["sales"].Members = []pbx.HuntMember{{User: JDoe, Position: 1}, {User: "kim@acme.example", Position: 2}, {User: ASmith, Position: 3}}
		},
	},
	{
		name: "location update",
		changes: func(st *pbx.State) []plan.Change {
			id := pbx.LocationID(HQ)
			return []plan.Change{Change(plan.KindLocation, plan.Update, id, st.Locations[id].Version, plan.AttrCity, "SF", plan.AttrRegion, "California")}
		},
		want: func(st *pbx.State) {
			l := st.Locations[pbx.LocationID(HQ)]
			l.City, l.Region, l.Version = "SF", "California", 2
		},
	},
}

func runApplyCases(t *testing.T, h func(func(*testing.T, *harness)) func(*testing.T)) {
	for _, tc := range applyCases {
		t.Run(tc.name, h(func(t *testing.T, h *harness) {
			h.ready(AcmeSeed(), GlobexSeed())
			p := NewPlan(Acme, tc.changes(h.load(Acme))...)
			res := h.applyOK(p)
			want := StateOf(AcmeSeed())
			tc.want(want)
			checkState(t, h.load(Acme), want)
			checkState(t, h.load(Globex), globexState())
			h.checkRun(res.RunID, "applied", repeat("applied", len(p.Changes)))
		}))
	}
}

// globexState is globex as seeded next to acme (the catalogue is shared).
func globexState() *pbx.State { return StateOf(GlobexSeed()) }

// failureCase is a plan with a change that cannot be written. In atomic
// mode nothing is written; in batches, the change's group (the changes that
// go with it) is left out and the rest written.
type failureCase struct {
	name    string
	company string // default acme
	changes func(st *pbx.State) []plan.Change
	failed  int      // the change that fails
	group   []int    // the changes left out with it, besides itself
	is      []error  // the sentinels its error wraps
	reason  []string // words its reason must contain
}

// create is a valid user create in acme, to show that earlier changes of a
// rolled-back plan are not written.
func create(id string, ext string) plan.Change {
	return Change(plan.KindUser, plan.Create, id, 0, plan.AttrSite, "hq", plan.AttrFirstName, "New",
		plan.AttrEmail, id, plan.AttrExtension, ext, plan.AttrStatus, "active")
}

var failureCases = []failureCase{
	{
		name: "stale version rolls back the earlier changes",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				create("kim@acme.example", "4040"),
				Change(plan.KindNumber, plan.Assign, string(Pool(3)), nver(st, Pool(3)), plan.AttrTarget, "user:kim@acme.example"),
				Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe)+4, plan.AttrFirstName, "J"),
				create("lee@acme.example", "4041"),
			}
		},
		failed: 2, is: []error{pbx.ErrStale}, reason: []string{string(JDoe), "version"},
	},
	{
		name: "stale line delete",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindLine, plan.Delete, lineKey(ATA, 1), lver(st, ATA, 1)+1)}
		},
		is: []error{pbx.ErrStale},
	},
	{
		name: "update of a user that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, "ghost@acme.example", 3, plan.AttrFirstName, "G")}
		},
		is: []error{pbx.ErrStale, pbx.ErrNotFound}, reason: []string{"ghost@acme.example"},
	},
	{
		name: "numbers are never inserted: assign of a number not in the inventory",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Assign, "+14155550177", 1, plan.AttrTarget, string(pbx.UserTarget(JDoe)))}
		},
		is: []error{pbx.ErrNotFound}, reason: []string{"+14155550177", "inventory"},
	},
	{
		name: "numbers are never inserted: a number create",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Create, "+14155550177", 0, plan.AttrTarget, "")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"inventory"},
	},
	{
		name: "duplicate extension in the company names the holder",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{create("kim@acme.example", "4021")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"4021", string(JDoe)},
	},
	{
		name: "duplicate extension set by an update",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(ASmith), ver(st, ASmith), plan.AttrExtension, "4030")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"4030", string(BGone)},
	},
	{
		name: "a failing change takes the changes of its object with it",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				create("kim@acme.example", "4040"),
				Change(plan.KindNumber, plan.Assign, string(Pool(3)), nver(st, Pool(3)), plan.AttrTarget, "user:kim@acme.example"),
				create("lee@acme.example", "4041"),
				Change(plan.KindUser, plan.Update, "kim@acme.example", 1, plan.AttrCallerID, "yes", plan.AttrStatus, "gone"),
			}
		},
		failed: 3, group: []int{0, 1}, is: []error{pbx.ErrInvalid}, reason: []string{"kim@acme.example", "gone"},
	},
	{
		name: "an extension freed and taken goes with the change that frees it",
		changes: func(st *pbx.State) []plan.Change {
			clear := Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe)+7, plan.AttrExtension, "")
			clear.Fields = clear.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = "4021" })
			return []plan.Change{
				clear,
				create("kim@acme.example", "4021"),
				create("lee@acme.example", "4041"),
			}
		},
		group: []int{1}, is: []error{pbx.ErrStale}, reason: []string{string(JDoe)},
	},
	{
		name: "duplicate extension within the plan names the earlier user",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{create("kim@acme.example", "4040"), create("lee@acme.example", "4040")}
		},
		failed: 1, is: []error{pbx.ErrConflict}, reason: []string{"4040", "kim@acme.example"},
	},
	{
		name: "duplicate extension in a site with its own dial plan",
		changes: func(st *pbx.State) []plan.Change {
			c := create("kim@acme.example", "4021")
			c.Fields = c.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].After = "lab" })
			return []plan.Change{c}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"4021", string(LabAda)},
	},
	{
		name: "moving to a site with its own dial plan where the extension is taken",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe), plan.AttrSite, "lab")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"4021", string(LabAda)},
	},
	{
		name: "duplicate e-mail",
		changes: func(st *pbx.State) []plan.Change {
			c := create("kim@acme.example", "4040")
			c.Fields = c.Fields.Edit(func(fcs []plan.FieldChange) { fcs[2].After = "John.Doe@acme.example" })
			return []plan.Change{c}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"John.Doe@acme.example", "already used"},
	},
	{
		name: "user ID taken by another company",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{create(string(WCoyote), "4040")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{Globex},
	},
	{
		name: "update of another company's user",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(WCoyote), 1, plan.AttrFirstName, "W")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{Globex},
	},
	{
		name: "assign to a user that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Assign, string(Pool(3)), nver(st, Pool(3)), plan.AttrTarget, "user:ghost@acme.example")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"ghost@acme.example"},
	},
	{
		name: "assign to a hunt group of another company",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Assign, string(Pool(3)), nver(st, Pool(3)), plan.AttrTarget, "huntgroup:support")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"hunt group support"},
	},
	{
		name: "device of a model not in the catalogue",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindDevice, plan.Create, "805ec0aabb09", 0, plan.AttrModel, "polycom-vvx")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"polycom-vvx"},
	},
	{
		name: "device already registered to another company",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindDevice, plan.Create, string(GlobexMAC), 0, plan.AttrModel, "yealink-t42g")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{Globex},
	},
	{
		name: "line on a device that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindLine, plan.Create, lineKey("805ec0aabb09", 1), 0, plan.AttrUser, string(ASmith), plan.AttrLines, "1")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"80:5e:c0:aa:bb:09"},
	},
	{
		name: "line on a port that has one",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindLine, plan.Create, lineKey(DeskPhone, 1), 0, plan.AttrUser, string(ASmith), plan.AttrLines, "1")}
		},
		is: []error{pbx.ErrConflict},
	},
	{
		name: "line for a user that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindLine, plan.Create, lineKey(ATA, 2), 0, plan.AttrUser, "ghost@acme.example", plan.AttrLines, "1")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"ghost@acme.example"},
	},
	{
		name: "number placed at a location that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindNumber, plan.Update, string(Pool(3)), nver(st, Pool(3)), plan.AttrLocation, "gb|nowhere")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"gb|nowhere"},
	},
	{
		name: "unknown field",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe), "password", "hunter2")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"password"},
	},
	{
		name: "field of another kind",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe), plan.AttrRouting, "ext:1")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{plan.AttrRouting},
	},
	{
		name: "value that does not convert",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe), plan.AttrVoiceEnabled, "yes please")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"yes please"},
	},
	{
		name: "status the schema does not know",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Update, string(JDoe), ver(st, JDoe), plan.AttrStatus, "on leave")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"on leave"},
	},
	{
		name: "create in another company than the plan's",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Create, "kim@acme.example", 0, plan.AttrCompany, Globex)}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{Globex},
	},
	{
		name: "member create of a member already there",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				create("kim@acme.example", "4040"),
				Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(0), ASmith), 0, plan.AttrRole, string(pbx.RoleOutboundOnly)),
			}
		},
		failed: 1, is: []error{pbx.ErrStale}, reason: []string{string(ASmith), string(Pool(0)), "exists already"},
	},
	{
		name: "member create over a member of another role",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(0), JDoe), 0, plan.AttrRole, string(pbx.RoleOutboundOnly))}
		},
		is: []error{pbx.ErrConflict, pbx.ErrStale}, reason: []string{string(JDoe), "assigned member"},
	},
	{
		name: "member delete of a member no longer there",
		changes: func(st *pbx.State) []plan.Change {
			del := Change(plan.KindMember, plan.Delete, plan.MemberKey(Pool(3), ASmith), 0, plan.AttrRole, "")
			del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = string(pbx.RoleOutboundOnly) })
			return []plan.Change{del}
		},
		is: []error{pbx.ErrStale, pbx.ErrNotFound}, reason: []string{"no longer there"},
	},
	{
		name: "member delete of a member whose role changed",
		changes: func(st *pbx.State) []plan.Change {
			del := Change(plan.KindMember, plan.Delete, plan.MemberKey(Pool(0), JDoe), 0, plan.AttrRole, "")
			del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = string(pbx.RoleOutboundOnly) })
			return []plan.Change{del}
		},
		is: []error{pbx.ErrStale}, reason: []string{"assigned now"},
	},
	{
		name: "member of a number of another company",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, plan.MemberKey(GlobexNumber, ASmith), 0, plan.AttrRole, string(pbx.RoleOutboundOnly))}
		},
		is: []error{pbx.ErrConflict}, reason: []string{string(GlobexNumber), Globex},
	},
	{
		name: "member of a number not in the inventory",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, plan.MemberKey("+14155550177", ASmith), 0, plan.AttrRole, string(pbx.RoleOutboundOnly))}
		},
		is: []error{pbx.ErrNotFound}, reason: []string{"+14155550177", "inventory"},
	},
	{
		name: "member for a user that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(3), "ghost@acme.example"), 0, plan.AttrRole, string(pbx.RoleOutboundOnly))}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"ghost@acme.example", "does not exist"},
	},
	{
		name: "member for a user of another company",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(3), WCoyote), 0, plan.AttrRole, string(pbx.RoleOutboundOnly))}
		},
		is: []error{pbx.ErrConflict}, reason: []string{string(WCoyote), Globex},
	},
	{
		name: "member with a role the schema does not know",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, plan.MemberKey(Pool(3), ASmith), 0, plan.AttrRole, "listener")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"listener"},
	},
	{
		name: "member update",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Update, plan.MemberKey(Pool(0), ASmith), 0, plan.AttrRole, string(pbx.RoleAssigned))}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"created and deleted"},
	},
	{
		name: "member key that names no number",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindMember, plan.Create, string(ASmith), 0, plan.AttrRole, string(pbx.RoleOutboundOnly))}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"E164/USER"},
	},
	{
		name: "hunt group member create of a member already there",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{
				create("kim@acme.example", "4040"),
				Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", ASmith), 0, plan.AttrPosition, "5"),
			}
		},
		failed: 1, is: []error{pbx.ErrConflict, pbx.ErrStale}, reason: []string{string(ASmith), "already a member of hunt group sales", "position 3"},
	},
	{
		name: "hunt group member create at a position taken",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", BGone), 0, plan.AttrPosition, "3")}
		},
		is: []error{pbx.ErrConflict, pbx.ErrStale}, reason: []string{"position 3", string(ASmith)},
	},
	{
		name: "hunt group member of a group the company does not have",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("support", BGone), 0, plan.AttrPosition, "1")}
		},
		is: []error{pbx.ErrNotFound, pbx.ErrStale}, reason: []string{"no hunt group support"},
	},
	{
		name: "hunt group member for a user of another company",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", WCoyote), 0, plan.AttrPosition, "4")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{string(WCoyote), Globex},
	},
	{
		name: "hunt group member for a user that does not exist",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", "ghost@acme.example"), 0, plan.AttrPosition, "4")}
		},
		is: []error{pbx.ErrConflict}, reason: []string{"ghost@acme.example", "does not exist"},
	},
	{
		name: "hunt group member delete of a member no longer there",
		changes: func(st *pbx.State) []plan.Change {
			del := Change(plan.KindHuntMember, plan.Delete, plan.HuntMemberKey("sales", BGone), 0, plan.AttrPosition, "")
			del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = "2" })
			return []plan.Change{del}
		},
		is: []error{pbx.ErrStale, pbx.ErrNotFound}, reason: []string{"no longer there", "position 2"},
	},
	{
		name: "hunt group member delete of a member that moved",
		changes: func(st *pbx.State) []plan.Change {
			del := Change(plan.KindHuntMember, plan.Delete, plan.HuntMemberKey("sales", ASmith), 0, plan.AttrPosition, "")
			del.Fields = del.Fields.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = "2" })
			return []plan.Change{del}
		},
		is: []error{pbx.ErrStale}, reason: []string{"position 3 now", "at 2"},
	},
	{
		name: "hunt group member update",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Update, plan.HuntMemberKey("sales", ASmith), 0, plan.AttrPosition, "2")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"added and removed"},
	},
	{
		name: "hunt group member without a position",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Create, plan.HuntMemberKey("sales", BGone), 0, plan.AttrPosition, "first")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"first", "position"},
	},
	{
		name: "hunt group member key that names no group",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindHuntMember, plan.Create, string(BGone), 0, plan.AttrPosition, "4")}
		},
		is: []error{pbx.ErrInvalid}, reason: []string{"GROUP/USER"},
	},
	{
		name: "action a kind does not have",
		changes: func(st *pbx.State) []plan.Change {
			return []plan.Change{Change(plan.KindUser, plan.Delete, string(JDoe), ver(st, JDoe))}
		},
		is: []error{pbx.ErrInvalid},
	},
}

func runFailureCases(t *testing.T, h func(func(*testing.T, *harness)) func(*testing.T)) {
	for _, tc := range failureCases {
		t.Run("atomic/"+tc.name, h(func(t *testing.T, h *harness) {
			h.ready(AcmeSeed(), GlobexSeed())
			h.configure(t, ApplyOptions{Atomic: true})
			p := NewPlan(tc.company0(), tc.changes(h.load(tc.company0()))...)
			res := h.apply(p)
			if !res.Rollback || res.Applied != 0 || len(res.Failed) != 1 {
				t.Fatalf("result %+v, want a rollback with one failed change", res)
			}
			tc.checkFailure(t, res.Failed[0])
			checkState(t, h.load(Acme), StateOf(AcmeSeed()))
			checkState(t, h.load(Globex), globexState())
			want := repeat("rolled back", tc.failed)
			want = append(want, "failed")
			want = append(want, repeat("skipped", len(p.Changes)-tc.failed-1)...)
			if res.RunID <= 0 {
				t.Fatalf("RunID = %d, want the rolled-back run recorded", res.RunID)
			}
			h.checkRun(res.RunID, "rolled back", want)
		}))
	}
	for _, tc := range failureCases {
		t.Run("batches/"+tc.name, h(func(t *testing.T, h *harness) {
			h.ready(AcmeSeed(), GlobexSeed())
			before := h.load(tc.company0())
			p := NewPlan(tc.company0(), tc.changes(before)...)
			res := h.apply(p)
			left := map[int]bool{tc.failed: true}
			for _, i := range tc.group {
				left[i] = true
			}
			if res.Rollback || res.Applied != len(p.Changes)-len(left) || len(res.Failed) != len(left) {
				t.Fatalf("result %+v, want changes %v left out and the other %d written", res, keys(left), len(p.Changes)-len(left))
			}
			changes := make([]string, len(p.Changes))
			for i := range changes {
				changes[i] = "applied"
			}
			for _, f := range res.Failed {
				if !left[f.Change] {
					t.Errorf("change %d failed (%s), want it written", f.Change, f.Reason)
					continue
				}
				changes[f.Change] = "skipped"
				if f.Change == tc.failed {
					tc.checkFailure(t, f)
					changes[f.Change] = "failed"
				} else if !strings.Contains(f.Reason, "not written") {
					t.Errorf("change %d left out with the failing one: reason %q does not say it was not written", f.Change, f.Reason)
				}
			}
			want, err := Predict(StateOf(AcmeSeed()), p, func(i int) bool { return !left[i] })
			if tc.company0() != Acme {
				want, err = StateOf(AcmeSeed()), nil
			}
			if err != nil {
				t.Fatal(err)
			}
			checkState(t, h.load(Acme), want)
			checkState(t, h.load(Globex), globexState())
			outcome := "partial"
			if len(left) == len(p.Changes) {
				outcome = "failed"
			}
			h.checkRun(res.RunID, outcome, changes)
		}))
	}
}

func (tc *failureCase) company0() string {
	if tc.company == "" {
		return Acme
	}
	return tc.company
}

// checkFailure checks the outcome of the failing change.
func (tc *failureCase) checkFailure(t *testing.T, f plan.Outcome) {
	t.Helper()
	t.Logf("reason: %s", f.Reason)
	if f.Change != tc.failed {
		t.Errorf("failed change %d (%v), want %d", f.Change, f.Err, tc.failed)
	}
	for _, want := range tc.is {
		if !errors.Is(f.Err, want) {
			t.Errorf("error %q does not wrap %q", f.Err, want)
		}
	}
	if f.Reason == "" {
		t.Errorf("no reason given for %v", f.Err)
	}
	for _, w := range tc.reason {
		if !strings.Contains(f.Reason, w) {
			t.Errorf("reason %q does not mention %q", f.Reason, w)
		}
	}
}

func keys(m map[int]bool) []int {
	var ks []int
	for k := range m {
		ks = append(ks, k)
	}
	sort.Ints(ks)
	return ks
}
