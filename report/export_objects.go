package report

import (
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// The exports of day-two files: each kind's objects in the columns its
// built-in profile reads (mapping.KindProfiles), so that a file exported
// and fed back plans as no change. (Numbers: WriteNumbers.)

type siteRecord struct {
	Code        csvText  `csv:"site_code"`
	Name        csvText  `csv:"name"`
	Region      csvText  `csv:"region"`
	ExtLen      csvText  `csv:"extension_length"`
	OwnDialPlan csvYesNo `csv:"own_dial_plan"`
	Reserved    csvText  `csv:"reserved"`
	// its default E911 address
	Street  csvText `csv:"e911_street"`
	City    csvText `csv:"e911_city"`
	State   csvText `csv:"e911_state"`
	Postal  csvText `csv:"e911_postal"`
	Country csvText `csv:"e911_country"`
}

type modelRecord struct {
	Model    csvText `csv:"model"`
	Vendor   csvText `csv:"vendor"`
	Kind     csvText `csv:"kind"`
	Ports    csvText `csv:"ports"`
	MaxLines csvText `csv:"max_lines"`
	OUIs     csvText `csv:"ouis"`
}

type huntGroupRecord struct {
	ID        csvText `csv:"hunt_group_id"`
	Name      csvText `csv:"name"`
	Extension csvText `csv:"extension"`
	Numbers   csvText `csv:"numbers"`
	Members   csvText `csv:"members"` // in the order the group rings them
}

type autoAttendantRecord struct {
	ID        csvText `csv:"auto_attendant_id"`
	Name      csvText `csv:"name"`
	Extension csvText `csv:"extension"`
	Numbers   csvText `csv:"numbers"`
}

// WriteSites writes the company's sites as a sites file.
func WriteSites(w io.Writer, st *pbx.State) error {
	var recs []siteRecord
	for _, code := range sortedKeys(st.Sites) {
		s := st.Sites[code]
		if code == "" && s.Code == "" {
			continue
		}
		rec := siteRecord{Code: csvText(s.Code), Name: csvText(s.Name), Region: csvText(s.Region),
			ExtLen: csvText(strconv.Itoa(s.ExtLen)), OwnDialPlan: csvYesNo(s.OwnDialPlan), Reserved: csvText(plan.FormatRanges(s.Reserved))}
		if l := st.Locations[s.E911]; l != nil {
			rec.Street, rec.City, rec.State, rec.Postal, rec.Country = csvText(l.Street), csvText(l.City), csvText(l.Region), csvText(l.Postal), csvText(l.Country)
		}
		recs = append(recs, rec)
	}
	return writeCSV(w, recs)
}

// WriteModels writes the device catalogue as a models file.
func WriteModels(w io.Writer, st *pbx.State) error {
	var recs []modelRecord
	for _, name := range sortedKeys(st.Models) {
		m := st.Models[name]
		recs = append(recs, modelRecord{Model: csvText(m.Name), Vendor: csvText(m.Vendor), Kind: csvText(m.Kind),
			Ports: csvText(strconv.Itoa(m.Ports)), MaxLines: csvText(strconv.Itoa(m.MaxLines)), OUIs: csvText(strings.Join(m.OUIs, ","))})
	}
	return writeCSV(w, recs)
}

// WriteHuntGroups writes the company's hunt groups, each with the numbers
// routed to it and its members in order.
func WriteHuntGroups(w io.Writer, st *pbx.State) error {
	var recs []huntGroupRecord
	for _, id := range sortedKeys(st.Hunts) {
		g := st.Hunts[id]
		members := slices.Clone(g.Members)
		slices.SortFunc(members, func(a, b pbx.HuntMember) int { return a.Position - b.Position })
		users := make([]string, len(members))
		for i, m := range members {
			users[i] = string(m.User)
		}
		recs = append(recs, huntGroupRecord{ID: csvText(id), Name: csvText(g.Name), Extension: csvText(g.Extension),
			Numbers: csvText(routedTo(st, pbx.MakeTarget(pbx.TargetHuntGroup, id))), Members: csvText(strings.Join(users, "; "))})
	}
	return writeCSV(w, recs)
}

// WriteAutoAttendants writes the company's auto attendants, each with the
// numbers routed to it.
func WriteAutoAttendants(w io.Writer, st *pbx.State) error {
	var recs []autoAttendantRecord
	for _, id := range sortedKeys(st.AAs) {
		a := st.AAs[id]
		recs = append(recs, autoAttendantRecord{ID: csvText(id), Name: csvText(a.Name), Extension: csvText(a.Extension),
			Numbers: csvText(routedTo(st, pbx.MakeTarget(pbx.TargetAutoAttendant, id)))})
	}
	return writeCSV(w, recs)
}

// routedTo lists the numbers whose target is t, joined with ";".
func routedTo(st *pbx.State, t pbx.Target) string {
	var out []string
	for e, n := range st.Numbers {
		if n.Target == t {
			out = append(out, string(e))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ";") // as SafeCell lets a list of numbers through
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
