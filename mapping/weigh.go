package mapping

import (
	"fmt"
	"strings"
)

// sharesColumn reports whether a rule takes part of a column another field
// may take too: a name split in first and last, a CUCM device name.
func sharesColumn(r *Rule) bool { return r.NamePart != "" || r.CUCMDevice != "" }

// weigh checks a candidate's values: the sampled cells of its first column
// (or its join), through its transforms, each against the field's parser.
// It returns the placement's figures, and a failing value when fewer than
// MinShare of them pass.
func weigh(c candidate, samples [][]string) (Placed, string) {
	pl := Placed{Field: c.field, By: c.by}
	pipe, err := compilePipeline(&c.rule.Source)
	if err != nil {
		return pl, "(transform: " + err.Error() + ")"
	}
	failed := ""
	for _, row := range samples {
		var text string
		if len(c.rule.Join) > 0 {
			text = joinCells(row, c.cols, " ")
		} else {
			text = cellAt(row, c.cols[0])
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		var v Value
		pipe.apply(&v, text, "")
		vals := v.Parts
		if vals == nil {
			vals = []string{v.Text}
		}
		good := true
		for _, x := range vals {
			if !parses(c.field, x) {
				good = false
			}
		}
		pl.Sampled++
		if good {
			pl.Passed++
			if len(pl.Values) < 3 && !containsString(pl.Values, text) {
				pl.Values = append(pl.Values, text)
			}
		} else if failed == "" {
			failed = text
		}
	}
	if pl.Sampled == 0 {
		pl.Confidence = c.strength / 2 // the header alone
		return pl, ""
	}
	share := float64(pl.Passed) / float64(pl.Sampled)
	pl.Confidence = c.strength * share
	if share < MinShare {
		return pl, failed
	}
	return pl, ""
}

// comment is the line Marshal writes above the field in the draft.
func (pl *Placed) comment() string {
	if len(pl.Headers) == 0 {
		return pl.By
	}
	s := fmt.Sprintf("confidence %.2f, by %s", pl.Confidence, pl.By)
	if pl.Sampled == 0 {
		return s + "; its sampled cells are empty"
	}
	return s + fmt.Sprintf("; %d of %d values pass: %s", pl.Passed, pl.Sampled, quoteList(pl.Values))
}

// sampleOf is the first non-empty sampled value of column col.
func sampleOf(samples [][]string, col int) string {
	for _, row := range samples {
		if v := strings.TrimSpace(cellAt(row, col)); v != "" {
			return v
		}
	}
	return ""
}
