package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

type applyOptions struct {
	store    storeFlags
	roster   rosterFlags
	plan     planFlags
	yes      bool
	strict   bool
	detailed bool
	atomic   bool
	format   string
	report   string
	annotate string
	quiet    bool
	summary  string
}

func runApplyCmd(ctx context.Context, e *env, args []string) int {
	var o applyOptions
	fs := newFlags(e, "apply", "ROSTER | PLAN.json", `
Plans a roster against the live state and applies the plan, holding the
company's lock, in batches of 2,500 rows, each batch one transaction that
is written whole or not at all (--atomic: the whole plan in one); or
applies a plan saved by 'pbxsync plan --out', in one transaction. Every
update checks that the row is as the plan saw it: a row changed since
fails and is named, and the rest is written; a saved plan is refused
whole, naming every changed row. When another run holds the company, apply
waits for it (up to 5 s, then refuses naming it), then plans the roster
again against what that run left (and says what changed); a saved plan is
then refused as stale. Writes a
report for every row to stdout (and to --report), then the annotated copy
(--annotate).

Numbers and extensions "auto" (or blank, with --allocate numbers,extensions)
are taken from the company's pool as 'pbxsync plan --help' says; applying
the same roster again picks nothing new. A row with a phone and a number
and no user creates a common-area phone (its device and line, no user).
`+dayTwoHelp+rosterReachHelp+`
Invalid rows and rows in conflict are reported and left out; the valid
rows are applied (--strict refuses the whole roster instead). Running the
same roster again changes nothing.

On a terminal, apply shows the plan and asks before writing. Without a
terminal (cron, scripts) it applies a roster only with --yes; a saved
plan needs no --yes, since someone has read it already.

Exit status: 0 applied (or nothing to do), rows left out reported on
stderr; 1 nothing applied: refused (lock, stale plan, safety limit, no
--yes) or error; 3 rows failed as they were written and were left out
(the rest is applied); 4 cut off (connection lost, store failed) during
the writes and 130 interrupted: every batch was written whole or not at
all, run the same command again to finish; 5 applied and reported, but
the annotated copy could not be written. With --detailed-exitcode: 2 when
changes were applied, 3 also when rows were left out as invalid or in
conflict, so that a scheduled sync can alert on them.

For a scheduled sync (cron), --summary-json FILE writes a small JSON file
however the run ends, also when it was refused or interrupted: the rows
per status, the changes written, the run number, the error if any and
the exit status. A monitoring check reads that file instead of the logs.

Examples:
  pbxsync apply samples/demo/onboarding.xlsx
  pbxsync apply --yes --report result.xlsx site-survey.xlsx
  pbxsync apply nightly.plan.json
  pbxsync apply --yes samples/daytwo/sites.csv && pbxsync apply --yes --kind numbers samples/daytwo/numbers.csv
  # a crontab line: the HR sync at 02:00 every night, its summary for monitoring
  0 2 * * * cd /srv/pbxsync && pbxsync apply --yes --mode sync --manage external-id --summary-json nightly.json hr-export.csv > nightly.txt`)
	o.store.register(fs)
	o.roster.register(fs)
	o.plan.register(fs)
	fs.BoolVar(&o.yes, "yes", false, "do not ask before applying")
	fs.BoolVar(&o.strict, "strict", false, "apply nothing when any row is invalid or in conflict")
	fs.BoolVar(&o.atomic, "atomic", false, "write the whole run in one transaction: any failing row writes nothing (a saved plan is always applied so)")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when changes were applied, 3 when rows were left out")
	fs.StringVar(&o.format, "format", "text", "stdout report format: text, csv or jsonl")
	fs.StringVar(&o.report, "report", "", "also write the per-row report to this file (.csv, .jsonl or .xlsx)")
	fs.StringVar(&o.annotate, "annotate", "", annotateUsage+"; not with a saved plan")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress display")
	registerSummary(fs, &o.summary)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 1, "one roster or saved plan file") {
		return exitFatal
	}
	sum := newRunSummary("apply", o.summary, o.store.company)
	roster := pos[0]
	if strings.HasSuffix(strings.ToLower(roster), ".json") {
		roster = "" // a saved plan: --annotate is refused once it is read
	}
	if err := checkOutputs(o.report, o.annotate, roster); err != nil {
		return sum.finish(ctx, e, sum.fail(e, err))
	}
	return sum.finish(ctx, e, runApply(ctx, e, o, pos[0], sum))
}

