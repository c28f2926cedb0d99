package validate

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// liveState is testState with the numbers of person(1..n) in acme's inventory.
func liveState(n int) *pbx.State {
	st := testState()
	for i := 1; i <= n; i++ {
		e := pbx.E164(fmt.Sprintf("+1415555%04d", 100+i))
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme"}
	}
	return st
}

var noAddress = kv{pbx.FStreet: absent, pbx.FCity: absent, pbx.FRegion: absent, pbx.FPostal: absent, pbx.FCountry: absent}

func TestLive(t *testing.T) {
	for _, c := range []struct {
		name     string
		row      kv                  // row 2
		setup    func(st *pbx.State) // the live state beyond liveState(1)
		code     string              // "" = no problem
		sentinel error
		field    pbx.Field
		value    string
	}{
		{name: "clean", row: person(1)},
		{name: "number unknown", row: with(person(1), kv{pbx.FNumber: "+1 415 555 0199"}),
			code: CodeNumberUnknown, sentinel: pbx.ErrNotFound, field: pbx.FNumber, value: "+14155550199"},
		{name: "outbound-only unknown", row: with(person(1), kv{pbx.FOutboundOnly: "+1 415 555 0199"}),
			code: CodeNumberUnknown, sentinel: pbx.ErrNotFound, field: pbx.FOutboundOnly, value: "+14155550199"},
		{name: "number foreign", row: person(1),
			setup: func(st *pbx.State) { st.Numbers["+14155550101"].Company = "globex" },
			code:  CodeNumberForeign, sentinel: pbx.ErrConflict, field: pbx.FNumber, value: "+14155550101"},
		{name: "mac foreign", row: person(1),
			setup: func(st *pbx.State) { st.Devices["805ec0000001"] = &pbx.Device{MAC: "805ec0000001", Company: "globex"} },
			code:  CodeMACForeign, sentinel: pbx.ErrConflict, field: pbx.FMAC, value: "80:5e:c0:00:00:01"},
		{name: "mac own", row: person(1),
			setup: func(st *pbx.State) { st.Devices["805ec0000001"] = &pbx.Device{MAC: "805ec0000001", Company: "acme"} }},
		{name: "user ID foreign", row: person(1),
			setup: func(st *pbx.State) {
				st.Users["u1@acme.example"] = &pbx.User{ID: "u1@acme.example", Company: "globex", Email: "x@globex.example"}
			},
			code: CodeUserIDForeign, sentinel: pbx.ErrConflict, field: pbx.FUserID, value: "u1@acme.example"},
		{name: "e-mail foreign", row: person(1),
			setup: func(st *pbx.State) {
				st.Users["x@globex.example"] = &pbx.User{ID: "x@globex.example", Company: "globex", Email: "First.Last1@acme.example"}
			},
			code: CodeEmailForeign, sentinel: pbx.ErrConflict, field: pbx.FEmail, value: "first.last1@acme.example"},
		{name: "e-mail is a foreign login", row: with(person(1), kv{pbx.FEmail: "x@globex.example"}),
			setup: func(st *pbx.State) {
				st.Users["x@globex.example"] = &pbx.User{ID: "x@globex.example", Company: "globex"}
			},
			code: CodeEmailForeign, sentinel: pbx.ErrConflict, field: pbx.FEmail, value: "x@globex.example"},
		{name: "voice off, no column", row: with(person(1), kv{pbx.FVoiceEnabled: absent}),
			setup: func(st *pbx.State) {
				st.Users["u1@acme.example"] = &pbx.User{ID: "u1@acme.example", Company: "acme", VoiceEnabled: false}
			},
			code: CodeVoiceDisabled, sentinel: pbx.ErrConflict, field: pbx.FNumber, value: "+14155550101"},
		{name: "voice off, empty cell", row: with(person(1), kv{pbx.FVoiceEnabled: ""}),
			setup: func(st *pbx.State) {
				st.Users["u1@acme.example"] = &pbx.User{ID: "u1@acme.example", Company: "acme", VoiceEnabled: false}
			},
			code: CodeVoiceDisabled, sentinel: pbx.ErrConflict, field: pbx.FNumber, value: "+14155550101"},
		{name: "voice off, row turns it on", row: person(1), // typical sets voice_enabled yes
			setup: func(st *pbx.State) {
				st.Users["u1@acme.example"] = &pbx.User{ID: "u1@acme.example", Company: "acme", VoiceEnabled: false}
			}},
		{name: "voice on live", row: with(person(1), kv{pbx.FVoiceEnabled: absent}),
			setup: func(st *pbx.State) {
				st.Users["u1@acme.example"] = &pbx.User{ID: "u1@acme.example", Company: "acme", VoiceEnabled: true}
			}},
		{name: "e911 missing", row: with(person(1), noAddress),
			code: CodeE911Missing, sentinel: pbx.ErrInvalid, field: pbx.FNumber, value: "+14155550101"},
		{name: "e911 on the live number", row: with(person(1), noAddress),
			setup: func(st *pbx.State) { st.Numbers["+14155550101"].Location = "us|94105|1 main st" }},
		{name: "caller ID unknown", row: with(person(1), kv{pbx.FCallerID: "+1 415 555 0199"}),
			code: CodeCallerIDUnknown, sentinel: pbx.ErrNotFound, field: pbx.FCallerID, value: "+14155550199"},
		{name: "caller ID foreign", row: with(person(1), kv{pbx.FCallerID: "+1 415 555 0199"}),
			setup: func(st *pbx.State) { st.Numbers["+14155550199"] = &pbx.Number{E164: "+14155550199", Company: "globex"} },
			code:  CodeCallerIDUnknown, sentinel: pbx.ErrNotFound, field: pbx.FCallerID, value: "+14155550199"},
		{name: "caller ID in inventory", row: with(person(1), kv{pbx.FCallerID: "+1 415 555 0199"}),
			setup: func(st *pbx.State) { st.Numbers["+14155550199"] = &pbx.Number{E164: "+14155550199", Company: "acme"} }},
		{name: "caller ID anonymous", row: with(person(1), kv{pbx.FCallerID: "anonymous"})},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := liveState(1)
			if c.setup != nil {
				c.setup(st)
			}
			rows := validRows(t, st, c.row)
			ps := Live(st, rows)
			if c.code == "" {
				if len(ps) != 0 {
					t.Errorf("want no problem, got %v", ps)
				}
				return
			}
			if p := wantOne(t, ps, c.code, c.sentinel, 2, c.field, c.value); !p.Blocking() {
				t.Error("not blocking")
			}
		})
	}
}

