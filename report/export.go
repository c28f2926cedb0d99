package report

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// WriteNumbers writes a company's number inventory as CSV, one number a
// line, on the COMPANY tab (the pool) or the ASSIGNED tab as the portals
// show them.
func WriteNumbers(w io.Writer, st *pbx.State) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"number", "tab", "assigned_to", "extension", "site", "label", "routing", "saved_routing", "holiday_routing", "sms", "e911_location"})
	nums := make([]*pbx.Number, 0, len(st.Numbers))
	for _, n := range st.Numbers {
		if n.Company == st.Company.ID {
			nums = append(nums, n)
		}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i].E164 < nums[j].E164 })
	for _, n := range nums {
		tab, to, ext := "COMPANY", "", ""
		if n.Assigned() {
			tab = "ASSIGNED"
			_, to = n.Target.Split()
			if u := st.Users[n.Target.User()]; u != nil {
				ext = string(u.Extension)
			}
		}
		cw.Write(safe([]string{string(n.E164), tab, to, ext, n.Site, n.Label, string(n.Routing), string(n.SavedRouting),
			string(n.HolidayRouting), yesNo(n.SMS), n.Location}))
	}
	cw.Flush()
	return cw.Error()
}

// rosterFields are the columns of an exported roster: pbxsync's own field
// names, so the built-in pbxsync profile reads it back unchanged.
var rosterFields = []pbx.Field{
	pbx.FUserID, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FExtension, pbx.FStationType, pbx.FVoiceEnabled,
	pbx.FCallerID, pbx.FExternalID, pbx.FSite, pbx.FNumber, pbx.FNumberLabel, pbx.FSMS, pbx.FOutboundOnly,
	pbx.FMAC, pbx.FModel, pbx.FPort, pbx.FLines,
	pbx.FStreet, pbx.FCity, pbx.FRegion, pbx.FPostal, pbx.FCountry,
}

// WriteRoster writes a company's active users as a roster in pbxsync's
// template: applying it back changes nothing. Numbers are written in E.164
// and joined with ";" when a user has several (outbound-only ones too); a user's first device port
// and the E911 address of their first number are written.
func WriteRoster(w io.Writer, st *pbx.State) error {
	cw := csv.NewWriter(w)
	hdr := make([]string, len(rosterFields))
	for i, f := range rosterFields {
		hdr[i] = string(f)
	}
	cw.Write(hdr)
	numbers := map[pbx.UserID][]*pbx.Number{}
	for _, n := range st.Numbers {
		if u := n.Target.User(); u != "" {
			numbers[u] = append(numbers[u], n)
		}
	}
	outbound := map[pbx.UserID][]string{}
	for _, m := range st.Members {
		if m.Role == pbx.RoleOutboundOnly {
			outbound[m.User] = append(outbound[m.User], string(m.Number))
		}
	}
	lines := map[pbx.UserID][]*pbx.DeviceLine{}
	for _, l := range st.Lines {
		lines[l.User] = append(lines[l.User], l)
	}
	ids := make([]string, 0, len(st.Users))
	for id, u := range st.Users {
		if u.Company == st.Company.ID && u.Status == pbx.StatusActive {
			ids = append(ids, string(id))
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		u := st.Users[pbx.UserID(id)]
		ns := numbers[u.ID]
		sort.Slice(ns, func(i, j int) bool { return ns[i].E164 < ns[j].E164 })
		// the device line's number is the primary one: put it first
		ls := lines[u.ID]
		sort.Slice(ls, func(i, j int) bool { return pbx.LineKey(ls[i].MAC, ls[i].Port) < pbx.LineKey(ls[j].MAC, ls[j].Port) })
		if len(ls) > 0 {
			for i, n := range ns {
				if n.E164 == ls[0].Number {
					ns[0], ns[i] = ns[i], ns[0]
				}
			}
		}
		var nums []string
		var label, sms string
		var loc *pbx.Location
		for i, n := range ns {
			nums = append(nums, string(n.E164))
			if i == 0 {
				label, sms, loc = n.Label, yesNo(n.SMS), st.Locations[n.Location]
			}
		}
		rec := []string{string(u.ID), u.FirstName, u.LastName, u.Email, string(u.Extension), u.StationType, yesNo(u.VoiceEnabled),
			u.CallerID, u.ExternalID, u.Site, strings.Join(nums, ";"), label, sms, strings.Join(sorted(outbound[u.ID]), ";"), "", "", "", ""}
		if len(ls) > 0 {
			l := ls[0]
			model := ""
			if d := st.Devices[l.MAC]; d != nil {
				model = d.Model
			}
			rec[14], rec[15], rec[16], rec[17] = l.MAC.String(), model, strconv.Itoa(l.Port), strconv.Itoa(l.Lines)
		}
		if loc != nil {
			rec = append(rec, loc.Street, loc.City, loc.Region, loc.Postal, loc.Country)
		} else {
			rec = append(rec, "", "", "", "", "")
		}
		cw.Write(safe(rec))
	}
	cw.Flush()
	return cw.Error()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func sorted(xs []string) []string {
	sort.Strings(xs)
	return xs
}