func runApply(ctx context.Context, e *env, o applyOptions, path string, sum *runSummary) int {
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return sum.fail(e, err)
	}
	defer st.Close()

	start := time.Now()
	p, err := readPlan(path)
	if err != nil {
		return sum.fail(e, err)
	}
	if p == nil && !o.yes && !e.stdinTTY {
		return sum.fail(e, fmt.Errorf("%w: apply writes to the live PBX and there is no terminal to ask on: run it with --yes, or save a plan with 'pbxsync plan --out FILE' and apply FILE", pbx.ErrRefused))
	}
	var (
		problems []*pbx.Problem // what the annotated roster needs of the check
		src      importer.Source
	)
	fromRoster := p == nil
	if fromRoster {
		o.plan.slice = sliceRows // planned in slices (docs/scale.md section 7)
		if (o.yes || !e.stdinTTY) && !o.atomic && !o.strict {
			// Unattended: each slice applied as it is planned, unless the
			// roster is planned whole (then p is its plan, nothing written).
			var code int
			var done bool
			if p, problems, src, code, done = applySliced(ctx, e, st, o, path, sum, start); done {
				return code
			}
		}
		if p == nil {
			if p, problems, src, err = planRoster(ctx, e, st, o, path, sum); err != nil {
				return sum.fail(e, err)
			}
		}
	} else if o.annotate != "" {
		return sum.fail(e, fmt.Errorf("--annotate needs the roster: a saved plan does not carry it (annotate with 'pbxsync plan --annotate' instead)"))
	}
	sum.s.SetPlan(p)
	sum.stage("plan", start)
	if o.strict && (p.Summary.Invalid > 0 || p.Summary.Conflict > 0) {
		report.WritePlan(e.stderr, p, report.PlanOptions{})
		return sum.fail(e, fmt.Errorf("%w: --strict: %d invalid and %d conflicting rows; nothing applied", pbx.ErrRefused, p.Summary.Invalid, p.Summary.Conflict))
	}
	fmt.Fprintf(e.stderr, "plan: %s\n", p.Summary)
	if p.Empty() || !e.stdinTTY || o.yes { // (else the whole plan, notes included, is shown below)
		for _, n := range p.Notes { // rows left out whole, removals held back...
			fmt.Fprintf(e.stderr, "note: %s\n", n)
		}
	}
	if !p.Empty() && e.stdinTTY && !o.yes {
		report.WritePlan(e.stderr, p, report.PlanOptions{})
		if !confirm(e, fmt.Sprintf("Apply %d changes to company %s? Type yes to go on: ", len(p.Changes), p.Company)) {
			fmt.Fprintln(e.stderr, "nothing applied")
			sum.s.Error = "nothing applied: the plan was not confirmed"
			return exitFatal
		}
	}
	// Batches of rows by default, each all or nothing; a saved plan someone
	// reviewed is applied whole or not at all. The apply stage shows its
	// progress as the store commits each batch.
	if fromRoster {
		// The changes' field lists and reasons wait in a file until their
		// batch is written: the apply and the report need the rest only.
		if remove, err := p.Spill(""); err != nil {
			fmt.Fprintf(e.stderr, "pbxsync: warning: %v; the plan is kept in memory\n", err)
		} else {
			defer remove()
		}
		importer.Handover() // the checked rows and the live state are let go (planRoster)
	}
	opts := apply.Options{Atomic: o.atomic || !fromRoster, Locked: refuseStaleSaved(e, st, p)}
	if fromRoster && (o.yes || !e.stdinTTY) {
		// (a plan someone confirmed on a terminal is refused instead)
		opts.Locked = replanRoster(e, st, o, path, p, &problems, &src, sum)
	}
	res, err := applyPlan(ctx, e, st, p, opts, o.quiet, sum)
	if err != nil {
		return writeFailed(ctx, e, sum, res, err)
	}
	start = time.Now()
	defer func() { sum.stage("report", start) }()
	lines := report.Applied(p, res)
	sum.s.Rows = report.CountRows(lines)
	// The outcome of the writes first (stdout and --report), then the
	// annotated copy, whose failure is a warning: the writes stand.
	if err := writeRowReports(e, o.report, o.format, lines); err != nil {
		return sum.fail(e, err)
	}
	code := applyOutcome(e, o, p, res, lines, sum)
	if fromRoster {
		if err := annotate(e, o.annotate, path, src, lines, problems); err != nil {
			fmt.Fprintf(e.stderr, "pbxsync: warning: the changes above are applied and reported, but the annotated roster could not be written: %v\n", err)
			if sum.s.Error == "" {
				sum.s.Error = "annotated roster not written: " + err.Error()
			}
			if code == exitOK || code == exitChanges {
				code = exitAnnotate
			}
		}
	}
	return code
}

