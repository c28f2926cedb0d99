package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

type validateOptions struct {
	store    storeFlags
	roster   rosterFlags
	format   string
	report   string
	annotate string
	quiet    bool
	summary  string
}

func runValidateCmd(ctx context.Context, e *env, args []string) int {
	var o validateOptions
	fs := newFlags(e, "validate", "ROSTER", `
Reads a roster (CSV or XLSX), maps its columns and checks every value and
row against the rules and the live state, without planning or changing
anything. Every problem names its row, column and value and says how to
fix it; the same mistake on many rows is shown as one group.
`+dayTwoHelp+rosterReachHelp+`
Exit status: 0 when every row is valid (warnings allowed), 3 when some
rows are invalid, 1 when the file or the store cannot be read.
--summary-json FILE also writes, however the command ends, a small JSON
file with the rows per status and the exit status, for a scheduled job or
a monitoring check to read instead of the logs.

Examples:
  pbxsync validate samples/demo/onboarding.xlsx
  pbxsync validate --report problems.xlsx hr-export.csv
  pbxsync validate --annotate survey.checked.xlsx survey.xlsx
  pbxsync validate --profile cucm --format json bat-export.csv
  pbxsync validate --kind numbers samples/daytwo/numbers.csv`)
	o.store.register(fs)
	o.roster.register(fs)
	fs.StringVar(&o.format, "format", "text", "stdout format: text (problems grouped by kind), json (a JSON line per row)")
	fs.StringVar(&o.report, "report", "", "also write a per-row report to this file (.csv, .jsonl or .xlsx)")
	fs.StringVar(&o.annotate, "annotate", "", annotateUsage)
	fs.BoolVar(&o.quiet, "quiet", false, "no progress display")
	registerSummary(fs, &o.summary)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 1, "one roster file") {
		return exitFatal
	}
	sum := newRunSummary("validate", o.summary, o.store.company)
	if err := checkOutputs(o.report, o.annotate, pos[0]); err != nil {
		return sum.finish(ctx, e, sum.fail(e, err))
	}
	return sum.finish(ctx, e, runValidate(ctx, e, o, pos[0], sum))
}

func runValidate(ctx context.Context, e *env, o validateOptions, path string, sum *runSummary) int {
	src, err := o.roster.source(path)
	if err != nil {
		return sum.fail(e, err)
	}
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return sum.fail(e, err)
	}
	defer st.Close()
	// The planner, pure and cheap, finds what stands in the way in the live
	// state (a number or extension someone else holds): validate shows those
	// rows as conflicts, as plan would.
	start := time.Now()
	// Full: validating is checking every row, never answering from an
	// earlier run (whose options a validation's would not match anyway).
	p, c, err := importer.Plan(ctx, st, src, importer.Options{Company: o.store.company, Full: true, Progress: report.NewProgress(e.stderr, e.stderrTTY, o.quiet)})
	sum.checked(c)
	if c == nil || err != nil && !errors.Is(err, pbx.ErrRead) {
		return sum.fail(e, err)
	}
	sum.stage("validate", start)
	start = time.Now()
	defer func() { sum.stage("report", start) }()
	lines := checkedLines(c, p)
	sum.s.Rows = report.CountRows(lines)
	problems := c.Problems
	conflicts := 0
	if p != nil {
		for _, r := range p.Rows {
			if r.Status == plan.StatusConflict {
				conflicts++
				problems = append(problems, r.Problems...)
			}
		}
	}
	if err := annotate(e, o.annotate, path, src, lines, problems); err != nil {
		return sum.fail(e, err)
	}
	if o.report != "" {
		if err := report.WriteRowsFile(o.report, lines); err != nil {
			return sum.fail(e, err)
		}
		fmt.Fprintf(e.stderr, "wrote a report of %d rows to %s\n", len(lines), o.report)
	}
	switch o.format {
	case "text":
		err = report.WriteProblems(e.stdout, report.CheckSummary{File: c.File, Profile: c.Profile, Total: c.Total,
			Invalid: len(c.Invalid) + conflicts, Unknown: c.Unknown, Problems: problems})
	case "json":
		err = report.WriteRows(e.stdout, report.JSONL, lines)
	default:
		err = fmt.Errorf("--format %q: want text or json", o.format)
	}
	if err != nil {
		return sum.fail(e, err)
	}
	if !c.Valid() || conflicts > 0 {
		return exitPartial
	}
	return exitOK
}

// checkedLines is the per-row report of a validation: each row valid,
// invalid or in conflict, with its problems. p is nil when the header
// stopped the planning.
func checkedLines(c *importer.Checked, p *plan.Plan) []report.Line {
	if p == nil {
		p = &plan.Plan{Roster: c.File}
		for _, r := range c.Rows {
			p.Rows = append(p.Rows, plan.RowPlan{Line: r.Line, Key: string(r.User.ID), Status: plan.StatusValid})
		}
		warnings := map[int][]int{}
		for i := range p.Rows {
			warnings[p.Rows[i].Line] = append(warnings[p.Rows[i].Line], i)
		}
		for _, pr := range c.Problems {
			for _, i := range warnings[pr.Cell.Row] {
				p.Rows[i].Problems = append(p.Rows[i].Problems, pr)
			}
		}
		p.AddRows(c.Invalid)
	}
	lines := report.Lines(p)
	for i := range lines {
		switch lines[i].Status {
		case plan.StatusInvalid, plan.StatusConflict:
		default: // created, updated, unchanged...: nothing is applied here
			lines[i].Status, lines[i].Actions = plan.StatusValid, nil
		}
	}
	return lines
}
