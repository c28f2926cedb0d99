package roster

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestError(t *testing.T) {
	tests := []struct {
		name  string
		err   *Error
		where string
		cause error
	}{
		{"file", &Error{File: "r.csv", Msg: "m", Hint: "h"}, "r.csv: ", nil},
		{"row", &Error{File: "r.csv", Row: 7, Msg: "m", Hint: "h", Err: fs.ErrClosed}, "r.csv:7: ", fs.ErrClosed},
		{"sheet row", &Error{File: "r.xlsx", Sheet: "Users", Row: 7, Msg: "m"}, "r.xlsx:Users!7: ", nil},
		{"sheet", &Error{File: "r.xlsx", Sheet: "Users", Msg: "m"}, "r.xlsx:Users: ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !errors.Is(tt.err, pbx.ErrRead) {
				t.Error("does not wrap pbx.ErrRead")
			}
			if tt.cause != nil && !errors.Is(tt.err, tt.cause) {
				t.Error("does not wrap its cause")
			}
			if msg := tt.err.Error(); !strings.HasPrefix(msg, tt.where) {
				t.Errorf("Error() = %q, want it to start with %q", msg, tt.where)
			}
		})
	}
}
