package plan

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// Scope says which live users a sync manages: those not on the roster are
// leavers. It must be explicit, so a sync of one site never touches another.
type Scope struct {
	All      bool   // every user of the company
	Site     string // the users of one site
	External bool   // the users that carry an external (HR) id
}

// Manages reports whether a live user is in the scope.
func (s Scope) Manages(u *pbx.User) bool {
	switch {
	case s.All:
		return true
	case s.Site != "":
		return u.Site == s.Site
	case s.External:
		return u.ExternalID != ""
	}
	return false
}

// Empty reports whether no scope was chosen.
func (s Scope) Empty() bool { return !s.All && s.Site == "" && !s.External }

func (s Scope) String() string {
	switch {
	case s.All:
		return "all users"
	case s.Site != "":
		return "site " + s.Site
	case s.External:
		return "users with an external id"
	}
	return "nobody"
}

// Defaults of the removal limit. The share applies only once more than
// minRemoveForPct users would go, so a small company can lose one person.
// Leavers by a row's status or exit date are not counted: only users who
// are managed but missing from the roster are (a truncated export).
const (
	DefaultMaxRemove    = 100
	DefaultMaxRemovePct = 20.0
	minRemoveForPct     = 3
)

// Options steer planning.
type Options struct {
	Mode   Mode
	Manage Scope // Sync only: which users the roster is the truth for
	// Take lets the roster take a number or device port held by someone the
	// roster does not name (or by a hunt group or auto attendant), as an
	// explicit move. Without it that is a conflict.
	Take bool
	// ExtensionHoldDays is how many days a deprovisioned user's extension
	// is held for them (pbx.User.ExtensionHold): while held, only Take
	// reclaims it; after, any row may have it, the plan clearing it from
	// them as a visible change. 0 means pbx.DefaultExtensionHoldDays; a
	// negative value releases it at once.
	ExtensionHoldDays int
	// Incomplete says some rows could not be read, mapped or validated. An
	// invalid row looks like a leaver, so no removals are planned at all.
	Incomplete bool
	// MaxRemove and MaxRemovePct bound the users a sync may deprovision, as
	// a count and as a share of the managed users; 0 means the default.
	MaxRemove    int
	MaxRemovePct float64
	// Force goes past the removal limit.
	Force bool
	// Today is the date ("2026-12-07") rows' exit dates are judged by: a
	// row whose exit date is after it stays active. "" is the current date
	// in UTC. It is not part of what a saved plan's options are (a plan
	// made yesterday is not stale for the date alone).
	Today string `json:"-"`
}

// LimitError is a plan refused by the removal limit. It wraps pbx.ErrRefused.
type LimitError struct {
	Leavers, Managed int
	MaxRemove        int
	MaxRemovePct     float64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("the plan would deprovision %d of %d managed users missing from the roster, over the limit "+
		"(more than %d users, or more than %.0f%% of them once more than %d would go): "+
		"if the roster is complete, run again with --force-removals, a higher --max-remove or --max-remove-pct",
		e.Leavers, e.Managed, e.MaxRemove, e.MaxRemovePct, minRemoveForPct)
}

func (e *LimitError) Unwrap() error { return pbx.ErrRefused }

// HoldDays is the extension hold of o in days (ExtensionHoldDays).
func (o Options) HoldDays() int {
	switch {
	case o.ExtensionHoldDays == 0:
		return pbx.DefaultExtensionHoldDays
	case o.ExtensionHoldDays < 0:
		return -1
	}
	return o.ExtensionHoldDays
}
