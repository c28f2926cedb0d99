package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

type planOptions struct {
	store     storeFlags
	roster    rosterFlags
	plan      planFlags
	format    string
	out       string
	detailed  bool
	unchanged bool
	annotate  string
	quiet     bool
	summary   string
}

func runPlanCmd(ctx context.Context, e *env, args []string) int {
	var o planOptions
	fs := newFlags(e, "plan", "ROSTER", `
Shows every change a roster would make to the live state, and changes
nothing: users created or updated, numbers assigned, un-assigned or moved
(from whom to whom), devices and ports, E911 locations, and in a sync the
leavers to deprovision. Each change says why and which rows caused it.
Invalid rows and rows in conflict with the live state are listed with
their problems and planned as nothing.

A sync (--mode sync --manage all|site=CODE|external-id) deprovisions the
managed users the roster does not name, behind a removal limit: it refuses
a plan that would deprovision more than --max-remove (100) of them, or more
than --max-remove-pct (20%) of the managed users once more than 3 would go
(so a company of 5 may lose 3, not 4); --force-removals goes past it. A
--manage site=CODE the company does not have is refused, listing its sites.

HR exports: a status column (Active/Terminated/Leave of absence, aktiv/
ausgeschieden/beurlaubt, actif/sorti/en congé, activo/baja/excedencia, or
mapped with map: in a profile) deprovisions a leaver's row in sync and
onboard alike (never deleted, not counted by the removal limit) and keeps
a person on leave as they are; a leaver whose exit date (31.03.2027,
2027-03-31, 03/31/2027 in the US, an Excel serial) is after --today stays
active until then, and the plan says so. With --manage external-id the HR
id is the person: a row whose HR id a user of another login holds is
planned as a rename: the login changes in place, numbers, phones,
extension and history kept (revert renames back).
Voice off for a user who holds numbers is a conflict naming them; a
deprovisioned user's extension is held for them --extension-hold-days
(30) from the day of the deprovision: --take reclaims it sooner; after
the hold any row may have it, the plan clearing it from them.

From the pool: a number cell "auto" takes the lowest free number of the
row's site, "auto:650" one of area code 650; an extension cell "auto" the
number's last digits, else the site's next free extension (--allocate
numbers,extensions does the same for blank cells). Each pick is shown as
"allocate ... from the pool"; a user who holds one keeps it. A row with a
phone and a number and no user is a common-area phone: its device and line
are created, with no user.
`+dayTwoHelp+rosterReachHelp+`
--out saves the plan; 'pbxsync apply FILE' applies exactly that plan
later, and refuses if anything it read has changed since (a picked number
taken meanwhile too).

Exit status: 0, or 1 on error or when a safety limit refuses the plan.
With --detailed-exitcode: 0 for no changes, 2 for changes, 3 when some
rows are invalid or in conflict. --summary-json FILE also writes, however
the command ends, a small JSON file with the rows per status, the changes
planned and the exit status, for a scheduled job or a monitoring check to
read instead of the logs.

Examples:
  pbxsync plan samples/demo/onboarding.xlsx
  pbxsync plan --format json hr.csv | jq .summary
  pbxsync plan --mode sync --manage external-id --out nightly.plan.json hr.csv
  pbxsync plan samples/daytwo/hunt-groups.csv`)
	o.store.register(fs)
	o.roster.register(fs)
	o.plan.register(fs)
	fs.StringVar(&o.format, "format", "text", "stdout format: text or json (versioned, see docs/json.md)")
	fs.StringVar(&o.out, "out", "", "save the plan as JSON to this file, to apply later")
	fs.BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when the plan has changes, 3 when rows are invalid or in conflict, 0 otherwise")
	fs.BoolVar(&o.unchanged, "unchanged", false, "list unchanged rows too")
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
	sum := newRunSummary("plan", o.summary, o.store.company)
	if err := checkOutputs("", o.annotate, pos[0]); err != nil {
		return sum.finish(ctx, e, sum.fail(e, err))
	}
	return sum.finish(ctx, e, runPlan(ctx, e, o, pos[0], sum))
}