// applySliced plans the roster in path and applies each slice as it is
// planned (importer.PlanApply; docs/scale.md section 7), then reports as
// runApply does: the report's lines are made slice by slice and put in
// roster order at the end, and the plan kept is the run's rows, not its
// changes. It returns done and the exit code when it applied or failed;
// else nothing is written and it returns the plan to apply whole (the
// roster was not planned in slices), or no plan when the company was
// written to while the roster was planned (planRoster plans it again).
func applySliced(ctx context.Context, e *env, st importer.Store, o applyOptions, path string, sum *runSummary, start time.Time) (*plan.Plan, []*pbx.Problem, importer.Source, int, bool) {
	po, err := o.plan.options()
	if err != nil {
		return nil, nil, importer.Source{}, sum.fail(e, err), true
	}
	src, err := o.roster.source(path)
	if err != nil {
		return nil, nil, src, sum.fail(e, err), true
	}
	// The report's lines of each slice wait in a file (in memory, when
	// none can be made) until the run ends.
	var (
		kept    []report.Line
		keptErr error
	)
	spill, err := report.NewLineSpill("")
	if err != nil {
		fmt.Fprintf(e.stderr, "pbxsync: warning: %v; the report is kept in memory\n", err)
	} else {
		defer spill.Close()
	}
	each := func(q *plan.Plan, res *plan.Result) {
		lines := report.Applied(q, res)
		if spill == nil {
			kept = append(kept, lines...)
		} else if err := spill.Add(lines); err != nil && keptErr == nil {
			keptErr = err
		}
	}
	opts := importer.Options{Company: o.store.company, Plan: po, Full: o.plan.full, Slice: o.plan.slice, Progress: report.NewProgress(e.stderr, e.stderrTTY, o.quiet)}
	locked := func(_ context.Context, l apply.Lock) (bool, error) {
		if l.Holder > 0 {
			fmt.Fprintf(e.stderr, "%s; nothing was written to it meanwhile: applying the plan as made\n", waitedFor(l, opts.Company))
		}
		return false, nil
	}
	p, c, res, written, err := importer.PlanApply(ctx, st, src, opts, apply.Options{Locked: locked}, each)
	if !written {
		switch {
		case errors.Is(err, importer.ErrMoved):
			fmt.Fprintf(e.stderr, "pbxsync: %v: planning the roster again against the live state\n", err)
			return nil, nil, src, 0, false // nothing written: planRoster plans again
		case err != nil:
			sum.checked(c)
			return nil, nil, src, sum.fail(e, err), true
		}
		sayChecked(e, c)
		if onChecked != nil {
			onChecked(c)
		}
		return p, c.Problems, src, 0, false
	}
	if err != nil {
		sum.checked(c)
		if p != nil {
			sum.s.SetPlan(p)
		}
		sum.s.SetResult(res)
		return nil, nil, src, writeFailed(ctx, e, sum, res, err), true
	}
	sayChecked(e, c)
	// The report needs the check's problems, not the live state it was
	// made against: that goes, and its pages go back to the system.
	c.State = nil
	importer.Handover()
	sum.s.SetPlan(p)
	sum.stage("plan and apply", start)
	fmt.Fprintf(e.stderr, "plan: %s\n", p.Summary)
	for _, n := range p.Notes {
		fmt.Fprintf(e.stderr, "note: %s\n", n)
	}
	sum.s.SetResult(res)
	start = time.Now()
	defer func() { sum.stage("report", start) }()
	// The lines of the slices in roster order, as one plan's rows are
	// (the spill gives them back in that order).
	lines := kept
	if spill != nil && keptErr == nil {
		lines, keptErr = spill.Lines()
	} else {
		slices.SortStableFunc(lines, func(a, b report.Line) int { return plan.CompareLines(a.Row, b.Row) })
	}
	if keptErr != nil {
		return nil, nil, src, sum.fail(e, fmt.Errorf("the changes are applied (run %d), but their report is lost: %w", res.RunID, keptErr)), true
	}
	sum.s.Rows = report.CountRows(lines)
	if err := writeRowReports(e, o.report, o.format, lines); err != nil {
		return nil, nil, src, sum.fail(e, err), true
	}
	code := applyOutcome(e, o, p, res, lines, sum)
	if err := annotate(e, o.annotate, path, src, lines, c.Problems); err != nil {
		fmt.Fprintf(e.stderr, "pbxsync: warning: the changes above are applied and reported, but the annotated roster could not be written: %v\n", err)
		if sum.s.Error == "" {
			sum.s.Error = "annotated roster not written: " + err.Error()
		}
		if code == exitOK || code == exitChanges {
			code = exitAnnotate
		}
	}
	return nil, nil, src, code, true
}

