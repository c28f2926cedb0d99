package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

func readSummary(t *testing.T, path string) report.Summary {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s report.Summary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	if s.Format != report.SummaryFormat {
		t.Errorf("%s: format_version %d", path, s.Format)
	}
	return s
}

func stageNames(s report.Summary) string {
	var names []string
	for _, st := range s.Stages {
		names = append(names, st.Name)
	}
	return strings.Join(names, ",")
}

// --summary-json: validate, apply and plan each leave a summary a
// scheduled sync can read, with the exit code it got, whatever the outcome.
func TestSummaryJSONFlag(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	roster := filepath.Join(demo, "onboarding.csv")
	path := filepath.Join(dir, "summary.json")

	c.must(exitPartial, "validate", "--summary-json", path, roster)
	s := readSummary(t, path)
	if s.Command != "validate" || s.Company != "acme" || s.Roster != "onboarding.csv" || len(s.RosterHash) != 64 ||
		s.Rows[plan.StatusValid] != 6 || s.Rows[plan.StatusInvalid] != 6 || s.Plan != nil || s.Changes != nil ||
		s.ExitCode != exitPartial || s.Exit != "partial" || stageNames(s) != "validate,report" {
		t.Errorf("validate summary: %+v", s)
	}

	// Refused (no --yes, no terminal): the summary says why.
	c.must(exitFatal, "apply", "--summary-json", path, roster)
	s = readSummary(t, path)
	if s.ExitCode != exitFatal || s.Exit != "fatal" || !strings.Contains(s.Error, "--yes") || s.RunID != 0 || s.Rows != nil {
		t.Errorf("refused apply summary: %+v", s)
	}

	c.must(exitPartial, "apply", "--yes", "--detailed-exitcode", "--summary-json", path, roster)
	s = readSummary(t, path)
	if s.Command != "apply" || s.RunID <= 0 || s.Atomic || s.Mode != plan.Onboard || s.Plan == nil || s.Plan.Invalid != 6 ||
		s.Changes == nil || s.Changes.Planned == 0 || s.Changes.Applied != s.Changes.Planned || s.Changes.NotWritten != 0 ||
		s.Rows[plan.StatusCreated] != 6 || s.Rows[plan.StatusInvalid] != 6 || s.Rows[plan.StatusFailed] != 0 ||
		s.ExitCode != exitPartial || s.Exit != "partial" || s.Error != "" || stageNames(s) != "plan,apply,report" {
		t.Errorf("apply summary: %+v (changes %+v)", s, s.Changes)
	}
	if s.FinishedAt.Before(s.StartedAt) || s.DurationMS < 0 {
		t.Errorf("apply summary times: %s to %s, %d ms", s.StartedAt, s.FinishedAt, s.DurationMS)
	}
	runs := c.must(exitOK, "runs")
	if !strings.Contains(runs, "applied") {
		t.Errorf("runs: %s", runs)
	}

	// Planned again: nothing to do but the invalid rows.
	c.must(exitPartial, "plan", "--detailed-exitcode", "--summary-json", path, roster)
	s = readSummary(t, path)
	if s.Command != "plan" || s.Changes == nil || s.Changes.Planned != 0 || s.Rows[plan.StatusUnchanged] != 6 ||
		s.ExitCode != exitPartial || s.Exit != "partial" || stageNames(s) != "plan,report" {
		t.Errorf("plan summary: %+v", s)
	}

	// A summary that cannot be written fails a command that succeeded.
	if code, _, stderr := c.run("plan", "--summary-json", filepath.Join(dir, "no", "such", "dir", "s.json"), roster); code != exitFatal ||
		!strings.Contains(stderr, "writing the summary") {
		t.Errorf("unwritable summary: exit %d, stderr %s", code, stderr)
	}
}
