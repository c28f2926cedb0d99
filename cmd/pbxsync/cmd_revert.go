package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

type revertOptions struct {
	store    storeFlags
	yes      bool
	detailed bool
	format   string
	report   string
	quiet    bool
	summary  string
}

func runRevertCmd(ctx context.Context, e *env, args []string) int {
	var o revertOptions
	fs := newFlags(e, "revert", "RUN", `
Plans the inverse of a run (see 'pbxsync runs') and, with --yes, applies
it: every object the run wrote goes back to the values it had before.
Numbers go back to their users or to the pool with their routing
restored; users the run created are disabled (deprovisioned, never
deleted); users it deprovisioned are active again; device ports it gave
are freed and those it freed are given back. Devices and E911 locations
it created stay in the inventory.

A row is reverted whole or not at all: a row whose objects changed since
the run (someone or a later run wrote them) is refused, and the plan
says which object; so is a row that shares an object with it, or that
would take back an extension someone else holds now.

Without --yes the plan is shown on stdout and nothing is written (on a
terminal, it asks). With --yes the revert is applied like 'pbxsync apply'
applies a plan, in batches, with its progress on stderr, and a report of
every row goes to stdout.

Exit status: 0 reverted (or shown, or nothing left to revert); 3 when
changes failed and their rows were left out; 1 refused or error; 4 cut
off (connection lost) and 130 interrupted: run it again to finish. With --detailed-exitcode: 2 when changes were applied, 3
also when rows were refused. --summary-json FILE writes, however the
revert ends, the rows per status, the changes written, the revert's own
run number and the exit status as JSON, for a script to check.

Examples:
  pbxsync revert 12
  pbxsync revert --yes --report revert-12.csv 12
  pbxsync revert --yes --quiet --detailed-exitcode --summary-json revert-12.json 12`)
	o.store.register(fs)
	fs.BoolVar(&o.yes, "yes", false, "apply the revert (without it, the plan is only shown)")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when changes were applied, 3 when rows were refused or failed")
	fs.StringVar(&o.format, "format", "text", "stdout report format once applied: text, csv or jsonl")
	fs.StringVar(&o.report, "report", "", "also write the per-row report to this file (.csv, .jsonl or .xlsx)")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress display")
	registerSummary(fs, &o.summary)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 1, "one run number") {
		return exitFatal
	}
	sum := newRunSummary("revert", o.summary, o.store.company)
	id, err := parseRunID(pos[0])
	if err == nil {
		err = checkOutputs(o.report, "", "")
	}
	if err != nil {
		return sum.finish(ctx, e, sum.fail(e, err))
	}
	return sum.finish(ctx, e, runRevert(ctx, e, o, id, sum))
}

func runRevert(ctx context.Context, e *env, o revertOptions, id int64, sum *runSummary) int {
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return sum.fail(e, err)
	}
	defer st.Close()
	start := time.Now()
	rec, err := st.Run(ctx, id)
	if err != nil {
		return sum.fail(e, err)
	}
	if o.store.company != "" && o.store.company != rec.Company {
		return sum.fail(e, fmt.Errorf("run %d is of company %s, not %s", id, rec.Company, o.store.company))
	}
	sum.s.Company = rec.Company
	live, err := st.Load(ctx, rec.Company)
	if err != nil {
		return sum.fail(e, err)
	}
	p, err := plan.Revert(live, rec)
	if err != nil {
		return sum.fail(e, err)
	}
	sum.s.SetPlan(p)
	sum.stage("plan", start)
	refused := p.Summary.Conflict
	if !o.yes {
		// Shown only, unless someone on a terminal says yes: the plan is
		// the report.
		start = time.Now()
		if err := report.WritePlan(e.stdout, p, report.PlanOptions{}); err != nil {
			return sum.fail(e, err)
		}
		if p.Empty() || !e.stdinTTY || !confirm(e, fmt.Sprintf("Apply these %d changes to company %s? Type yes to go on: ", len(p.Changes), p.Company)) {
			if !p.Empty() {
				fmt.Fprintf(e.stderr, "nothing applied: run 'pbxsync revert --yes %d' to apply this plan\n", id)
			}
			sum.s.Rows = report.CountRows(report.Lines(p))
			sum.stage("report", start)
			return revertExit(o, nil, refused)
		}
	}
	fmt.Fprintf(e.stderr, "revert of run %d: %s; %d row(s) refused\n", id, p.Summary, refused)
	var res *plan.Result
	if p.Empty() {
		fmt.Fprintf(e.stderr, "nothing to revert: no row of run %d can be set back\n", id)
	} else if res, err = applyPlan(ctx, e, st, p, apply.Options{Locked: replanRevert(e, st, rec, live.Generation, p, sum)}, o.quiet, sum); err != nil {
		return writeFailed(ctx, e, sum, res, err)
	}
	start = time.Now()
	defer func() { sum.stage("report", start) }()
	lines := report.Lines(p)
	if res != nil {
		lines = report.Applied(p, res)
	}
	sum.s.Rows = report.CountRows(lines)
	if err := writeRowReports(e, o.report, o.format, lines); err != nil {
		return sum.fail(e, err)
	}
	switch {
	case res == nil:
	case res.Rollback:
		sum.s.Error = fmt.Sprintf("nothing reverted: %d change(s) failed and the run was rolled back", len(res.Failed))
		fmt.Fprintln(e.stderr, sum.s.Error)
		return exitFatal
	case len(res.Failed) > 0:
		fmt.Fprintf(e.stderr, "reverted %d changes (run %d); %d change(s) not written, see the failed rows\n", res.Applied, res.RunID, len(res.Failed))
	default:
		fmt.Fprintf(e.stderr, "reverted %d changes (run %d)\n", res.Applied, res.RunID)
	}
	return revertExit(o, res, p.Summary.Conflict) // (planned again when it waited)
}

// revertExit is the exit status of a revert that refused rows and, once
// applied, got res: as apply's, changes that failed exit 3 whatever the
// flags; with --detailed-exitcode refused rows exit 3 and changes made 2.
func revertExit(o revertOptions, res *plan.Result, refused int) int {
	switch {
	case res != nil && len(res.Failed) > 0:
		return exitPartial
	case !o.detailed:
		return exitOK
	case refused > 0:
		return exitPartial
	case res != nil && res.Applied > 0:
		return exitChanges
	}
	return exitOK
}
