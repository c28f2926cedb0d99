package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Live applies the rules that need the live state to the rows, valid or not
// (see Checker.Check: a value a field rule refused is not in its row, and
// the rules that need it pass it by). st is fully loaded, including the users, numbers and
// devices of other companies that the roster names (see Keys); those have a
// Company other than st.Company.ID.
//
// Who holds a number or an extension inside the company is not checked here:
// the planner decides that (a roster may swap numbers between its users).
func Live(st *pbx.State, rows []*pbx.Row) []*pbx.Problem {
	own := st.Company.ID
	foreign := map[string]*pbx.User{} // lower-case login or e-mail -> user of another company
	for _, u := range st.Users {
		if u.Company != own {
			foreign[strings.ToLower(string(u.ID))] = u
			if u.Email != "" {
				foreign[strings.ToLower(u.Email)] = u
			}
		}
	}
	onRoster := map[pbx.E164]bool{}
	for _, r := range rows {
		for _, n := range r.Numbers {
			onRoster[n] = true
		}
		for _, n := range r.OutboundOnly {
			onRoster[n] = true
		}
	}
	var ps problems
	for _, r := range rows {
		if r.Device != nil && len(r.Numbers) == 0 && !r.Has(pbx.FNumber) && !holdsNumber(st, r.User.ID) {
			ps.add(rowFieldCell(r, pbx.FMAC), CodeDeviceNoNumber, r.Device.MAC.String(), pbx.ErrInvalid,
				fmt.Sprintf("the row gives device %s but %s has no number, and the file has no number column", r.Device.MAC, r.User.ID),
				"users can't call until they have a number and a phone: add a number column with the user's number, or clear the device")
		}
		liveUserRules(&ps, st, r, foreign)
		createRules(&ps, st, r)
		liveNumberRules(&ps, st, r)
		liveHuntGroupRules(&ps, st, r) // huntgroup.go
		liveTargetRules(&ps, st, r)    // target.go
		if d := r.Device; d != nil {
			if dev := st.Devices[d.MAC]; dev != nil && dev.Company != own {
				ps.add(rowFieldCell(r, pbx.FMAC), CodeMACForeign, d.MAC.String(), pbx.ErrConflict,
					fmt.Sprintf("device %s is registered to another company (%s)", d.MAC, dev.Company),
					"check the MAC on the device label; if it is right, the other company must release the device first")
			}
		}
		if cid := r.User.CallerID; strings.HasPrefix(cid, "+") {
			n := st.Numbers[pbx.E164(cid)]
			if !onRoster[pbx.E164(cid)] && (n == nil || n.Company != own) {
				ps.add(rowFieldCell(r, pbx.FCallerID), CodeCallerIDUnknown, cid, pbx.ErrNotFound,
					fmt.Sprintf("caller ID %s is not a number of company %s nor on the roster", cid, own),
					"use own, anonymous, or a number the company has (a user's, a hunt group's or an auto attendant's)")
			}
		}
	}
	return ps
}

// liveUserRules: the login and e-mail are not another company's.
func liveUserRules(ps *problems, st *pbx.State, r *pbx.Row, foreign map[string]*pbx.User) {
	if u := st.Users[r.User.ID]; u != nil && u.Company != st.Company.ID {
		ps.add(rowFieldCell(r, pbx.FUserID), CodeUserIDForeign, string(r.User.ID), pbx.ErrConflict,
			fmt.Sprintf("user ID %s is a login of another company (%s)", r.User.ID, u.Company),
			"logins are unique across the PBX: use the user's login in this company's domain")
	}
	if r.User.Email == "" {
		return
	}
	if u := foreign[strings.ToLower(r.User.Email)]; u != nil {
		ps.add(rowFieldCell(r, pbx.FEmail), CodeEmailForeign, r.User.Email, pbx.ErrConflict,
			fmt.Sprintf("e-mail %s belongs to user %s of another company (%s)", r.User.Email, u.ID, u.Company),
			"use the user's e-mail in this company, or fix the e-mail")
	}
}

// createRules: a row that creates a user gives what a user row carries
// (DOMAIN rule 4): a first and a last name. A missing column is no excuse
// here: it leaves an existing user's names alone, but a new user would have
// none.
func createRules(ps *problems, st *pbx.State, r *pbx.Row) {
	if r.User.ID == "" || st.Users[r.User.ID] != nil {
		return // no valid user ID, or not a create
	}
	var missing []string
	f := pbx.Field("")
	for _, n := range [...]struct {
		f           pbx.Field
		name, value string
	}{{pbx.FFirstName, "first name", r.User.FirstName}, {pbx.FLastName, "last name", r.User.LastName}} {
		if n.value == "" && !r.Faulty(n.f) { // a faulty one is reported as what is wrong with it
			missing = append(missing, n.name)
			if f == "" {
				f = n.f
			}
		}
	}
	if len(missing) == 0 {
		return
	}
	what := joinAnd(missing)
	ps.add(rowFieldCell(r, f), CodeUserNameMissing, "", pbx.ErrInvalid,
		fmt.Sprintf("the row creates user %s, who would have no %s", r.User.ID, what),
		"a new user needs a first and a last name: fill them in on the row (if the roster has them under other headers, map those with --profile)")
}

