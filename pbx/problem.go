package pbx

import (
	"errors"
	"fmt"
)

// Sentinel errors. Problems and store errors wrap them; test with errors.Is.
var (
	ErrUserID    = errors.New("invalid user ID")
	ErrMAC       = errors.New("invalid MAC address")
	ErrNumber    = errors.New("invalid phone number")
	ErrExtension = errors.New("invalid extension")
	ErrInvalid   = errors.New("invalid value")
	ErrRead      = errors.New("unreadable roster")
	ErrConflict  = errors.New("conflict with the live state")
	ErrDuplicate = errors.New("duplicate in the roster")
	ErrNotFound  = errors.New("not found")
	ErrStale     = errors.New("changed since it was planned")
	ErrLocked    = errors.New("another run holds the company")
	ErrRefused   = errors.New("refused") // a safety rail: a limit, a missing --yes or --manage, a stale or empty run
)

// Severity says whether a problem blocks its row.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Problem is one thing wrong with a roster: where (the cell), what (a stable
// code such as "mac.multicast" and the value as given), and how to fix it.
type Problem struct {
	Cell     Cell     `json:"cell"`
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`           // stable, dotted: "mac.multicast", "number.taken"
	Value    string   `json:"value"`          // the value as the file gave it
	Message  string   `json:"message"`        // one line: what is wrong
	Hint     string   `json:"hint,omitempty"` // one line: how to fix it
	Err      error    `json:"-"`              // the sentinel it wraps
}

func (p *Problem) Error() string {
	s := fmt.Sprintf("%s: %s: %s", p.Cell, p.Code, p.Message)
	if p.Hint != "" {
		s += " (" + p.Hint + ")"
	}
	return s
}

func (p *Problem) Unwrap() error { return p.Err }

// Blocking reports whether the problem stops its row.
func (p *Problem) Blocking() bool { return p.Severity != SevWarning }