// A caller ID that is another row's number is known even before it is in the inventory's hands.
func TestLiveCallerIDOnRoster(t *testing.T) {
	st := liveState(2)
	rows := validRows(t, st, person(1), with(person(2), kv{pbx.FCallerID: "+1 415 555 0101"}))
	if ps := Live(st, rows); len(ps) != 0 {
		t.Errorf("caller ID on the roster: %v", ps)
	}
	delete(st.Numbers, "+14155550101") // still on the roster: only row 2's own number is unknown
	ps := Live(st, rows)
	wantOne(t, ps, CodeNumberUnknown, pbx.ErrNotFound, 2, pbx.FNumber, "+14155550101")
}

// A number held by another user of the company is the planner's business.
func TestLiveLeavesMovesToPlanner(t *testing.T) {
	st := liveState(1)
	st.Numbers["+14155550101"].Target = pbx.UserTarget("someone@acme.example")
	st.Users["someone@acme.example"] = &pbx.User{ID: "someone@acme.example", Company: "acme", Extension: "4001", VoiceEnabled: true}
	rows := validRows(t, st, person(1))
	if ps := Live(st, rows); len(ps) != 0 {
		t.Errorf("number and extension held in the company: %v", ps)
	}
}

func TestKeys(t *testing.T) {
	st := testState()
	rows := validRows(t, st, with(person(1), kv{pbx.FCallerID: "+1 415 555 0199", pbx.FOutboundOnly: "+1 415 555 0198"}),
		with(person(2), kv{pbx.FEmail: "", pbx.FMAC: absent, pbx.FModel: absent}))
	k := Keys(&pbx.State{}, rows) // a store holding nothing yet: every key
	if !slices.Equal(k.Users, []pbx.UserID{"u1@acme.example", "u2@acme.example"}) ||
		!slices.Equal(k.Emails, []string{"first.last1@acme.example"}) ||
		!slices.Equal(k.Numbers, []pbx.E164{"+14155550101", "+14155550198", "+14155550199", "+14155550102"}) ||
		!slices.Equal(k.MACs, []pbx.MAC{"805ec0000001"}) {
		t.Errorf("keys = %+v", k)
	}

	// What the company already holds is left out: it cannot be another's.
	st.Users["u1@acme.example"] = &pbx.User{ID: "u1@acme.example", Company: "acme", Email: "First.Last1@ACME.example"}
	st.Numbers["+14155550101"] = &pbx.Number{E164: "+14155550101", Company: "acme"}
	st.Devices["805ec0000001"] = &pbx.Device{MAC: "805ec0000001", Company: "acme"}
	k = Keys(st, rows)
	if !slices.Equal(k.Users, []pbx.UserID{"u2@acme.example"}) || len(k.Emails) != 0 ||
		slices.Contains(k.Numbers, "+14155550101") || !slices.Contains(k.Numbers, "+14155550199") || len(k.MACs) != 0 {
		t.Errorf("keys with the company's own left out = %+v", k)
	}
}
