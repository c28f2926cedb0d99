package report

import (
	"bytes"
	"fmt"
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
