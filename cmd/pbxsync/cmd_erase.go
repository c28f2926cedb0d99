package main

import (
	"context"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

type eraseOptions struct {
	store     storeFlags
	retention int
	today     string
	yes       bool
	quiet     bool
	summary   string
}

func runEraseCmd(ctx context.Context, e *env, args []string) int {
	var o eraseOptions
	fs := newFlags(e, "erase", "", `
Erases for good (GDPR: the right to erasure) the users deprovisioned more
than --retention-days ago: planned first and shown, applied only with
--yes, in batches, and recorded as a run like every apply. A roster sync
never erases anyone; only this command does, and only deprovisioned
users whose day of deprovision is known (users deprovisioned before
pbxsync recorded it are dated to the upgrade). A user who still holds a
number, a device port or access to a number is not erased: the plan
says what to take away first.

The audit log: in every earlier run of the company, the erased person's
login and e-mail are replaced by a pseudonym (erased- and 12 hex digits,
the same in every record, so their history still reads as one person's)
and their first and last names are cleared from the before and after
values, in the transaction that deletes them. The erasure's own run
keeps the login erased (no other value), as the proof that it was done.

Exit status: 0 erased (or shown, or nobody due); 3 when changes failed or
users were kept because they still hold something; 1 on error.

Examples:
  pbxsync erase
  pbxsync erase --retention-days 180 --yes`)
	o.store.register(fs)
	fs.IntVar(&o.retention, "retention-days", plan.DefaultRetentionDays, "erase users deprovisioned more than this many days ago")
	fs.StringVar(&o.today, "today", "", "count the retention as on this day, YYYY-MM-DD (default: today, UTC)")
	fs.BoolVar(&o.yes, "yes", false, "apply the erasure (without it, the plan is only shown)")
	fs.BoolVar(&o.quiet, "quiet", false, "no progress display")
	registerSummary(fs, &o.summary)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	sum := newRunSummary("erase", o.summary, o.store.company)
	return sum.finish(ctx, e, runErase(ctx, e, o, sum))
}

func runErase(ctx context.Context, e *env, o eraseOptions, sum *runSummary) int {
	today := o.today
	if today == "" {
		today = time.Now().UTC().Format(time.DateOnly)
	} else if _, err := time.Parse(time.DateOnly, today); err != nil {
		return sum.fail(e, fmt.Errorf("--today %q: want a date as YYYY-MM-DD, e.g. 2027-03-31", today))
	}
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return sum.fail(e, err)
	}
	defer st.Close()
	start := time.Now()
	company, err := importer.ResolveCompany(ctx, st, o.store.company)
	if err != nil {
		return sum.fail(e, err)
	}
	sum.s.Company = company
	live, err := st.Load(ctx, company)
	if err != nil {
		return sum.fail(e, err)
	}
	p, err := plan.Erase(live, today, o.retention)
	if err != nil {
		return sum.fail(e, err)
	}
	sum.s.SetPlan(p)
	sum.stage("plan", start)
	kept := p.Summary.Conflict
	if !o.yes {
		if err := report.WritePlan(e.stdout, p, report.PlanOptions{}); err != nil {
			return sum.fail(e, err)
		}
		if p.Empty() || !e.stdinTTY || !confirm(e, fmt.Sprintf("Erase these %d users of company %s for good? Type yes to go on: ", len(p.Changes), p.Company)) {
			if !p.Empty() {
				fmt.Fprintf(e.stderr, "nothing erased: run 'pbxsync erase --yes' to apply this plan\n")
			}
			sum.s.Rows = report.CountRows(report.Lines(p))
			return exitOK
		}
	}
	if p.Empty() {
		fmt.Fprintf(e.stderr, "nobody to erase: no user of %s was deprovisioned more than %d days before %s\n", company, o.retention, today)
		return exitOK
	}
	res, err := applyPlan(ctx, e, st, p, apply.Options{}, o.quiet, sum)
	if err != nil {
		return writeFailed(ctx, e, sum, res, err)
	}
	lines := report.Applied(p, res)
	sum.s.Rows = report.CountRows(lines)
	if err := writeRowReports(e, "", "text", lines); err != nil {
		return sum.fail(e, err)
	}
	fmt.Fprintf(e.stderr, "erased %d users (run %d); %d kept because they still hold something\n", res.Applied, res.RunID, kept)
	if len(res.Failed) > 0 || kept > 0 {
		return exitPartial
	}
	return exitOK
}
