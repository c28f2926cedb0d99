package report_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/report"
)

func TestWriteProblems(t *testing.T) {
	p := fixturePlan(t)
	var ps []*pbx.Problem
	for _, r := range p.Rows {
		ps = append(ps, r.Problems...)
	}
	// the same mistake on two more rows, one with a hint of its own
	ps = append(ps,
		&pbx.Problem{Cell: pbx.Cell{Row: 9, Col: 6, Header: "MAC Address"}, Severity: pbx.SevError, Code: "mac.multicast",
			Value: "01:00:5E:00:00:09", Message: "01:00:5E:00:00:09 is a multicast address, not a phone's", Hint: "copy the MAC from the label on the back of the phone"},
		&pbx.Problem{Cell: pbx.Cell{Row: 10, Col: 5, Header: "Phone Number"}, Severity: pbx.SevError, Code: "number.invalid",
			Value: "12", Message: `"12" is not a phone number`, Hint: "give all ten digits"},
	)
	var b bytes.Buffer
	err := report.WriteProblems(&b, report.CheckSummary{File: "roster.csv", Profile: "pbxsync", Total: 9, Invalid: 4,
		Unknown: []string{"Desk", "Notes"}, Problems: ps})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "problems.txt", b.Bytes())

	b.Reset()
	if err := report.WriteProblems(&b, report.CheckSummary{File: "clean.csv", Profile: "pbxsync", Total: 3}); err != nil {
		t.Fatal(err)
	}
	golden(t, "problems_none.txt", b.Bytes())
}

// TestWriteProblemsDemo renders the problems the real pipeline finds in
// the demo roster: each of its six mistakes under its code, with its cell
// (the wording is validate's, tested there).
func TestWriteProblemsDemo(t *testing.T) {
	for _, tt := range []struct {
		name   string
		offset int // rows under a title in the workbook
	}{{"onboarding.csv", 0}, {"onboarding.xlsx", 2}} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := importer.Check(context.Background(), demoStore(t), importer.Source{Path: filepath.Join(demo, tt.name)}, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			err = report.WriteProblems(&b, report.CheckSummary{File: c.File, Profile: c.Profile, Total: c.Total,
				Invalid: len(c.Invalid), Unknown: c.Unknown, Problems: c.Problems})
			if err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if first := lines(out)[0]; first != tt.name+": 12 rows, 6 valid, 6 invalid (mapping profile pbxsync)" {
				t.Errorf("first line %q", first)
			}
			groups := strings.Split(out, "\n\n")[1:]
			if len(groups) != 6 {
				t.Fatalf("%d groups, want 6:\n%s", len(groups), out)
			}
			for row, w := range wantDemo {
				if w.code == "" {
					continue
				}
				cell := fmt.Sprintf("  %s%d (", w.col, row+tt.offset)
				found := false
				for _, g := range groups {
					found = found || strings.HasPrefix(g, "error "+w.code+" (1)\n"+cell) && strings.Contains(g, "\n  fix: ")
				}
				if !found {
					t.Errorf("no group %s with cell %s and a fix:\n%s", w.code, cell, out)
				}
			}
		})
	}
}

// A code some of whose problems block their rows and some not (a ragged
// row) is two groups: the blocking ones are never listed as warnings.
func TestWriteProblemsSeverityGroups(t *testing.T) {
	ps := []*pbx.Problem{
		{Cell: pbx.Cell{Row: 3, Col: -1}, Severity: pbx.SevWarning, Code: "row.ragged", Message: "the missing cells are read as empty"},
		{Cell: pbx.Cell{Row: 5, Col: -1}, Severity: pbx.SevError, Code: "row.ragged", Message: "2 value(s) are in no column"},
		{Cell: pbx.Cell{Col: -1}, Severity: pbx.SevError, Code: "header.no_user_columns", Message: "no user columns"},
	}
	var b strings.Builder
	if err := report.WriteProblems(&b, report.CheckSummary{File: "r.csv", Total: 4, Invalid: 1, Problems: ps}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"error row.ragged (1)\n  row 5: 2 value(s) are in no column\n",
		"warning row.ragged (1)\n  row 3: the missing cells are read as empty\n",
		"error header.no_user_columns (1)\n  the file: no user columns\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
