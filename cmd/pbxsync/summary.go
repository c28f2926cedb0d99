package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/report"
)

// exitMeanings name the exit codes in the JSON summary (docs/json.md).
var exitMeanings = map[int]string{
	exitOK:          "ok",
	exitFatal:       "fatal",
	exitChanges:     "changes",
	exitPartial:     "partial",
	exitInterrupted: "interrupted",
	exitCutOff:      "cut-off",
	exitAnnotate:    "annotate-failed",
}

// registerSummary adds --summary-json, which validate, plan, apply and revert take.
func registerSummary(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "summary-json", "", "also write a summary of the run as JSON to this file, whatever the outcome: rows per status, changes, run id, durations, exit code (see docs/json.md)")
}

// runSummary collects what a command did, for --summary-json FILE: the
// command fills it in as it goes, and finish writes it with the exit code.
type runSummary struct {
	path  string
	start time.Time
	s     report.Summary
}

func newRunSummary(command, path, company string) *runSummary {
	now := time.Now()
	return &runSummary{path: path, start: now, s: report.Summary{Command: command, Company: company, StartedAt: now.UTC()}}
}

// stage records a part of the command that began at since and ends now.
func (r *runSummary) stage(name string, since time.Time) {
	r.s.Stage(name, time.Since(since))
}

// checked records the roster a command read, when it got that far (c may
// be nil).
func (r *runSummary) checked(c *importer.Checked) {
	if c == nil {
		return
	}
	r.s.Roster, r.s.RosterHash = c.File, c.Hash
	if c.Company != "" {
		r.s.Company = c.Company
	}
}

// fail records err as why the command failed, and reports it as fail does.
func (r *runSummary) fail(e *env, err error) int {
	r.s.Error = redactText(err.Error())
	return fail(e, err)
}

// finish writes the summary when one was asked for and returns the exit
// status: code, or 130 when the command stopped because ctx ended. A
// summary that cannot be written fails a command that had succeeded.
func (r *runSummary) finish(ctx context.Context, e *env, code int) int {
	code = exitStatus(ctx, code)
	if r.path == "" {
		return code
	}
	r.s.FinishedAt = time.Now().UTC()
	r.s.DurationMS = time.Since(r.start).Milliseconds()
	r.s.ExitCode, r.s.Exit = code, exitMeanings[code]
	r.s.Error = redactText(r.s.Error)
	var b bytes.Buffer
	err := report.WriteSummaryJSON(&b, &r.s)
	if err == nil {
		err = os.WriteFile(r.path, b.Bytes(), 0o644)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "pbxsync: writing the summary: %v\n", err)
		if code == exitOK || code == exitChanges {
			return exitFatal
		}
	}
	return code
}