// liveNumberRules: the numbers are in the company's inventory; an assigned
// number needs a voice-enabled user (DOMAIN rule 7) and an E911 location on
// the row or on the number (rule 8).
func liveNumberRules(ps *problems, st *pbx.State, r *pbx.Row) {
	own := st.Company.ID
	check := func(f pbx.Field, nums []pbx.E164, assigned bool) {
		for _, e := range nums {
			n := st.Numbers[e]
			switch {
			case n == nil:
				ps.add(rowFieldCell(r, f), CodeNumberUnknown, string(e), pbx.ErrNotFound,
					fmt.Sprintf("number %s is not in company %s's inventory", e, own),
					"add it to the inventory or fix the number")
			case n.Company != own:
				ps.add(rowFieldCell(r, f), CodeNumberForeign, string(e), pbx.ErrConflict,
					fmt.Sprintf("number %s belongs to another company (%s)", e, n.Company),
					"fix the number; a number of another company cannot be assigned here")
			case assigned && r.TargetRef == "" && r.Location == nil && n.Location == "" && !r.Faulty(pbx.FStreet): // a faulty address is reported as such; a group's number needs none
				ps.add(rowFieldCell(r, f), CodeE911Missing, string(e), pbx.ErrInvalid,
					fmt.Sprintf("number %s has no E911 location and the row gives none", e),
					"fill in the row's E911 address (street, city, state, postal code, country), or give its site a default E911 address (pbxsync apply --kind sites)")
			}
		}
	}
	check(pbx.FNumber, r.Numbers, true)
	check(pbx.FOutboundOnly, r.OutboundOnly, false)
	if r.SecondLine != "" {
		check(pbx.FSecondLine, []pbx.E164{r.SecondLine}, false)
	}

	if len(r.Numbers) == 0 {
		return
	}
	u := st.Users[r.User.ID]
	if u == nil || u.Company != own || u.VoiceEnabled || r.Has(pbx.FVoiceEnabled) && r.User.VoiceEnabled || r.Faulty(pbx.FVoiceEnabled) {
		return
	}
	f, value := pbx.FNumber, string(r.Numbers[0])
	if r.Has(pbx.FVoiceEnabled) {
		f, value = pbx.FVoiceEnabled, "" // an empty cell: "no" would have failed Row
	}
	ps.add(rowFieldCell(r, f), CodeVoiceDisabled, value, pbx.ErrConflict,
		fmt.Sprintf("user %s has voice service off and the row assigns them %s", r.User.ID, r.Numbers[0]),
		"only voice-enabled users can have a number: set voice_enabled to yes on the row")
}

// Keys names what the rows touch (logins, e-mails, numbers including caller
// IDs, MACs), for a store to load those of other companies before Live. It
// leaves out what st already holds: each of these is unique across the
// store, so one that is st's own cannot be another company's. A re-sync of
// an unchanged roster then asks the store for nothing.
func Keys(st *pbx.State, rows []*pbx.Row) pbx.Keys {
	var k pbx.Keys
	kr := Keyer{st: st}
	for _, r := range rows {
		kr.Add(&k, r)
	}
	return k
}

// Keyer names what rows touch as Keys does, a row at a time (a roster
// read in slices names its keys as it is read, and lets the rows go).
type Keyer struct {
	st     *pbx.State
	emails map[string]bool // st's e-mails, lower-cased, built on first need
}

// NewKeyer returns a Keyer of what st does not hold.
func NewKeyer(st *pbx.State) *Keyer { return &Keyer{st: st} }

// Add adds to k what r touches that the Keyer's state does not hold.
func (kr *Keyer) Add(k *pbx.Keys, r *pbx.Row) {
	st := kr.st
	if _, ok := st.Users[r.User.ID]; !ok && r.User.ID != "" { // "": not valid
		k.Users = append(k.Users, r.User.ID)
	}
	if e := r.User.Email; e != "" {
		if kr.emails == nil {
			kr.emails = make(map[string]bool, len(st.Users))
			for _, u := range st.Users {
				if u.Email != "" {
					kr.emails[strings.ToLower(u.Email)] = true
				}
			}
		}
		if !kr.emails[strings.ToLower(e)] {
			k.Emails = append(k.Emails, e)
		}
	}
	r.NamedNumbers(func(n pbx.E164) {
		if !st.HasNumber(n) { // in Numbers or in the compact pool (pbx.State.CompactPool)
			k.Numbers = append(k.Numbers, n)
		}
	})
	if r.Device != nil {
		if _, ok := st.Devices[r.Device.MAC]; !ok {
			k.MACs = append(k.MACs, r.Device.MAC)
		}
	}
}

// holdsNumber reports whether a live user is the target of a number.
func holdsNumber(st *pbx.State, id pbx.UserID) bool {
	if _, ok := st.Users[id]; !ok {
		return false
	}
	target := pbx.UserTarget(id)
	for _, n := range st.Numbers {
		if n.Target == target {
			return true
		}
	}
	return false
}
