package pbx

import (
	"fmt"
	"strconv"
	"strings"
)

// Company is an account of the cloud PBX.
type Company struct {
	ID   string
	Name string
	Plan string // plan tier, e.g. "C1", "C2"
	SMS  bool   // the plan includes messaging (DOMAIN rule 10)
}

// Site belongs to a company and sets the rules of its dial plan.
type Site struct {
	Company     string
	Code        string
	Name        string
	Region      string     // default region for parsing numbers, "US"
	ExtLen      int        // extension length, 0 = any of 2..8
	OwnDialPlan bool       // extensions are unique per site, not per company
	Reserved    []ExtRange // extensions that may not be given to users
	E911        string     // the ID of its default E911 location, "" for none
}

// ExtRange is an inclusive range of extensions, compared as numbers of the
// same length ("9000".."9999"); "911".."911" reserves a single one.
type ExtRange struct{ From, To string }

// CheckExtension reports whether e fits the site: its length and reserved ranges.
func (s *Site) CheckExtension(e Extension) error {
	if s.ExtLen > 0 && len(e) != s.ExtLen {
		return fmt.Errorf("%w: %q has %d digits; site %s uses %d", ErrExtension, e, len(e), s.Code, s.ExtLen)
	}
	for _, r := range s.Reserved {
		if len(r.From) == len(e) && string(e) >= r.From && string(e) <= r.To {
			return fmt.Errorf("%w: %q is in the reserved range %s-%s of site %s", ErrExtension, e, r.From, r.To, s.Code)
		}
	}
	return nil
}

// ExtScope is the scope in which the site's extensions must be unique: the
// site code where the site has its own dial plan, else "" (the company).
func (s *Site) ExtScope() string {
	if s != nil && s.OwnDialPlan {
		return s.Code
	}
	return ""
}

// UserStatus says whether a user can use the service.
type UserStatus string

const (
	StatusActive        UserStatus = "active"
	StatusDeprovisioned UserStatus = "deprovisioned"
)

// User is a person with a login on the PBX.
type User struct {
	ID           UserID
	Company      string
	Site         string
	FirstName    string
	LastName     string
	Email        string
	Extension    Extension
	StationType  string // "premium", "standard", ...
	VoiceEnabled bool   // only voice-enabled users can be given a number (rule 7)
	CallerID     string // "" = own number; an E.164 number; "anonymous"
	Status       UserStatus
	ExternalID   string // the HR system's id, for syncs
	// DeprovisionedAt is the day the user was deprovisioned (YYYY-MM-DD):
	// the extension hold and erasure count from it. "" while active, and
	// for a user deprovisioned before pbxsync recorded the day.
	DeprovisionedAt string
	Version         int64
}

// TargetKind is what a phone number rings.
type TargetKind string

const (
	TargetNone          TargetKind = ""
	TargetUser          TargetKind = "user"
	TargetHuntGroup     TargetKind = "huntgroup"
	TargetAutoAttendant TargetKind = "autoattendant"
)

// Target names what a number is assigned to: "user:jdoe@acme.example",
// "huntgroup:sales", or "" (the company pool).
type Target string

// MakeTarget builds a Target of a kind and key.
func MakeTarget(k TargetKind, key string) Target {
	if k == TargetNone {
		return ""
	}
	return Target(string(k) + ":" + key)
}

// UserTarget is the target of a number assigned to u.
func UserTarget(u UserID) Target { return MakeTarget(TargetUser, string(u)) }

// Split returns the kind and key of a target.
func (t Target) Split() (TargetKind, string) {
	k, key, ok := strings.Cut(string(t), ":")
	if !ok {
		return TargetNone, ""
	}
	return TargetKind(k), key
}

// User returns the user a number is assigned to, or "".
func (t Target) User() UserID {
	if k, key := t.Split(); k == TargetUser {
		return UserID(key)
	}
	return ""
}

// Routing says where a number's calls go: "ext:4021", "aa:main", "vm:4021", "".
type Routing string

// ExtRouting is the routing of a number assigned to a user with extension e.
func ExtRouting(e Extension) Routing { return Routing("ext:" + string(e)) }

