package gen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Spec describes a generated live state. Users and numbers are spread evenly
// over the companies; SitePool more free numbers go to the first company, so
// that it can take a large site's roster (100,000 new users need 100,000
// numbers in its pool).
type Spec struct {
	Seed      uint64
	Companies int
	Users     int // users in all
	Numbers   int // numbers in all: the users' ones, two per company for the main line and a hunt group, the pools
	SitePool  int // of Numbers, extra pool numbers of the first company
}

// Limits of the layout: a 24-bit MAC suffix per user, 7-digit extensions.
const (
	maxUsers        = 1 << 24
	maxCompanyUsers = 8_000_000 // extensions 1000000..8999999; 9000000-9999999 is reserved
	specialNumbers  = 2         // the main line (auto attendant) and the sales hunt group
)

// Check reports what is wrong with a spec, in flag words.
func (s Spec) Check() error {
	switch {
	case s.Companies < 1:
		return fmt.Errorf("--companies %d: give at least 1", s.Companies)
	case s.Users < 0 || s.Numbers < 0 || s.SitePool < 0:
		return fmt.Errorf("--users, --numbers and --site-pool cannot be negative")
	case s.Users > maxUsers:
		return fmt.Errorf("--users %d: at most %d (MACs are made from the user's index)", s.Users, maxUsers)
	case s.SitePool > s.Numbers:
		return fmt.Errorf("--site-pool %d is more than --numbers %d", s.SitePool, s.Numbers)
	}
	for _, i := range []int{0, s.Companies - 1} {
		c := s.Company(i)
		if c.Users > maxCompanyUsers {
			return fmt.Errorf("company %s would have %d users; at most %d per company: give more --companies", c.ID, c.Users, maxCompanyUsers)
		}
		if c.Numbers < c.Users+specialNumbers {
			return fmt.Errorf("company %s would have %d numbers for %d users: every company needs one number per user and %d more; give more --numbers (at least %d)",
				c.ID, c.Numbers, c.Users, specialNumbers, s.Users+specialNumbers*s.Companies+s.SitePool)
		}
	}
	return nil
}

// CompanyLayout is where one company's objects fall in the generated state.
type CompanyLayout struct {
	Index       int
	ID          string // "c0001"
	Domain      string // "c0001.example"
	Users       int
	Numbers     int
	FirstUser   int // global index of its first user
	FirstNumber int // global index of its first number
}

// Company returns the layout of the i-th company (from 0).
func (s Spec) Company(i int) CompanyLayout {
	c := CompanyLayout{Index: i, ID: CompanyID(i, s.Companies)}
	c.Domain = c.ID + ".example"
	c.Users, c.FirstUser = share(s.Users, s.Companies, i)
	c.Numbers, c.FirstNumber = share(s.Numbers-s.SitePool, s.Companies, i)
	if i == 0 {
		c.Numbers += s.SitePool
	} else {
		c.FirstNumber += s.SitePool
	}
	return c
}

// share splits total over n parts, the first total%n parts one bigger, and
// returns part i's size and where it starts.
func share(total, n, i int) (size, start int) {
	size, rem := total/n, total%n
	start = i*size + min(i, rem)
	if i < rem {
		size++
	}
	return size, start
}

// CompanyID is the ID of the i-th of n companies: c0001, c0002...
func CompanyID(i, n int) string {
	width := max(4, len(strconv.Itoa(n)))
	return fmt.Sprintf("c%0*d", width, i+1)
}

// The device catalogue: the first OUI of each model is used for the live
// state's devices, the second for the devices of generated rosters, so the
// two never meet.
var catalogue = []pbx.DeviceModel{
	{Name: "yealink-t42g", Vendor: "Yealink", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 3, OUIs: []string{"805ec0", "001565"}},
	{Name: "yealink-t54w", Vendor: "Yealink", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 16, OUIs: []string{"805ec0", "001565"}},
	{Name: "polycom-vvx450", Vendor: "Polycom", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 12, OUIs: []string{"0004f2", "64167f"}},
	{Name: "cisco-8841", Vendor: "Cisco", Kind: pbx.KindDeskPhone, Ports: 1, MaxLines: 5, OUIs: []string{"001b54", "00eebd"}},
	{Name: "grandstream-ht802", Vendor: "Grandstream", Kind: pbx.KindATA, Ports: 2, MaxLines: 1, OUIs: []string{"000b82", "c074ad"}},
}