// planRoster checks and plans the roster in path (makePlan), recording in
// sum what it read, and keeps of the check only the problems (which the
// annotated roster needs): the checked rows and the live state are let go
// before the apply, and runApply never holds them.
func planRoster(ctx context.Context, e *env, st importer.Store, o applyOptions, path string, sum *runSummary) (*plan.Plan, []*pbx.Problem, importer.Source, error) {
	p, c, src, err := makePlan(ctx, e, st, o.store, o.roster, o.plan, o.quiet, path)
	if err != nil {
		sum.checked(c)
		return nil, nil, src, err
	}
	if onChecked != nil {
		onChecked(c)
	}
	return p, c.Problems, src, nil
}

// sliceRows is the size of the slices a roster's apply is planned in
// (a test makes it small).
var sliceRows = importer.SliceRows

// onChecked, when set, hears the check planRoster lets go (a test follows
// it with a finalizer).
var onChecked func(*importer.Checked)

// applyOutcome says on stderr how the writes went and returns the exit code.
func applyOutcome(e *env, o applyOptions, p *plan.Plan, res *plan.Result, lines []report.Line, sum *runSummary) int {
	switch {
	case res.Rollback:
		sum.s.Error = fmt.Sprintf("nothing applied: %d change(s) failed and the run was rolled back", len(res.Failed))
		fmt.Fprintf(e.stderr, "%s; the live state is as it was\n", sum.s.Error)
		for _, f := range res.Failed {
			c := p.Changes[f.Change]
			fmt.Fprintf(e.stderr, "  %s%s %s %s: %s\n", rowsPrefix(c.Rows), c.Action, c.Kind, c.Key, f.Reason)
		}
		return exitFatal
	case p.Empty():
		fmt.Fprintln(e.stderr, "nothing to do: the live state already matches the roster")
	case len(res.Failed) > 0:
		failed := 0
		for _, l := range lines {
			if l.Status == plan.StatusFailed || l.Status == plan.StatusConflict && len(l.Actions) > 0 {
				failed++
			}
		}
		fmt.Fprintf(e.stderr, "applied %d changes (run %d); %d row(s) failed and were left out: see their messages\n", res.Applied, res.RunID, failed)
		return exitPartial
	default:
		fmt.Fprintf(e.stderr, "applied %d changes (run %d)\n", res.Applied, res.RunID)
	}
	left := p.Summary.Invalid + p.Summary.Conflict
	if left > 0 {
		fmt.Fprintf(e.stderr, "%d row(s) invalid and %d in conflict were left out: see their messages\n", p.Summary.Invalid, p.Summary.Conflict)
	}
	switch {
	case !o.detailed:
		return exitOK
	case left > 0:
		return exitPartial
	case !p.Empty():
		return exitChanges
	}
	return exitOK
}

// readPlan returns the saved plan in path, or nil when path is not one.
func readPlan(path string) (*plan.Plan, error) {
	if !strings.HasSuffix(strings.ToLower(path), ".json") {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p plan.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s is not a saved plan: %w", path, err)
	}
	if p.Format != plan.FormatVersion {
		return nil, fmt.Errorf("%s: plan format %d; this pbxsync reads format %d", path, p.Format, plan.FormatVersion)
	}
	return &p, nil
}

func confirm(e *env, question string) bool {
	fmt.Fprint(e.stderr, question)
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, os.ErrClosed) && line == "" {
		return false
	}
	return strings.TrimSpace(line) == "yes"
}

// rowsPrefix names the roster rows of a change: "row 2: ", "rows 2, 3: ".
func rowsPrefix(rows []int) string {
	switch len(rows) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("row %d: ", rows[0])
	}
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = fmt.Sprint(r)
	}
	return "rows " + strings.Join(parts, ", ") + ": "
}