// TargetRouting is the routing of a number assigned to a hunt group
// ("hg:sales") or an auto attendant ("aa:main"); "" for any other target.
func TargetRouting(t Target) Routing {
	switch k, key := t.Split(); k {
	case TargetHuntGroup:
		return Routing("hg:" + key)
	case TargetAutoAttendant:
		return Routing("aa:" + key)
	}
	return ""
}

// Number is a phone number (DID) of the company's inventory.
type Number struct {
	E164           E164
	Company        string
	Site           string
	Label          string  // "phone name"
	Target         Target  // "" = company pool
	Routing        Routing // default call routing
	SavedRouting   Routing // routing before a user was assigned, restored on un-assign
	HolidayRouting Routing // never touched by assign or un-assign
	SMS            bool
	Location       string // E911 location ID
	Version        int64
}

// Assigned reports whether the number is out of the company pool.
func (n *Number) Assigned() bool { return n.Target != "" }

// MemberRole is how a user shares a number (seed 004).
type MemberRole string

const (
	RoleAssigned     MemberRole = "assigned"
	RoleOutboundOnly MemberRole = "outbound-only"
)

// Member is a user's access to a number besides being its target.
type Member struct {
	Number E164
	User   UserID
	Role   MemberRole
}

// DeviceKind is the sort of endpoint.
type DeviceKind string

const (
	KindDeskPhone  DeviceKind = "deskphone"
	KindATA        DeviceKind = "ata"
	KindSoftClient DeviceKind = "softclient"
)

// DeviceModel is an entry of the device catalogue.
type DeviceModel struct {
	Name     string // "yealink-t42g", lower case
	Vendor   string
	Kind     DeviceKind
	Ports    int      // VoIP phones 1, ATAs 2..N
	MaxLines int      // line appearances per port
	OUIs     []string // vendor MAC prefixes, for a warning when they do not match
}

// Device is a phone or ATA, known by its MAC.
type Device struct {
	MAC     MAC
	Company string
	Model   string
	Version int64
}

// DeviceLine binds a user (and the number that rings) to a port of a device.
type DeviceLine struct {
	MAC     MAC
	Port    int
	User    UserID
	Number  E164
	Lines   int // line appearances
	Version int64
}

// LineKey is the key of a device line: "0004f2abcdef/1".
func LineKey(m MAC, port int) string { return string(m) + "/" + strconv.Itoa(port) }

// SplitLineKey splits a device line's key, "0004f2abcdef/1", into its MAC
// and port.
func SplitLineKey(key string) (string, int, error) {
	i := strings.LastIndexByte(key, '/')
	if i <= 0 {
		return "", 0, fmt.Errorf("%w: line key %q is not MAC/PORT", ErrInvalid, key)
	}
	port, err := strconv.Atoi(key[i+1:])
	if err != nil {
		return "", 0, fmt.Errorf("%w: line key %q: port %q is not a number", ErrInvalid, key, key[i+1:])
	}
	return key[:i], port, nil
}

// Address is a civic address for emergency services.
type Address struct {
	Street  string
	City    string
	Region  string // state or province
	Postal  string
	Country string // ISO 3166 alpha-2
}

// Location is an E911 location.
type Location struct {
	ID      string
	Company string
	Address
	Version int64
}

// LocationID derives a stable ID from an address, so the same address given
// on many rows is one location.
func LocationID(a Address) string {
	return strings.ToLower(strings.Join([]string{a.Country, a.Postal, a.Street}, "|"))
}

// HuntGroup and AutoAttendant are targets a number can route to. A hunt
// group rings its members in order.
type HuntGroup struct {
	ID, Company, Name string
	Extension         Extension
	Members           []HuntMember // in order of position
}

// HuntMember is a user's place in a hunt group: the group rings its members
// by position, lowest first. Positions are whole numbers from 1, unique in
// the group, not always consecutive (a member removed leaves a gap).
type HuntMember struct {
	User     UserID
	Position int
}

// NextPosition is the position after the group's last member.
func (g *HuntGroup) NextPosition() int {
	p := 0
	for _, m := range g.Members {
		p = max(p, m.Position)
	}
	return p + 1
}

// Member returns user u's place in the group and whether u is a member.
func (g *HuntGroup) Member(u UserID) (HuntMember, bool) {
	for _, m := range g.Members {
		if m.User == u {
			return m, true
		}
	}
	return HuntMember{}, false
}

type AutoAttendant struct {
	ID, Company, Name string
	Extension         Extension
}
