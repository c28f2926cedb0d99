package report

import (
	"io"
	"sort"

	"github.com/pbxsync/pbxsync/pbx"
)

// CheckSummary is what validation found in a roster, for WriteProblems.
type CheckSummary struct {
	File     string
	Profile  string
	Total    int // data rows
	Invalid  int // rows with blocking problems
	Unknown  []string
	Problems []*pbx.Problem
}

// WriteProblems renders a roster's problems grouped by kind (code), each
// with its cells, so the same mistake made on fifty rows reads as one group.
func WriteProblems(w io.Writer, s CheckSummary) error {
	pw := &printer{w: w}
	pw.printf("%s: %d rows, %d valid, %d invalid (mapping profile %s)\n", s.File, s.Total, s.Total-s.Invalid, s.Invalid, s.Profile)
	if len(s.Unknown) > 0 {
		pw.printf("ignored columns (no field takes them): %s\n", joinQuoted(s.Unknown))
	}
	// A code's problems that block their rows and those that do not (a
	// ragged row may be either) are two groups: an error is never listed
	// as a warning.
	groups := map[string][]*pbx.Problem{}
	var codes []string
	for _, p := range s.Problems {
		key := p.Code
		if !p.Blocking() {
			key += " (warning)"
		}
		if _, ok := groups[key]; !ok {
			codes = append(codes, key)
		}
		groups[key] = append(groups[key], p)
	}
	sort.SliceStable(codes, func(i, j int) bool {
		a, b := groups[codes[i]][0], groups[codes[j]][0]
		if a.Blocking() != b.Blocking() {
			return a.Blocking()
		}
		return codes[i] < codes[j]
	})
	for _, code := range codes {
		ps := groups[code]
		kind := "error"
		if !ps[0].Blocking() {
			kind = "warning"
		}
		pw.printf("\n%s %s (%d)\n", kind, ps[0].Code, len(ps))
		for _, p := range ps {
			pw.printf("  %s: %s\n", cellText(p.Cell), p.Message)
		}
		if h := ps[0].Hint; h != "" && sameHint(ps) {
			pw.printf("  fix: %s\n", h)
		} else {
			for _, p := range ps {
				if p.Hint != "" {
					pw.printf("  fix %s: %s\n", cellText(p.Cell), p.Hint)
				}
			}
		}
	}
	if len(s.Problems) == 0 {
		pw.printf("no problems found\n")
	}
	return pw.err
}

func sameHint(ps []*pbx.Problem) bool {
	for _, p := range ps[1:] {
		if p.Hint != ps[0].Hint {
			return false
		}
	}
	return true
}

func joinQuoted(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += `"` + s + `"`
	}
	return out
}
