package report

import (
	"reflect"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// Lines added slice by slice come back as they were (the rows of their
// messages' cells too, which Annotate reads), in row order, leavers last.
func TestLineSpillRoundTrip(t *testing.T) {
	s, err := NewLineSpill(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	mk := func(row int, status string, msgRow int) Line {
		l := Line{Row: row, Key: "u" + status, Status: "created", Actions: []string{}, Messages: []Message{}}
		if msgRow >= 0 {
			l.Status = "invalid"
			l.Messages = append(l.Messages, Message{Severity: pbx.SevError, Code: "email.invalid", Column: "C", Value: "x", Message: "bad", row: msgRow})
		} else {
			l.Actions = append(l.Actions, "create user u"+status)
		}
		return l
	}
	slice1 := []Line{mk(2, "a", -1), mk(7, "b", 7), mk(0, "leaver", -1)}
	slice2 := []Line{mk(3, "c", 9), mk(5, "d", -1)}
	if err := s.Add(slice1); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(slice2); err != nil {
		t.Fatal(err)
	}
	got, err := s.Lines()
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{slice1[0], slice2[0], slice2[1], slice1[1], slice1[2]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}
