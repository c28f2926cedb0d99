package roster

import (
	"github.com/pbxsync/pbxsync/pbx"
)

// Error is a failure to read a roster, as a whole (Row 0) or at one row. It
// wraps pbx.ErrRead and, when there is one, the underlying cause.
type Error struct {
	File  string
	Sheet string
	Row   int    // row as the user sees it; 0 when not about one row
	Msg   string // what went wrong
	Hint  string // how to fix it
	Err   error  // the cause, or nil
}

func (e *Error) Error() string {
	where := e.File
	if e.Row > 0 {
		where = pbx.Cell{File: e.File, Sheet: e.Sheet, Row: e.Row, Col: -1}.String()
	} else if e.Sheet != "" {
		where += ":" + e.Sheet
	}
	s := where + ": " + pbx.ErrRead.Error() + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

// Unwrap returns pbx.ErrRead and the cause.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{pbx.ErrRead}
	}
	return []error{pbx.ErrRead, e.Err}
}
