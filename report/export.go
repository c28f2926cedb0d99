package report

import (
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
	nums := make([]*pbx.Number, 0, len(st.Numbers))
	for _, n := range st.Numbers {
		if n.Company == st.Company.ID {
			nums = append(nums, n)
		}
	}
	sort.Slice(nums, func(i, j int) bool { return nums[i].E164 < nums[j].E164 })
	recs := make([]numberRecord, 0, len(nums))
	for _, n := range nums {
		rec := numberRecord{Number: csvText(n.E164), Tab: "COMPANY", Site: csvText(n.Site), Label: csvText(n.Label),
			Routing: csvText(n.Routing), SavedRouting: csvText(n.SavedRouting), HolidayRouting: csvText(n.HolidayRouting),
			SMS: csvYesNo(n.SMS), E911Location: csvText(n.Location)}
		if n.Assigned() {
			rec.Tab = "ASSIGNED"
			_, to := n.Target.Split()
			rec.AssignedTo = csvText(to)
			if u := st.Users[n.Target.User()]; u != nil {
				rec.Extension = csvText(u.Extension)
			}
		}
		recs = append(recs, rec)
	}
	return writeCSV(w, recs)
}

// WriteRoster writes a company's active users as a roster in pbxsync's
// template: applying it back changes nothing. Numbers are written in E.164
// and joined with ";" when a user has several (outbound-only ones too); a user's first device port
// and the E911 address of their first number are written, and the hunt
// groups they are a member of.
func WriteRoster(w io.Writer, st *pbx.State) error {
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
	groups := map[pbx.UserID][]string{}
	for _, g := range st.Hunts {
		for _, m := range g.Members {
			groups[m.User] = append(groups[m.User], g.ID)
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
	recs := make([]rosterRecord, 0, len(ids))
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
		rec := rosterRecord{UserID: csvText(u.ID), FirstName: csvText(u.FirstName), LastName: csvText(u.LastName),
			Email: csvText(u.Email), Extension: csvText(u.Extension), StationType: csvText(u.StationType),
			VoiceEnabled: csvYesNo(u.VoiceEnabled), CallerID: csvText(u.CallerID), ExternalID: csvText(u.ExternalID),
			Site: csvText(u.Site), OutboundOnly: csvText(strings.Join(sorted(outbound[u.ID]), ";")),
			HuntGroups: csvText(strings.Join(sorted(groups[u.ID]), ";"))}
		var nums []string
		var loc *pbx.Location
		for i, n := range ns {
			nums = append(nums, string(n.E164))
			if i == 0 {
				rec.NumberLabel, rec.SMS, loc = csvText(n.Label), csvText(yesNo(n.SMS)), st.Locations[n.Location]
			}
		}
		rec.Number = csvText(strings.Join(nums, ";"))
		if len(ls) > 0 {
			l := ls[0]
			if d := st.Devices[l.MAC]; d != nil {
				rec.Model = csvText(d.Model)
			}
			rec.MAC, rec.Port, rec.Lines = csvText(l.MAC.String()), csvText(strconv.Itoa(l.Port)), csvText(strconv.Itoa(l.Lines))
		}
		if loc != nil {
			rec.Street, rec.City, rec.Region, rec.Postal, rec.Country = csvText(loc.Street), csvText(loc.City),
				csvText(loc.Region), csvText(loc.Postal), csvText(loc.Country)
		}
		recs = append(recs, rec)
	}
	return writeCSV(w, recs)
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
