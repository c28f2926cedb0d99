package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
)

type runsOptions struct {
	store  storeFlags
	limit  int
	format string
}

func runRunsCmd(ctx context.Context, e *env, args []string) int {
	var o runsOptions
	fs := newFlags(e, "runs", "[RUN]", `
Lists the runs of a company from the audit log, newest first: when each
started, who ran it (operating-system user, host, process), the roster
and mode, how it ended (applied, partial, failed, rolled back,
interrupted, or running) and how many changes it wrote, left out
(failed, or skipped with a row that failed).

With a run number, shows that run: its roster (and sha256), and every
change of its plan with the values before and after, what became of it,
and why when it was not written. 'pbxsync revert RUN' plans its inverse.

Examples:
  pbxsync runs
  pbxsync runs --limit 5 --company acme
  pbxsync runs 12
  pbxsync runs --format json 12 | jq '.changes[] | select(.outcome != "applied")'`)
	o.store.register(fs)
	fs.IntVar(&o.limit, "limit", 20, "list at most this many runs (0: all)")
	fs.StringVar(&o.format, "format", "text", "stdout format: text or json")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 1 {
		wantArgs(e, fs, pos, 1, "at most one run number")
		return exitFatal
	}
	if o.format != "text" && o.format != "json" {
		return fail(e, fmt.Errorf("--format %q: want text or json", o.format))
	}
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return fail(e, err)
	}
	defer st.Close()
	if len(pos) == 1 {
		id, err := parseRunID(pos[0])
		if err != nil {
			return fail(e, err)
		}
		rec, err := st.Run(ctx, id)
		if err != nil {
			return fail(e, err)
		}
		if o.format == "json" {
			err = writeRunJSON(e.stdout, rec)
		} else {
			err = writeRun(e.stdout, rec)
		}
		if err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	company, err := importer.ResolveCompany(ctx, st, o.store.company)
	if err != nil {
		return fail(e, err)
	}
	runs, err := st.Runs(ctx, company, o.limit)
	if err != nil {
		return fail(e, err)
	}
	if o.format == "json" {
		err = json.NewEncoder(e.stdout).Encode(struct {
			Format  int        `json:"format_version"`
			Company string     `json:"company"`
			Runs    []plan.Run `json:"runs"`
		}{plan.FormatVersion, company, nonNilSlice(runs)})
	} else {
		err = writeRuns(e.stdout, company, runs)
	}
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}

func nonNilSlice[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// parseRunID reads a run number as 'pbxsync runs' shows it.
func parseRunID(s string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(s, "#"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%q is not a run number: give the number 'pbxsync runs' lists, e.g. 12", s)
	}
	return id, nil
}

func runTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func writeRuns(w io.Writer, company string, runs []plan.Run) error {
	if len(runs) == 0 {
		_, err := fmt.Fprintf(w, "no runs of company %s yet\n", company)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSTARTED\tWHO\tMODE\tROSTER\tOUTCOME\tAPPLIED\tFAILED\tSKIPPED")
	for _, r := range runs {
		who := r.Who
		if r.Host != "" {
			who += "@" + r.Host
		}
		mode := string(r.Mode)
		if r.Atomic {
			mode += ",atomic"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\n", r.ID, runTime(r.StartedAt), dashIfEmpty(who), dashIfEmpty(mode), dashIfEmpty(r.Roster),
			r.Outcome, r.Applied, r.Failed, r.Skipped)
	}
	return tw.Flush()
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeRun shows one run and each change of its plan.
func writeRun(w io.Writer, rec *plan.RunRecord) error {
	var b strings.Builder
	fmt.Fprintf(&b, "run %d  company %s  %s\n", rec.ID, rec.Company, rec.Outcome)
	fmt.Fprintf(&b, "  started %s by %s on %s (pid %d), finished %s\n", runTime(rec.StartedAt), dashIfEmpty(rec.Who), dashIfEmpty(rec.Host), rec.PID, runTime(rec.FinishedAt))
	hash := rec.RosterHash
	if len(hash) > 12 {
		hash = hash[:12]
	}
	mode := string(rec.Mode)
	if rec.Atomic {
		mode += ", in one transaction"
	}
	fmt.Fprintf(&b, "  roster %s (sha256 %s), mode %s\n", dashIfEmpty(rec.Roster), dashIfEmpty(hash), dashIfEmpty(mode))
	fmt.Fprintf(&b, "  %d changes in %d batches: %d applied, %d failed, %d skipped\n", rec.Changes, rec.Batches, rec.Applied, rec.Failed, rec.Skipped)
	for _, n := range rec.Plan.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	for i, c := range rec.Plan.Changes {
		o := rec.Outcomes[i]
		if c.Kind == "" {
			fmt.Fprintf(&b, "\n  #%d  %s (not recorded: the run was cut off before it)\n", i, o.Outcome)
			continue
		}
		rows := ""
		if len(c.Rows) > 0 {
			rs := make([]string, len(c.Rows))
			for j, r := range c.Rows {
				rs[j] = strconv.Itoa(r)
			}
			rows = "  rows " + strings.Join(rs, ",")
		}
		fmt.Fprintf(&b, "\n  #%d  %s  %s %s %s%s\n", i, o.Outcome, c.Action.Symbol(), c.Kind, c.Key, rows)
		if c.Reason != "" {
			fmt.Fprintf(&b, "      why: %s\n", c.Reason)
		}
		for _, f := range c.Fields.All() {
			fmt.Fprintf(&b, "      %s: %q -> %q\n", f.Field, f.Before, f.After)
		}
		if o.Error != "" {
			fmt.Fprintf(&b, "      not written: %s\n", o.Error)
		}
		if o.AfterVersion > 0 {
			fmt.Fprintf(&b, "      left at version %d\n", o.AfterVersion)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// runChangeJSON is one change of a run in 'pbxsync runs --format json RUN'.
type runChangeJSON struct {
	Seq int `json:"seq"`
	plan.Change
	plan.RunChange
}

func writeRunJSON(w io.Writer, rec *plan.RunRecord) error {
	changes := make([]runChangeJSON, len(rec.Plan.Changes))
	for i := range changes {
		changes[i] = runChangeJSON{Seq: i, Change: rec.Plan.Changes[i], RunChange: rec.Outcomes[i]}
	}
	header := *rec.Plan
	header.Changes = nil
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Format  int             `json:"format_version"`
		Run     plan.Run        `json:"run"`
		Rows    []plan.RowPlan  `json:"rows"`
		Notes   []string        `json:"notes,omitempty"`
		Changes []runChangeJSON `json:"changes"`
	}{plan.FormatVersion, rec.Run, nonNilSlice(rec.SettledRows()), header.Notes, changes}) // each row as the run left it
}
