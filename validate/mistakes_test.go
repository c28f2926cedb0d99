package validate

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// mistake is one wrong thing on one row of a roster, and the one problem it must yield.
type mistake struct {
	code    string
	field   pbx.Field // where it is reported; "" for the whole row
	changes kv
	parts   []string                   // the number cell's parts, when the mapping split it
	setup   func(st *pbx.State, i int) // live state the mistake needs; i is the row's person
}

// TestRosterOneProblemPerMistake runs a roster through Row, Roster and Live
// as the importer does: one mistake of each kind gives exactly one problem,
// at its cell, and the clean rows give none.
func TestRosterOneProblemPerMistake(t *testing.T) {
	num := func(i int) string { return fmt.Sprintf("+1415555%04d", 100+i) }
	mistakes := []mistake{
		// field rules
		{code: CodeUserIDMissing, field: pbx.FUserID, changes: kv{pbx.FUserID: ""}},
		{code: CodeUserIDInvalid, field: pbx.FUserID, changes: kv{pbx.FUserID: "jdoe"}},
		{code: CodeEmailInvalid, field: pbx.FEmail, changes: kv{pbx.FEmail: "jane@"}},
		{code: CodeTextTooLong, field: pbx.FLastName, changes: kv{pbx.FLastName: strings.Repeat("a", 65)}},
		{code: CodeTextControl, field: pbx.FFirstName, changes: kv{pbx.FFirstName: "Ja\tne"}},
		{code: CodeExtensionInvalid, field: pbx.FExtension, changes: kv{pbx.FExtension: "40a1"}},
		{code: CodeExtensionLength, field: pbx.FExtension, changes: kv{pbx.FExtension: "12345"}},
		{code: CodeExtensionReserved, field: pbx.FExtension, changes: kv{pbx.FExtension: "911"}},
		{code: CodeExtensionLeadingZeros, field: pbx.FExtension, changes: kv{pbx.FExtension: "42"}},
		{code: CodeExtensionDerived, field: pbx.FNumber, changes: kv{pbx.FExtension: "", pbx.FNumber: "+1 415 555 9123"}},
		{code: CodeMACInvalid, field: pbx.FMAC, changes: kv{pbx.FMAC: "805ec000abc"}},
		{code: CodeMACMulticast, field: pbx.FMAC, changes: kv{pbx.FMAC: "01:00:5e:00:00:01"}},
		{code: CodeMACZero, field: pbx.FMAC, changes: kv{pbx.FMAC: "00:00:00:00:00:00"}},
		{code: CodeMACBroadcast, field: pbx.FMAC, changes: kv{pbx.FMAC: "ff-ff-ff-ff-ff-ff"}},
		{code: CodeMACScientific, field: pbx.FMAC, changes: kv{pbx.FMAC: "1.23E+11"}},
		{code: CodeNumberInvalid, field: pbx.FNumber, changes: kv{pbx.FNumber: "555-0100"}},
		{code: CodeNumberScientific, field: pbx.FNumber, changes: kv{pbx.FNumber: "1.41556E+10"}},
		{code: CodeNumberRepeated, field: pbx.FNumber, parts: []string{"number", "number"}},
		{code: CodeStationTypeInvalid, field: pbx.FStationType, changes: kv{pbx.FStationType: "gold"}},
		{code: CodeVoiceEnabledInvalid, field: pbx.FVoiceEnabled, changes: kv{pbx.FVoiceEnabled: "maybe"}},
		{code: CodeSMSInvalid, field: pbx.FSMS, changes: kv{pbx.FSMS: "perhaps"}},
		{code: CodeSiteUnknown, field: pbx.FSite, changes: kv{pbx.FSite: "paris"}},
		{code: CodeCallerIDInvalid, field: pbx.FCallerID, changes: kv{pbx.FCallerID: "boss"}},
		{code: CodeModelUnknown, field: pbx.FModel, changes: kv{pbx.FModel: "polycom vvx"}},
		{code: CodeModelMissing, field: pbx.FModel, changes: kv{pbx.FModel: ""}},
		{code: CodeDeviceMACMissing, field: pbx.FMAC, changes: kv{pbx.FMAC: ""}},
		{code: CodePortMissing, field: pbx.FPort, changes: kv{pbx.FMAC: "c0:74:ad:00:00:01", pbx.FModel: "grandstream-ht802", pbx.FPort: ""}},
		{code: CodePortInvalid, field: pbx.FPort, changes: kv{pbx.FPort: "2"}},
		{code: CodeLinesInvalid, field: pbx.FLines, changes: kv{pbx.FLines: "9"}},
		{code: CodeVendorMismatch, field: pbx.FMAC, changes: kv{pbx.FMAC: "00:0b:82:00:00:02"}},
		{code: CodeE911Incomplete, field: pbx.FCity, changes: kv{pbx.FCity: ""}},
		{code: CodeE911Country, field: pbx.FCountry, changes: kv{pbx.FCountry: "Atlantis"}},
		{code: CodeE911Postal, field: pbx.FPostal, changes: kv{pbx.FPostal: "ABCDE"}},
		{code: CodeE911Region, field: pbx.FRegion, changes: kv{pbx.FRegion: "ZZ"}},
		// row rules
		{code: CodeSMSPlan, field: pbx.FSMS, changes: kv{pbx.FSMS: "yes"}},
		{code: CodeDeviceNoNumber, field: pbx.FMAC, changes: kv{pbx.FNumber: ""}},
		{code: CodeOutboundAssigned, field: pbx.FOutboundOnly, changes: kv{pbx.FOutboundOnly: "number"}},
		{code: CodeVoiceDisabled, field: pbx.FVoiceEnabled, changes: kv{pbx.FVoiceEnabled: "no"}},
		// cross-row rules, against the clean rows of persons 1 and 2 (rows 2 and 3)
		{code: CodeDuplicateUserID, field: pbx.FUserID, changes: kv{pbx.FUserID: "u1@acme.example"}},
		{code: CodeDuplicateEmail, field: pbx.FEmail, changes: kv{pbx.FEmail: "first.last1@acme.example"}},
		{code: CodeDuplicateExtension, field: pbx.FExtension, changes: kv{pbx.FExtension: "4001"}},
		{code: CodeDuplicateNumber, field: pbx.FNumber, changes: kv{pbx.FNumber: "(415) 555-0101"}},
		{code: CodeDuplicateDevicePort, field: pbx.FMAC, changes: kv{pbx.FMAC: "80:5e:c0:00:00:01"}},
		{code: CodeDuplicateMACModel, field: pbx.FModel, changes: kv{pbx.FMAC: "00:0b:82:00:00:aa", pbx.FModel: "cisco-spa112", pbx.FPort: "2"}},
		// live rules
		{code: CodeNumberUnknown, field: pbx.FNumber, changes: kv{pbx.FNumber: "+1 415 555 0050"}}, // below every person's number
		{code: CodeNumberForeign, field: pbx.FNumber, setup: func(st *pbx.State, i int) { st.Numbers[pbx.E164(num(i))].Company = "globex" }},
		{code: CodeMACForeign, field: pbx.FMAC, setup: func(st *pbx.State, i int) {
			m := pbx.MAC(fmt.Sprintf("805ec00000%02x", i))
			st.Devices[m] = &pbx.Device{MAC: m, Company: "globex", Model: "yealink-t42g"}
		}},
		{code: CodeUserIDForeign, field: pbx.FUserID, setup: func(st *pbx.State, i int) {
			id := pbx.UserID(fmt.Sprintf("u%d@acme.example", i))
			st.Users[id] = &pbx.User{ID: id, Company: "globex", Email: "someone@globex.example"}
		}},
		{code: CodeEmailForeign, field: pbx.FEmail, setup: func(st *pbx.State, i int) {
			st.Users["x@globex.example"] = &pbx.User{ID: "x@globex.example", Company: "globex", Email: fmt.Sprintf("first.last%d@acme.example", i)}
		}},
		{code: CodeVoiceDisabled, field: pbx.FNumber, changes: kv{pbx.FVoiceEnabled: absent}, setup: func(st *pbx.State, i int) {
			id := pbx.UserID(fmt.Sprintf("u%d@acme.example", i))
			st.Users[id] = &pbx.User{ID: id, Company: "acme"}
		}},
		{code: CodeE911Missing, field: pbx.FNumber, changes: noAddress},
		{code: CodeCallerIDUnknown, field: pbx.FCallerID, changes: kv{pbx.FCallerID: "+1 415 555 0051"}},
	}

	// Rows 2 and 3 are clean and hold what the duplicates repeat; then a
	// mistake, a clean row, a mistake, ...
	st := testState()
	st.Models["cisco-spa112"] = &pbx.DeviceModel{Name: "cisco-spa112", Kind: pbx.KindATA, Ports: 2, MaxLines: 1}
	type line struct {
		vals  kv
		parts []string
		want  *mistake
	}
	lines := []line{{vals: person(1)}, {vals: with(person(2), kv{pbx.FMAC: "00:0b:82:00:00:aa", pbx.FModel: "grandstream-ht802", pbx.FPort: "1"})}}
	for k := range mistakes {
		m := &mistakes[k]
		i := 10 + 2*k
		vals := with(person(i), m.changes)
		for f, s := range vals {
			if s == "number" {
				vals[f] = num(i)
			}
		}
		var parts []string
		for _, p := range m.parts {
			parts = append(parts, strings.ReplaceAll(p, "number", num(i)))
		}
		lines = append(lines, line{vals: vals, parts: parts, want: m}, line{vals: person(i + 1)})
	}
	for i := 1; i < 2*len(mistakes)+20; i++ {
		e := pbx.E164(num(i))
		st.Numbers[e] = &pbx.Number{E164: e, Company: "acme"}
	}
	for k := range mistakes {
		if mistakes[k].setup != nil {
			mistakes[k].setup(st, 10+2*k)
		}
	}

	var all, found []*pbx.Problem
	var valid []*pbx.Row
	for n, l := range lines {
		m := mapped(n+2, l.vals)
		if l.parts != nil {
			m = withParts(m, pbx.FNumber, l.parts...)
		}
		r, ps := Row(st, m)
		all = append(all, ps...)
		if len(blocking(ps)) == 0 {
			valid = append(valid, r)
		}
	}
	all = append(all, Roster(st, valid)...)
	all = append(all, Live(st, valid)...)

	byRow := map[int][]*pbx.Problem{}
	for _, p := range all {
		byRow[p.Cell.Row] = append(byRow[p.Cell.Row], p)
	}
	// A number wanted twice is a problem on both rows: the earlier, clean
	// row's partner problem names the mistake's row.
	partners, dupMistakes := 0, 0
	for n, l := range lines {
		if l.want == nil || l.want.code != CodeDuplicateNumber {
			continue
		}
		dupMistakes++
		for first, ps := range byRow {
			if first == n+2 {
				continue
			}
			kept := ps[:0]
			for _, p := range ps {
				if p.Code == CodeDuplicateNumber && strings.HasSuffix(p.Message, fmt.Sprintf("also on row %d", n+2)) {
					partners++
					continue
				}
				kept = append(kept, p)
			}
			byRow[first] = kept
		}
	}
	if partners != dupMistakes {
		t.Errorf("%d rows repeat an earlier row's number, but %d earlier rows are flagged", dupMistakes, partners)
	}
	for n, l := range lines {
		ps := byRow[n+2]
		if l.want == nil {
			if len(ps) != 0 {
				t.Errorf("clean row %d: %v", n+2, ps)
			}
			continue
		}
		wantCol := -1
		if l.want.field != "" {
			wantCol = col(l.want.field)
		}
		if len(ps) != 1 || ps[0].Code != l.want.code || ps[0].Cell.Col != wantCol {
			t.Errorf("row %d: want one %s at column %d, got %v", n+2, l.want.code, wantCol, ps)
			continue
		}
		found = append(found, ps[0])
	}
	if len(found) != len(mistakes) || len(all) != len(mistakes)+partners {
		t.Errorf("%d mistakes, %d found, %d problems in all", len(mistakes), len(found), len(all))
	}
}
