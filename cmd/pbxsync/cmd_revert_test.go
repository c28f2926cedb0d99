package main

import (
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/storetest"
)

// testRunsRevert: apply the demo roster, list the run, show it, plan its
// revert (nothing written), apply the revert, and find nothing left to
// revert the second time.
func testRunsRevert(t *testing.T, db string) {
	c := cli{t, db}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	before := c.must(exitOK, "export")
	c.must(exitOK, "apply", "--yes", filepath.Join(demo, "onboarding.csv"))
	applied := c.must(exitOK, "export")

	list := c.must(exitOK, "runs")
	if !strings.Contains(list, "onboarding.csv") || !strings.Contains(list, "applied") || !strings.HasPrefix(list, "RUN") {
		t.Fatalf("runs:\n%s", list)
	}
	var runs struct {
		Runs []plan.Run `json:"runs"`
	}
	if err := json.Unmarshal([]byte(c.must(exitOK, "runs", "--format", "json")), &runs); err != nil || len(runs.Runs) != 1 {
		t.Fatalf("runs --format json: %+v, %v", runs, err)
	}
	r := runs.Runs[0]
	if r.Outcome != plan.RunApplied || r.Applied == 0 || r.Who == "" || r.Roster != "onboarding.csv" {
		t.Errorf("run %+v", r)
	}
	show := c.must(exitOK, "runs", "1")
	for _, w := range []string{"run 1  company acme  applied", "+ user alee@acme.example", `first_name: "" -> "Ann"`, "left at version 1"} {
		if !strings.Contains(show, w) {
			t.Errorf("runs 1 does not show %q:\n%s", w, show)
		}
	}
	var one struct {
		Changes []struct {
			Key          string `json:"key"`
			Outcome      string `json:"outcome"`
			AfterVersion int64  `json:"after_version"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(c.must(exitOK, "runs", "--format", "json", "1")), &one); err != nil || len(one.Changes) != r.Changes {
		t.Fatalf("runs --format json 1: %d changes, %v", len(one.Changes), err)
	}

	// Without --yes: the plan, nothing written.
	sumPath := filepath.Join(t.TempDir(), "revert.json")
	shown := c.must(exitOK, "revert", "--summary-json", sumPath, "1")
	if !strings.Contains(shown, "reverts run 1") || !strings.Contains(shown, "alee@acme.example  deprovisioned") {
		t.Errorf("revert 1 shows:\n%s", shown)
	}
	s := readSummary(t, sumPath)
	if s.Command != "revert" || s.Company != "acme" || s.Roster != "onboarding.csv" || s.RunID != 0 || s.Plan == nil ||
		s.Changes == nil || s.Changes.Planned != planned(s.Plan) || s.Changes.Planned == 0 || s.Changes.Applied != 0 ||
		s.Rows[plan.StatusDeprovisioned] != 6 || s.ExitCode != exitOK || s.Exit != "ok" || stageNames(s) != "plan,report" {
		t.Errorf("summary of the revert shown: %+v (changes %+v)", s, s.Changes)
	}
	if c.must(exitOK, "export") != applied {
		t.Fatal("revert without --yes changed the live state")
	}
	c.must(exitFatal, "revert", "--summary-json", sumPath, "12")
	if s := readSummary(t, sumPath); s.ExitCode != exitFatal || s.Exit != "fatal" || s.Error == "" || s.Rows != nil || s.Plan != nil {
		t.Errorf("summary of a revert of no run: %+v", s)
	}
	c.must(exitFatal, "revert", "x")

	out := c.must(exitChanges, "revert", "--yes", "--detailed-exitcode", "--format", "jsonl", "--summary-json", sumPath, "1")
	rows := jsonLines(t, out)
	for row, l := range rows {
		if l.Status != plan.StatusDeprovisioned {
			t.Errorf("revert, row %d: %s %v %v", row, l.Status, l.Actions, l.Messages)
		}
	}
	s = readSummary(t, sumPath)
	if s.Command != "revert" || s.RunID != 2 || s.Atomic || s.Changes == nil || s.Changes.Planned != planned(s.Plan) ||
		s.Changes.Applied != s.Changes.Planned || s.Changes.NotWritten != 0 || s.RolledBack ||
		s.Rows[plan.StatusDeprovisioned] != len(rows) || s.Rows[plan.StatusConflict] != 0 || s.Rows[plan.StatusFailed] != 0 ||
		s.ExitCode != exitChanges || s.Exit != "changes" || s.Error != "" || stageNames(s) != "plan,apply,report" {
		t.Errorf("summary of the revert applied: %+v (changes %+v)", s, s.Changes)
	}
	if err := json.Unmarshal([]byte(c.must(exitOK, "runs", "--format", "json")), &runs); err != nil || len(runs.Runs) != 2 {
		t.Fatalf("runs after the revert: %+v, %v", runs, err)
	}
	if ids := []int64{runs.Runs[0].ID, runs.Runs[1].ID}; !slices.Contains(ids, s.RunID) || !slices.Contains(ids, 1) {
		t.Errorf("runs %v: the summary's run %d is not the revert's", ids, s.RunID)
	}
	for _, r := range runs.Runs { // a revert is listed as one, not as another onboarding of the roster
		if want := map[int64]plan.Mode{1: plan.Onboard, s.RunID: plan.Reverting}[r.ID]; r.Mode != want {
			t.Errorf("run %d is listed with mode %q, want %q", r.ID, r.Mode, want)
		}
	}
	if list := c.must(exitOK, "runs"); !regexp.MustCompile(`(?m)^2 .* revert +onboarding\.csv +applied`).MatchString(list) {
		t.Errorf("runs does not list run 2 as a revert:\n%s", list)
	}
	if got := c.must(exitOK, "export"); got != before {
		t.Errorf("after the revert the numbers are not as before the run:\n%s\nwant\n%s", got, before)
	}
	// Nothing left: every row changed since (by the revert itself).
	again := c.must(exitPartial, "revert", "--yes", "--detailed-exitcode", "--format", "jsonl", "--summary-json", sumPath, "1")
	for row, l := range jsonLines(t, again) {
		if l.Status != plan.StatusConflict || len(l.Messages) == 0 || l.Messages[0].Code != plan.CodeRevertChanged {
			t.Errorf("second revert, row %d: %s %v", row, l.Status, l.Messages)
		}
	}
	s = readSummary(t, sumPath)
	if s.RunID != 0 || s.Changes == nil || s.Changes.Planned != 0 || s.Plan.Conflict != len(rows) ||
		s.Rows[plan.StatusConflict] != len(rows) || s.ExitCode != exitPartial || s.Exit != "partial" || stageNames(s) != "plan,report" {
		t.Errorf("summary of the second revert: %+v (changes %+v)", s, s.Changes)
	}
	// Without --detailed-exitcode, refused rows are no failure.
	c.must(exitOK, "revert", "--yes", "1")
}

// planned is the count of changes a plan summary counts.
func planned(s *plan.Summary) int {
	if s == nil {
		return -1
	}
	return s.Create + s.Change + s.Move + s.Deprovision
}

// TestRevertProgress: revert shows the apply stage's progress as apply does
// (here off a terminal, logging at once), and with --quiet neither draws
// anything: stderr holds only the summary lines.
func TestRevertProgress(t *testing.T) {
	defer func(f func(io.Writer, bool, bool) *report.Progress) { newApplyProgress = f }(newApplyProgress)
	newApplyProgress = func(w io.Writer, terminal, quiet bool) *report.Progress {
		p := report.NewProgress(w, terminal, quiet)
		p.Every = 0 // a line for every stage, however short
		return p
	}
	roster := filepath.Join(demo, "onboarding.csv")
	for _, quiet := range []bool{false, true} {
		c := cli{t, filepath.Join(t.TempDir(), "pbxsync.db")}
		c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
		args := []string{"--yes", "--quiet=" + strconv.FormatBool(quiet)}
		code, _, applied := c.run(append(append([]string{"apply"}, args...), roster)...)
		if code != exitOK {
			t.Fatalf("apply: exit %d\n%s", code, applied)
		}
		code, _, reverted := c.run(append(append([]string{"revert"}, args...), "1")...)
		if code != exitOK {
			t.Fatalf("revert: exit %d\n%s", code, reverted)
		}
		for cmd, stderr := range map[string]string{"apply": applied, "revert": reverted} {
			progress := regexp.MustCompile(`(?m)^apply: done, 6 rows in `).MatchString(stderr)
			if progress == quiet {
				t.Errorf("%s --quiet=%v: progress shown %v:\n%s", cmd, quiet, progress, stderr)
			}
		}
		if !quiet {
			continue
		}
		want := regexp.MustCompile(`^revert of run 1: 0 to create, \d+ to change, 0 to move, 6 to deprovision; 0 row\(s\) refused\nreverted \d+ changes \(run 2\)\n$`)
		if !want.MatchString(reverted) {
			t.Errorf("revert --quiet: stderr is not only the summary lines:\n%q", reverted)
		}
	}
}

func TestRunsRevertSQLite(t *testing.T) {
	testRunsRevert(t, filepath.Join(t.TempDir(), "pbxsync.db"))
}

func TestRunsRevertPostgres(t *testing.T) {
	testRunsRevert(t, storetest.PostgresSchemaURL(t))
}
