package report

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// The CSV report written a chunk of records at a time is the report
// written in one piece, header and all, at every length around a chunk.
func TestWriteRowsCSVInChunks(t *testing.T) {
	line := func(i int) Line {
		l := Line{Row: i + 2, Key: fmt.Sprintf("u%d@acme.example", i), Status: plan.StatusCreated,
			Actions: []string{"create user u" + fmt.Sprint(i), "assign number +1415555" + fmt.Sprintf("%04d", i%10000)}}
		if i%7 == 0 {
			l.Status = plan.StatusInvalid
			l.Actions = nil
			l.Messages = []Message{{Severity: pbx.SevError, Code: "email.invalid", Column: "D", Header: "Email", Value: "=cmd", Message: "not an e-mail, \"quoted\"\nnext line"}}
		}
		return l
	}
	for _, n := range []int{0, 1, csvChunk - 1, csvChunk, csvChunk + 1, 2*csvChunk + 5} {
		lines := make([]Line, n)
		for i := range lines {
			lines[i] = line(i)
		}
		var got, want bytes.Buffer
		if err := WriteRows(&got, CSV, lines); err != nil {
			t.Fatal(err)
		}
		recs := make([]reportRecord, n)
		for i, l := range lines {
			recs[i] = l.record()
		}
		if err := writeCSV(&want, recs); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%d lines: the report in chunks differs from the report in one piece (%d bytes, want %d)", n, got.Len(), want.Len())
		}
		if n > 0 && strings.Count(got.String(), "u0@acme.example") != 1 {
			t.Fatalf("%d lines: the first line is not written once", n)
		}
	}
}

// The text table written line by line, its widths found first, is the
// table text/tabwriter aligns, byte for byte: wide and narrow cells,
// non-ASCII keys, leavers, empty actions, messages under their rows; and
// lines with a tab or a line feed in their text go through tabwriter.
func TestWriteTableAsTabwriter(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	keys := []string{"", "kim@acme.example", "zoë.ångström@acme.example", "a", strings.Repeat("x", 70)}
	statuses := []plan.Status{plan.StatusCreated, plan.StatusInvalid, plan.StatusUnchanged, plan.StatusDeprovisioned}
	for trial := range 30 {
		lines := make([]Line, rnd.IntN(200))
		for i := range lines {
			l := Line{Row: rnd.IntN(3) * (i + 2), Key: keys[rnd.IntN(len(keys))], Status: statuses[rnd.IntN(len(statuses))]}
			for range rnd.IntN(4) {
				l.Actions = append(l.Actions, fmt.Sprintf("create number +1650555%04d", 100+i+len(l.Actions)))
			}
			for range rnd.IntN(3) {
				l.Messages = append(l.Messages, Message{Severity: pbx.SevWarning, Code: "x.y", Column: "B", Message: "café " + keys[rnd.IntN(len(keys))]})
			}
			lines[i] = l
		}
		if trial%3 == 2 && len(lines) > 0 {
			odd := []string{"a\tb", "two\nlines", "feed\f", "esc\xff"}
			lines[rnd.IntN(len(lines))].Messages = []Message{{Severity: pbx.SevError, Code: "v", Message: odd[rnd.IntN(len(odd))]}}
		}
		var got, want bytes.Buffer
		if err := writeTable(&got, lines); err != nil {
			t.Fatal(err)
		}
		if err := writeTabwriter(&want, lines); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("trial %d: the table differs from tabwriter's:\n--- tabwriter\n%s--- written\n%s", trial, want.String(), got.String())
		}
	}
}
