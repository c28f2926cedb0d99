package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
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
	shown := c.must(exitOK, "revert", "1")
	if !strings.Contains(shown, "reverts run 1") || !strings.Contains(shown, "alee@acme.example  deprovisioned") {
		t.Errorf("revert 1 shows:\n%s", shown)
	}
	if c.must(exitOK, "export") != applied {
		t.Fatal("revert without --yes changed the live state")
	}
	c.must(exitFatal, "revert", "12")
	c.must(exitFatal, "revert", "x")

	out := c.must(exitChanges, "revert", "--yes", "--detailed-exitcode", "--format", "jsonl", "1")
	for row, l := range jsonLines(t, out) {
		if l.Status != plan.StatusDeprovisioned {
			t.Errorf("revert, row %d: %s %v %v", row, l.Status, l.Actions, l.Messages)
		}
	}
	if got := c.must(exitOK, "export"); got != before {
		t.Errorf("after the revert the numbers are not as before the run:\n%s\nwant\n%s", got, before)
	}
	// Nothing left: every row changed since (by the revert itself).
	again := c.must(exitPartial, "revert", "--yes", "--detailed-exitcode", "--format", "jsonl", "1")
	for row, l := range jsonLines(t, again) {
		if l.Status != plan.StatusConflict || len(l.Messages) == 0 || l.Messages[0].Code != plan.CodeRevertChanged {
			t.Errorf("second revert, row %d: %s %v", row, l.Status, l.Messages)
		}
	}
}

func TestRunsRevertSQLite(t *testing.T) {
	testRunsRevert(t, filepath.Join(t.TempDir(), "pbxsync.db"))
}

func TestRunsRevertPostgres(t *testing.T) {
	testRunsRevert(t, storetest.PostgresSchemaURL(t))
}
