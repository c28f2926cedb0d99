package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// PlanOptions steer the human rendering of a plan.
type PlanOptions struct {
	Unchanged bool // list unchanged rows too, not just count them
}

// WritePlan renders a plan for people: each row that changes something with
// its changes under it, invalid and conflicting rows with their problems,
// leavers, and the summary line.
func WritePlan(w io.Writer, p *plan.Plan, o PlanOptions) error {
	pw := &printer{w: w}
	pw.printf("Plan for company %s (%s) from %s\n", p.Company, p.Mode, orDash(p.Roster))
	shown := make([]bool, len(p.Changes))
	counts := map[plan.Status]int{}
	for _, r := range p.Rows {
		counts[r.Status]++
		if r.Status == plan.StatusUnchanged && !o.Unchanged && len(r.Problems) == 0 {
			continue
		}
		pw.printf("\n")
		if r.Line > 0 {
			pw.printf("row %d  %s  %s\n", r.Line, orDash(r.Key), r.Status)
		} else if p.File == plan.FileSeed || p.File != "" && p.Mode == plan.Reverting { // an object of a seed has no row
			pw.printf("%s  %s\n", r.Key, r.Status)
		} else {
			pw.printf("leaver %s  %s\n", r.Key, r.Status)
		}
		for _, pr := range r.Problems {
			writeProblem(pw, "  ", pr)
		}
		for _, i := range r.Changes {
			if shown[i] {
				pw.printf("  = %s %s (see above)\n", p.Changes[i].Kind, keyText(p.Changes[i]))
				continue
			}
			shown[i] = true
			writeChange(pw, "  ", &p.Changes[i])
		}
	}
	var rest []int
	for i := range p.Changes {
		if !shown[i] {
			rest = append(rest, i)
		}
	}
	if len(rest) > 0 {
		pw.printf("\nother changes\n")
		for _, i := range rest {
			writeChange(pw, "  ", &p.Changes[i])
		}
	}
	for _, n := range p.Notes {
		pw.printf("\nNote: %s\n", n)
	}
	pw.printf("\nPlan: %s.\n", p.Summary)
	pw.printf("Rows: %d to create, %d to update, %d to move, %d unchanged, %d invalid, %d in conflict",
		counts[plan.StatusCreated], counts[plan.StatusUpdated], counts[plan.StatusMoved],
		counts[plan.StatusUnchanged], counts[plan.StatusInvalid], counts[plan.StatusConflict])
	if n := counts[plan.StatusRenamed]; n > 0 {
		pw.printf("; %d to rename", n)
	}
	if n := counts[plan.StatusDeprovisioned]; n > 0 {
		pw.printf("; %d %s to deprovision", n, plural(n, "leaver"))
	}
	if n := counts[plan.StatusRemoved]; n > 0 {
		pw.printf("; %d to remove for good", n)
	}
	pw.printf(".\n")
	return pw.err
}

func writeChange(pw *printer, indent string, c *plan.Change) {
	pw.printf("%s%s %s %s", indent, c.Action.Symbol(), c.Kind, keyText(*c))
	if c.Action != plan.Create && c.Action != plan.Update {
		pw.printf(" (%s)", c.Action)
	}
	pw.printf("\n%s    # %s\n", indent, c.Reason)
	for _, f := range c.Fields.All() {
		switch {
		case c.Action == plan.Create:
			pw.printf("%s    %s = %s\n", indent, f.Field, quote(f.After))
		case c.Action == plan.Delete:
			pw.printf("%s    %s = %s -> (none)\n", indent, f.Field, quote(f.Before))
		default:
			pw.printf("%s    %s: %s -> %s\n", indent, f.Field, quote(f.Before), quote(f.After))
		}
	}
}

// keyText shows a change's key as people know it (a MAC with colons, a
// member as "+14155550100 for jdoe@acme.example").
func keyText(c plan.Change) string {
	switch c.Kind {
	case plan.KindMember:
		if e, u, err := plan.SplitMemberKey(c.Key); err == nil {
			return string(e) + " for " + string(u)
		}
	case plan.KindHuntMember:
		if g, u, err := plan.SplitHuntMemberKey(c.Key); err == nil {
			return g + " for " + string(u)
		}
	case plan.KindDevice:
		return pbx.MAC(c.Key).String()
	case plan.KindLine:
		mac, port, _ := strings.Cut(c.Key, "/")
		return pbx.MAC(mac).String() + " port " + port
	}
	return c.Key
}

func quote(s string) string {
	if s == "" {
		return `""`
	}
	return fmt.Sprintf("%q", s)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeProblem(pw *printer, indent string, p *pbx.Problem) {
	mark := "!"
	if !p.Blocking() {
		mark = "?"
	}
	pw.printf("%s%s %s %s: %s\n", indent, mark, cellText(p.Cell), p.Code, p.Message)
	if p.Hint != "" {
		pw.printf("%s    fix: %s\n", indent, p.Hint)
	}
}

// cellText names a cell as a spreadsheet user finds it: "C7 (MAC Address)".
func cellText(c pbx.Cell) string {
	if c.Row == 0 && c.Col < 0 {
		return "the file" // a problem of the whole file, its header
	}
	s := ""
	if c.Col >= 0 {
		s = c.ColLetter()
	} else {
		s = "row "
	}
	s += fmt.Sprint(c.Row)
	if c.Header != "" {
		s += " (" + c.Header + ")"
	}
	return s
}

// WritePlanJSON writes the plan as JSON, format plan.FormatVersion (see
// docs/json.md). A saved plan is this JSON.
func WritePlanJSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) printf(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format, args...)
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