func runPlan(ctx context.Context, e *env, o planOptions, path string, sum *runSummary) int {
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return sum.fail(e, err)
	}
	defer st.Close()
	start := time.Now()
	p, c, src, err := makePlan(ctx, e, st, o.store, o.roster, o.plan, o.quiet, path)
	sum.checked(c)
	if err != nil {
		if c != nil && o.annotate != "" { // a header the plan cannot go past: mark it
			if aerr := annotate(e, o.annotate, path, src, nil, c.Problems); aerr != nil {
				fmt.Fprintf(e.stderr, "pbxsync: %v\n", aerr)
			}
		}
		return sum.fail(e, err)
	}
	sum.s.SetPlan(p)
	sum.stage("plan", start)
	start = time.Now()
	defer func() { sum.stage("report", start) }()
	lines := report.Lines(p)
	sum.s.Rows = report.CountRows(lines)
	if err := annotate(e, o.annotate, path, src, lines, c.Problems); err != nil {
		return sum.fail(e, err)
	}
	switch o.format {
	case "text":
		err = report.WritePlan(e.stdout, p, report.PlanOptions{Unchanged: o.unchanged})
	case "json":
		err = report.WritePlanJSON(e.stdout, p)
	default:
		err = fmt.Errorf("--format %q: want text or json", o.format)
	}
	if err != nil {
		return sum.fail(e, err)
	}
	if o.out != "" {
		if err := savePlan(o.out, p); err != nil {
			return sum.fail(e, err)
		}
		fmt.Fprintf(e.stderr, "saved the plan to %s; apply it with: pbxsync apply %s\n", o.out, o.out)
	}
	switch {
	case !o.detailed:
		return exitOK
	case p.Summary.Invalid > 0 || p.Summary.Conflict > 0:
		return exitPartial
	case !p.Empty():
		return exitChanges
	}
	return exitOK
}

// makePlan checks and plans a roster, saying on stderr what was found.
func makePlan(ctx context.Context, e *env, st importer.Store, sf storeFlags, rf rosterFlags, pf planFlags, quiet bool, path string) (*plan.Plan, *importer.Checked, importer.Source, error) {
	po, err := pf.options()
	if err != nil {
		return nil, nil, importer.Source{}, err
	}
	src, err := rf.source(path)
	if err != nil {
		return nil, nil, src, err
	}
	p, c, err := importer.Plan(ctx, st, src, importer.Options{Company: sf.company, Plan: po, Full: pf.full, Slice: pf.slice, Progress: report.NewProgress(e.stderr, e.stderrTTY, quiet)})
	sayChecked(e, c)
	return p, c, src, err
}

// sayChecked says on stderr what was read of the roster (c may be nil).
func sayChecked(e *env, c *importer.Checked) {
	if c != nil {
		if r := c.Unchanged; r != nil {
			fmt.Fprintf(e.stderr, "%s: the same file and options run %d applied on %s, and nothing has been written to %s since: nothing to do (--full re-checks every row)\n",
				c.File, r.ID, r.FinishedAt.Local().Format("2006-01-02 15:04"), c.Company)
			if c.ValidRows() < c.Total {
				fmt.Fprintf(e.stderr, "%s: %d rows, %d valid, %d invalid (as run %d found them)\n", c.File, c.Total, c.ValidRows(), len(c.Invalid), r.ID)
			}
		} else {
			valid := c.PlannedRows()
			if c.Kind != "" && c.Kind != plan.FileUsers { // a day-two file: its rows are objects
				valid = c.ValidRows()
			}
			fmt.Fprintf(e.stderr, "%s: %d rows read with profile %s, %d valid, %d invalid\n", c.File, c.Total, c.Profile, valid, len(c.Invalid))
		}
		if len(c.Unknown) > 0 {
			fmt.Fprintf(e.stderr, "ignored columns: %v\n", c.Unknown)
		}
	}
}

func savePlan(path string, p *plan.Plan) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := report.WritePlanJSON(f, p); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