// displayNames are the models as site surveys write them.
var displayNames = map[string]string{
	"yealink-t42g":      "Yealink T42G",
	"yealink-t54w":      "Yealink T54W",
	"polycom-vvx450":    "Polycom VVX450",
	"cisco-8841":        "Cisco 8841",
	"grandstream-ht802": "Grandstream HT802",
}

// Models returns the device catalogue every generated company uses.
func Models() []pbx.DeviceModel {
	out := make([]pbx.DeviceModel, len(catalogue))
	copy(out, catalogue)
	return out
}

// modelOf picks a desk phone: 40% T42G, 25% T54W, 20% VVX450, 15% 8841.
func modelOf(h uint64) *pbx.DeviceModel {
	switch v := h % 20; {
	case v < 8:
		return &catalogue[0]
	case v < 13:
		return &catalogue[1]
	case v < 17:
		return &catalogue[2]
	}
	return &catalogue[3]
}

// displayModel is a model's name as a roster writes it.
func displayModel(name string) string {
	if d, ok := displayNames[name]; ok {
		return d
	}
	return name
}

// siteInfo is a generated site and its E911 address.
type siteInfo struct {
	code, name string
	addr       pbx.Address
}

var sites = []siteInfo{
	{"hq", "Headquarters", pbx.Address{Street: "100 Market St", City: "San Francisco", Region: "CA", Postal: "94105", Country: "US"}},
	{"branch", "Chicago branch", pbx.Address{Street: "233 S Wacker Dr", City: "Chicago", Region: "IL", Postal: "60606", Country: "US"}},
}

// siteOf puts 80% of the users at hq, 20% at the branch.
func siteOf(h uint64) *siteInfo {
	if h%10 < 8 {
		return &sites[0]
	}
	return &sites[1]
}

// stationOf: 20% premium, 70% standard, 10% basic.
func stationOf(h uint64) string {
	switch v := h % 10; {
	case v < 2:
		return "premium"
	case v < 9:
		return "standard"
	}
	return "basic"
}

var firstNames = strings.Fields(`Ann Bob Carol Dan Erin Frank Gina Hal Ivy Jay Kim Lee Maria Noah Olga Paul Quinn Rosa Sam Tina
	Uma Victor Wendy Xavier Yara Zoe Aaron Bella Chris Dana Ethan Fiona George Hannah Ian Julia Kevin Laura Mike Nina
	Oscar Priya Raj Sara Tom Ursula Vera Will Yusuf Zara`)

var lastNames = strings.Fields(`Lee Martin Diaz Wu Cole Ito Park Moore Chen Ruiz Ng Smith Jones Brown Garcia Miller Davis Lopez
	Wilson Anderson Thomas Taylor Moore Jackson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott
	Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Torres Parker Collins`)

// mix is splitmix64: a fast, good 64-bit hash, so that every attribute of
// a generated object is a pure function of the seed and the object's index.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// hash2 hashes a seed, a stream (what is being made) and an index.
func hash2(seed uint64, stream uint64, i int) uint64 {
	return mix(mix(seed^stream*0x632be59bd9b4e019) ^ uint64(i))
}

// Streams of hash2, one per kind of choice.
const (
	streamUser uint64 = iota + 1
	streamRoster
	streamShuffle
	streamBlocks
)

// userName makes a person's names, login and e-mail from a hash and their
// number within the company (which keeps logins unique).
func userName(h uint64, k int, domain string) (first, last string, id pbx.UserID, email string) {
	first = firstNames[h%uint64(len(firstNames))]
	last = lastNames[(h>>16)%uint64(len(lastNames))]
	n := strconv.Itoa(k + 1)
	id = pbx.UserID(strings.ToLower(first[:1]+last) + n + "@" + domain)
	email = strings.ToLower(first+"."+last) + "." + n + "@" + domain
	return first, last, id, email
}

// extensionOf is the k-th extension of a company: 7 digits from 1000000.
func extensionOf(k int) pbx.Extension { return pbx.Extension(strconv.Itoa(1_000_000 + k)) }

// externalIDOf is the k-th HR id of a company.
func externalIDOf(k int) string { return fmt.Sprintf("E%07d", k+1) }

// macOf is a MAC of the given OUI with a 24-bit suffix.
func macOf(oui string, suffix int) pbx.MAC {
	return pbx.MAC(fmt.Sprintf("%s%06x", oui, suffix&0xffffff))
}
