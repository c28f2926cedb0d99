package main

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

type revertOptions struct {
	store    storeFlags
	yes      bool
	detailed bool
	format   string
	report   string
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
applies a plan, and a report of every row goes to stdout.

Exit status: 0 reverted (or shown); 1 refused or error; 130 interrupted.
With --detailed-exitcode: 2 when changes were applied, 3 when rows were
refused or failed.

Examples:
  pbxsync revert 12
  pbxsync revert --yes --report revert-12.csv 12`)
	o.store.register(fs)
	fs.BoolVar(&o.yes, "yes", false, "apply the revert (without it, the plan is only shown)")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when changes were applied, 3 when rows were refused or failed")
	fs.StringVar(&o.format, "format", "text", "stdout report format once applied: text, csv or jsonl")
	fs.StringVar(&o.report, "report", "", "also write the per-row report to this file (.csv, .jsonl or .xlsx)")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 1, "one run number") {
		return exitFatal
	}
	id, err := parseRunID(pos[0])
	if err != nil {
		return fail(e, err)
	}
	return runRevert(ctx, e, o, id)
}

func runRevert(ctx context.Context, e *env, o revertOptions, id int64) int {
	st, err := o.store.open(ctx)
	if err != nil {
		return fail(e, err)
	}
	defer st.Close()
	rec, err := st.Run(ctx, id)
	if err != nil {
		return fail(e, err)
	}
	if o.store.company != "" && o.store.company != rec.Company {
		return fail(e, fmt.Errorf("run %d is of company %s, not %s", id, rec.Company, o.store.company))
	}
	live, err := st.Load(ctx, rec.Company)
	if err != nil {
		return fail(e, err)
	}
	p, err := plan.Revert(live, rec)
	if err != nil {
		return fail(e, err)
	}
	refused := 0
	for _, r := range p.Rows {
		if r.Status == plan.StatusConflict {
			refused++
		}
	}
	if !o.yes {
		if err := report.WritePlan(e.stdout, p, report.PlanOptions{}); err != nil {
			return fail(e, err)
		}
		if p.Empty() || !e.stdinTTY || !confirm(e, fmt.Sprintf("Apply these %d changes to company %s? Type yes to go on: ", len(p.Changes), p.Company)) {
			if !p.Empty() {
				fmt.Fprintf(e.stderr, "nothing applied: run 'pbxsync revert --yes %d' to apply this plan\n", id)
			}
			return revertExit(o, p, nil, refused)
		}
	}
	fmt.Fprintf(e.stderr, "revert of run %d: %s; %d row(s) refused\n", id, p.Summary, refused)
	if p.Empty() {
		fmt.Fprintf(e.stderr, "nothing to revert: no row of run %d can be set back\n", id)
		lines := report.Lines(p)
		if err := report.WriteRows(e.stdout, o.format, lines); err != nil {
			return fail(e, err)
		}
		return revertExit(o, p, nil, refused)
	}
	res, err := importer.Apply(ctx, st, p, apply.Options{})
	if err != nil {
		return fail(e, err)
	}
	lines := report.Applied(p, res)
	if o.report != "" {
		if err := report.WriteRowsFile(o.report, lines); err != nil {
			return fail(e, err)
		}
		fmt.Fprintf(e.stderr, "wrote a report of %d rows to %s\n", len(lines), o.report)
	}
	if err := report.WriteRows(e.stdout, o.format, lines); err != nil {
		return fail(e, err)
	}
	switch {
	case res.Rollback:
		fmt.Fprintf(e.stderr, "nothing reverted: %d change(s) failed and the run was rolled back\n", len(res.Failed))
		return exitFatal
	case len(res.Failed) > 0:
		fmt.Fprintf(e.stderr, "reverted %d changes (run %d); %d change(s) not written, see the failed rows\n", res.Applied, res.RunID, len(res.Failed))
	default:
		fmt.Fprintf(e.stderr, "reverted %d changes (run %d)\n", res.Applied, res.RunID)
	}
	return revertExit(o, p, res, refused)
}

func revertExit(o revertOptions, p *plan.Plan, res *plan.Result, refused int) int {
	switch {
	case !o.detailed:
		return exitOK
	case refused > 0 || res != nil && len(res.Failed) > 0:
		return exitPartial
	case res != nil && res.Applied > 0:
		return exitChanges
	}
	return exitOK
}
