// Package plan holds the plan as data: every change a roster implies against
// the live state, with its before and after values, its reason and the roster
// rows that caused it. Planning is pure: no I/O. Stores apply a Plan; report
// renders one.
package plan

import (
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// FormatVersion is the version of the saved and JSON plan format.
const FormatVersion = 1

// Kind is the kind of object a change touches.
type Kind string

const (
	KindUser     Kind = "user"
	KindNumber   Kind = "number"
	KindDevice   Kind = "device"
	KindLine     Kind = "line" // a device port bound to a user; key "mac/port"
	KindLocation Kind = "location"
	// KindMember is a user's membership of a number besides being its
	// target (an outbound-only user may show it as caller ID); key
	// "e164/userid", see MemberKey. It is created and deleted, never updated.
	KindMember Kind = "member"
	// KindHuntMember is a user's place in a hunt group (the group rings its
	// members by position); key "groupid/userid", see HuntMemberKey. It is
	// created and deleted, never updated.
	KindHuntMember Kind = "huntmember"
)

// Action is what a change does.
type Action string

const (
	Create      Action = "create"      // a new user, device, device line, E911 location, number member or hunt group member
	Update      Action = "update"      // fields of an existing object
	Assign      Action = "assign"      // a pool number to a target
	Unassign    Action = "unassign"    // a number back to the pool, routing restored
	Move        Action = "move"        // a number or device from one user to another
	Deprovision Action = "deprovision" // a leaver: user disabled, never deleted
	Delete      Action = "delete"      // a device line freed, a number or hunt group member removed
	// Rename changes a user's login (Fields: user_id, before and after) in
	// place, keeping their numbers, devices, extension and history: a row
	// whose HR id a live user of another login holds (--manage external-id).
	Rename Action = "rename"
)

// Symbol is the one-character mark of an action in the human rendering.
func (a Action) Symbol() string {
	switch a {
	case Create, Assign:
		return "+"
	case Update:
		return "~"
	case Unassign, Deprovision, Delete:
		return "-"
	case Move:
		return "->"
	case Rename:
		return "~>"
	}
	return "?"
}

// Attribute names of each kind, used in FieldChange.Field. Values are strings:
// booleans "true"/"false", integers in decimal, "" for none.
const (
	// user
	AttrCompany      = "company"
	AttrSite         = "site"
	AttrFirstName    = "first_name"
	AttrLastName     = "last_name"
	AttrEmail        = "email"
	AttrExtension    = "extension"
	AttrStationType  = "station_type"
	AttrVoiceEnabled = "voice_enabled"
	AttrCallerID     = "caller_id"
	AttrStatus       = "status"
	AttrExternalID   = "external_id"
	// AttrDeprovisionedAt is the day a user was deprovisioned (YYYY-MM-DD),
	// set by a deprovision and cleared by a reactivation.
	AttrDeprovisionedAt = "deprovisioned_at"
	// number
	AttrTarget       = "target" // pbx.Target: "user:jdoe@acme.example", "" = pool
	AttrRouting      = "routing"
	AttrSavedRouting = "saved_routing"
	AttrLabel        = "label"
	AttrSMS          = "sms"
	AttrLocation     = "location"
	// device (AttrCompany too)
	AttrModel = "model"
	// line
	AttrUser   = "user"
	AttrNumber = "number"
	AttrLines  = "lines"
	// location (AttrCompany too)
	AttrStreet  = "street"
	AttrCity    = "city"
	AttrRegion  = "region"
	AttrPostal  = "postal"
	AttrCountry = "country"
	// member: its role (pbx.RoleOutboundOnly, pbx.RoleAssigned)
	AttrRole = "role"
	// hunt group member: its position in the group (1 rings first)
	AttrPosition = "position"
	// user, in a Rename: the login
	AttrUserID = "user_id"
)

// FieldChange is one attribute's value before and after a change.
type FieldChange struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Change is one change to one object of the live state.
type Change struct {
	Action  Action `json:"action"`
	Kind    Kind   `json:"kind"`
	Key     string `json:"key"`               // user ID, E.164, MAC, "mac/port", location ID, "e164/userid", "groupid/userid"
	Version int64  `json:"version,omitempty"` // the version the plan read; 0 for a create
	Fields  Fields `json:"fields,omitzero"`   // for a create, every attribute with Before ""
	Reason  string `json:"reason"`
	Rows    []int  `json:"rows,omitempty"` // roster rows that caused it
	// Reads are what the change relies on without writing it: indexes
	// into Plan.Reads. Applying refuses the change when one moved.
	Reads []int `json:"reads,omitempty"`
}

// After returns the value a change sets for field f, and whether it sets it.
func (c *Change) After(f string) (string, bool) {
	fc, ok := c.Fields.Get(f)
	return fc.After, ok
}

// Mode says what a roster's silence means.
type Mode string

const (
	// Onboard is additive: users and numbers the roster does not name are left alone.
	Onboard Mode = "onboard"
	// Sync makes the roster the truth for the users it manages: leavers are deprovisioned.
	Sync Mode = "sync"
	// Reverting is the mode of a plan made by Revert: the inverse of a run,
	// not a roster's.
	Reverting Mode = "revert"
	// Erasing is the mode of a plan made by Erase: deprovisioned users
	// removed for good once their retention period is over.
	Erasing Mode = "erase"
)

// Status is a roster row's outcome.
type Status string

const (
	StatusValid         Status = "valid" // validation only: the row may be planned
	StatusCreated       Status = "created"
	StatusUpdated       Status = "updated"
	StatusUnchanged     Status = "unchanged"
	StatusMoved         Status = "moved"
	StatusRenamed       Status = "renamed" // the user's login changes in place (HR id as identity)
	StatusDeprovisioned Status = "deprovisioned"
	StatusInvalid       Status = "invalid"  // a validation error: nothing planned for the row
	StatusConflict      Status = "conflict" // the live state stands in the way (number held elsewhere, stale row)
	StatusFailed        Status = "failed"   // apply failed for the row
	StatusSkipped       Status = "skipped"  // not applied because the run stopped or rolled back
)

// RowPlan is what the plan does for one roster row.
type RowPlan struct {
	Line     int            `json:"row"`
	Key      string         `json:"key"` // the user ID, or the raw value when it was invalid
	Status   Status         `json:"status"`
	Changes  []int          `json:"changes,omitempty"` // indexes into Plan.Changes
	Problems []*pbx.Problem `json:"problems,omitempty"`
}

// Summary counts the changes of a plan.
type Summary struct {
	Create      int `json:"create"`
	Change      int `json:"change"`
	Move        int `json:"move"`
	Deprovision int `json:"deprovision"`
	Invalid     int `json:"invalid_rows"`
	Conflict    int `json:"conflict_rows"`
}

// Plan is every change a roster implies against the live state.
type Plan struct {
	Format     int       `json:"format_version"`
	Company    string    `json:"company"`
	Mode       Mode      `json:"mode"`
	Roster     string    `json:"roster"`      // the file name
	RosterHash string    `json:"roster_hash"` // sha256 of its bytes
	CreatedAt  time.Time `json:"created_at"`
	Changes    []Change  `json:"changes"`
	Rows       []RowPlan `json:"rows"`
	Summary    Summary   `json:"summary"`
	Notes      []string  `json:"notes,omitempty"` // things a reader of the plan must know
	// Reads are the objects of the live state the changes rely on without
	// writing them, each with the version or state the plan read (see Read
	// and Change.Reads).
	Reads []Read `json:"reads,omitempty"`
	// OptionsHash is the sha256 of everything besides the roster and the
	// live state that shaped the plan: mapping profile, --set defaults,
	// read and plan options, company and pbxsync build (importer.OptionsHash).
	OptionsHash string `json:"options_hash,omitempty"`
	// Generation is the company's generation the plan was made against (see
	// pbx.State.Generation); 0 when not known.
	Generation int64 `json:"generation,omitempty"`
	// Replayable says the rows' outcomes depend only on the roster, the
	// options and what only a seed changes (sites, device catalogue,
	// company plan, the inventory of numbers): no row is in conflict or has
	// a problem found against the users and devices of the live state. Only
	// a run of a replayable plan can answer a later re-sync of the same
	// roster without reading it.
	Replayable bool `json:"replayable,omitempty"`
	// UnchangedSince, when set, is the run that applied the same roster
	// with the same options, after which nothing was written to the
	// company: the plan is empty, and its rows are that run's, unchanged,
	// taken without reading the roster's rows again.
	UnchangedSince int64 `json:"unchanged_since_run,omitempty"`
	// File is the kind of file the plan comes from when it is not a user
	// roster (FileNumbers, FileSites...; FileSeed for init --seed): only
	// such a plan may add numbers to the inventory or remove them.
	File FileKind `json:"file_kind,omitempty"`

	spill *spill // where the changes' field lists and reasons are, when not in memory (Spill)
	// the changes AppendWritten did not keep: how many, and their summary
	written    int
	writtenSum Summary
}

// Empty reports whether the plan changes nothing.
func (p *Plan) Empty() bool { return len(p.Changes) == 0 && p.written == 0 }

// Outcome is what applying one change did.
type Outcome struct {
	Change int    `json:"change"` // index into Plan.Changes
	Err    error  `json:"-"`
	Reason string `json:"error,omitempty"` // Err in domain words
}

// Result is what applying a plan did.
type Result struct {
	RunID    int64     `json:"run_id"`
	Applied  int       `json:"applied"`  // changes written
	Failed   []Outcome `json:"failed"`   // changes that failed, with the reason
	Rollback bool      `json:"rollback"` // the transaction was rolled back: nothing was written
}
