package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

// What apply and revert share once they have a plan to write.

// applyPlan writes p to st, showing the apply stage's progress on stderr
// as the store commits each batch (a bar on a terminal, log lines off one,
// nothing when quiet), and records in sum the apply stage, the run and the
// changes written. The result may be partial when err is not nil.
func applyPlan(ctx context.Context, e *env, st importer.Store, p *plan.Plan, opts apply.Options, quiet bool, sum *runSummary) (*plan.Result, error) {
	start := time.Now()
	prog := newApplyProgress(e.stderr, e.stderrTTY, quiet)
	opts.Progress = prog.Counter("apply")
	res, err := importer.Apply(ctx, st, p, opts)
	if err != nil {
		prog.Stopped() // interrupted or failed: not "done"
	} else {
		prog.Done()
	}
	sum.s.Atomic = opts.Atomic
	sum.s.SetResult(res)
	sum.stage("apply", start)
	return res, err
}

// writeFailed reports a write that stopped with err: refused (lock, stale
// plan) exits 1; a store that failed or a connection lost after the run
// began exits exitCutOff, saying what was committed and that running again
// finishes the job (every batch is written whole or not at all).
func writeFailed(ctx context.Context, e *env, sum *runSummary, res *plan.Result, err error) int {
	if ctx.Err() != nil || res == nil || res.RunID == 0 || errors.Is(err, pbx.ErrLocked) || errors.Is(err, pbx.ErrStale) ||
		errors.Is(err, pbx.ErrRefused) || errors.Is(err, pbx.ErrNotFound) {
		return sum.fail(e, err)
	}
	sum.fail(e, err)
	fmt.Fprintf(e.stderr, "pbxsync: cut off during run %d after %d change(s) were committed: every batch was written whole or not at all; run the same command again to finish (exit %d)\n",
		res.RunID, res.Applied, exitCutOff)
	return exitCutOff
}

// newApplyProgress makes the apply stage's progress display (a test makes
// it log at once).
var newApplyProgress = report.NewProgress

// writeRowReports writes the per-row report to the file path (--report),
// when one is named, and to stdout in format (--format).
func writeRowReports(e *env, path, format string, lines []report.Line) error {
	if path != "" {
		if err := report.WriteRowsFile(path, lines); err != nil {
			return err
		}
		fmt.Fprintf(e.stderr, "wrote a report of %d rows to %s\n", len(lines), path)
	}
	return report.WriteRows(e.stdout, format, lines)
}
