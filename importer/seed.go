package importer

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// SeedFile is the JSON form of a company's starting state, as
// `pbxsync init --seed FILE` reads it (see samples/demo/company.json).
type SeedFile struct {
	Company struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Plan string `json:"plan"`
		SMS  bool   `json:"sms"`
	} `json:"company"`
	Sites []struct {
		Code        string   `json:"code"`
		Name        string   `json:"name"`
		Region      string   `json:"region"`
		ExtLen      int      `json:"ext_len"`
		OwnDialPlan bool     `json:"own_dial_plan"`
		Reserved    []string `json:"reserved"` // "911", "9000-9999"
	} `json:"sites"`
	Models []struct {
		Name     string   `json:"name"`
		Vendor   string   `json:"vendor"`
		Kind     string   `json:"kind"`
		Ports    int      `json:"ports"`
		MaxLines int      `json:"max_lines"`
		OUIs     []string `json:"ouis"`
	} `json:"models"`
	HuntGroups     []seedGroup `json:"hunt_groups"`
	AutoAttendants []seedGroup `json:"auto_attendants"`
	Numbers        []struct {
		Site    string `json:"site"`
		Number  string `json:"number"` // one number ...
		Range   string `json:"range"`  // ... or "+14155550100-+14155550199"
		Label   string `json:"label"`
		Target  string `json:"target"` // "", "huntgroup:sales", "autoattendant:main"
		Routing string `json:"routing"`
		Holiday string `json:"holiday_routing"`
	} `json:"numbers"`
}

type seedGroup struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Extension string `json:"extension"`
}

// maxRange bounds one number range of a seed, against a typo that would
// create a billion numbers.
const maxRange = 1_000_000

// ReadSeed reads a seed file and returns the state it describes.
func ReadSeed(path string) (*pbx.Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeSeed(f, path)
}

// DecodeSeed decodes a seed from JSON; name is used in errors.
func DecodeSeed(r io.Reader, name string) (*pbx.Seed, error) {
	var sf SeedFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sf); err != nil {
		return nil, fmt.Errorf("seed %s: %w", name, err)
	}
	if sf.Company.ID == "" {
		return nil, fmt.Errorf("seed %s: company.id is required", name)
	}
	c := sf.Company
	s := &pbx.Seed{Company: pbx.Company{ID: c.ID, Name: c.Name, Plan: c.Plan, SMS: c.SMS}}
	regions := map[string]string{}
	for _, st := range sf.Sites {
		site := pbx.Site{Company: c.ID, Code: st.Code, Name: st.Name, Region: strings.ToUpper(st.Region), ExtLen: st.ExtLen, OwnDialPlan: st.OwnDialPlan}
		for _, r := range st.Reserved {
			from, to, ok := strings.Cut(r, "-")
			if !ok {
				to = from
			}
			site.Reserved = append(site.Reserved, pbx.ExtRange{From: strings.TrimSpace(from), To: strings.TrimSpace(to)})
		}
		if site.Region == "" {
			site.Region = "US"
		}
		regions[st.Code] = site.Region
		s.Sites = append(s.Sites, site)
	}
	for _, m := range sf.Models {
		s.Models = append(s.Models, pbx.DeviceModel{Name: strings.ToLower(m.Name), Vendor: m.Vendor, Kind: pbx.DeviceKind(m.Kind),
			Ports: max(m.Ports, 1), MaxLines: max(m.MaxLines, 1), OUIs: m.OUIs})
	}
	for _, g := range sf.HuntGroups {
		s.Hunts = append(s.Hunts, pbx.HuntGroup{ID: g.ID, Company: c.ID, Name: g.Name, Extension: pbx.Extension(g.Extension)})
	}
	for _, g := range sf.AutoAttendants {
		s.AAs = append(s.AAs, pbx.AutoAttendant{ID: g.ID, Company: c.ID, Name: g.Name, Extension: pbx.Extension(g.Extension)})
	}
	for i, n := range sf.Numbers {
		region := regions[n.Site]
		if region == "" {
			region = "US"
		}
		var nums []pbx.E164
		switch {
		case n.Number != "" && n.Range != "":
			return nil, fmt.Errorf("seed %s: numbers[%d] has both number and range: give one", name, i)
		case n.Number != "":
			e, err := pbx.ParseE164(n.Number, region)
			if err != nil {
				return nil, fmt.Errorf("seed %s: numbers[%d]: %w", name, i, err)
			}
			nums = append(nums, e)
		default:
			var err error
			if nums, err = expandRange(n.Range, region); err != nil {
				return nil, fmt.Errorf("seed %s: numbers[%d]: %w", name, i, err)
			}
		}
		for _, e := range nums {
			s.Numbers = append(s.Numbers, pbx.Number{E164: e, Company: c.ID, Site: n.Site, Label: n.Label,
				Target: pbx.Target(n.Target), Routing: pbx.Routing(n.Routing), HolidayRouting: pbx.Routing(n.Holiday)})
		}
	}
	return s, nil
}

// expandRange turns "+14155550100-+14155550199" into its numbers.
func expandRange(r, region string) ([]pbx.E164, error) {
	a, b, ok := strings.Cut(r, "-+")
	if !ok {
		return nil, fmt.Errorf("range %q: write it as +FIRST-+LAST", r)
	}
	from, err := pbx.ParseE164(a, region)
	if err != nil {
		return nil, err
	}
	to, err := pbx.ParseE164("+"+b, region)
	if err != nil {
		return nil, err
	}
	// E.164 has at most 15 digits: an int64 holds it.
	lo, _ := strconv.ParseInt(string(from[1:]), 10, 64)
	hi, _ := strconv.ParseInt(string(to[1:]), 10, 64)
	n := hi - lo + 1
	if n < 1 || n > maxRange {
		return nil, fmt.Errorf("range %q holds %d numbers; a range holds 1 to %d", r, n, maxRange)
	}
	out := make([]pbx.E164, 0, n)
	for v := lo; v <= hi; v++ {
		e, err := pbx.ParseE164("+"+strconv.FormatInt(v, 10), region)
		if err != nil {
			return nil, fmt.Errorf("range %q: %w", r, err)
		}
		out = append(out, e)
	}
	return out, nil
}
