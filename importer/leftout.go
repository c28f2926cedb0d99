package importer

import (
	"fmt"
	"slices"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// leftOutNotes turns the warnings of roster lines that have no row in the
// plan into notes of the plan: lines the validator left out whole (a phone
// with no owner, a number with no user), which the plan would otherwise not
// show at all.
func leftOutNotes(p *plan.Plan, warnings map[int][]*pbx.Problem) []string {
	return notesOf(leftOutLines(p, warnings), warnings)
}

// leftOutLines are the lines of warnings that have no row in p, in order.
func leftOutLines(p *plan.Plan, warnings map[int][]*pbx.Problem) []int {
	planned := make(map[int]bool, len(p.Rows))
	for _, r := range p.Rows {
		planned[r.Line] = true
	}
	var lines []int
	for line := range warnings {
		if !planned[line] {
			lines = append(lines, line)
		}
	}
	slices.Sort(lines)
	return lines
}

// notesOf are the notes of the warnings of lines left out.
func notesOf(lines []int, warnings map[int][]*pbx.Problem) []string {
	var notes []string
	for _, line := range lines {
		for _, w := range warnings[line] {
			notes = append(notes, fmt.Sprintf("row %d left out: %s: %s", line, w.Code, w.Message))
		}
	}
	return notes
}
