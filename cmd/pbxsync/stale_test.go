package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
)

// The stale saved plan of issue 13 from the command line: `plan --out` for a
// row that gives bmartin (ext 2102) a number, another apply changes his
// extension, and `apply PLAN.json` is refused naming row 2 and bmartin,
// writing nothing; `runs --format json` then shows the rolled-back run's
// row as failed, not as the "updated" it was planned.
func TestStaleSavedPlanRefused(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	c.must(exitOK, "apply", "--yes", filepath.Join(demo, "onboarding.csv"))
	give := filepath.Join(dir, "give.csv")
	write(t, give, "User ID,Phone Number,E911 Street,E911 City,E911 State,E911 Postal Code\n"+
		"bmartin@acme.example,\"+1 415 555 0102, +1 415 555 0150\",100 Market St,San Francisco,CA,94105\n")
	saved := filepath.Join(dir, "give.plan.json")
	c.must(exitOK, "plan", "--out", saved, give)
	ext := filepath.Join(dir, "ext.csv")
	write(t, ext, "User ID,Extension\nbmartin@acme.example,2999\n")
	c.must(exitOK, "apply", "--yes", ext)
	before := c.must(exitOK, "export", "--what", "numbers")

	code, _, stderr := c.run("apply", saved)
	if code != exitFatal || !strings.Contains(stderr, "row 2: ") || !strings.Contains(stderr, "user bmartin@acme.example") ||
		!strings.Contains(stderr, "nothing applied") {
		t.Fatalf("apply of the stale plan: exit %d\n%s", code, stderr)
	}
	if after := c.must(exitOK, "export", "--what", "numbers"); after != before {
		t.Errorf("the refused plan changed the numbers:\n%s\nwant\n%s", after, before)
	}
	var run struct {
		Run  plan.Run       `json:"run"`
		Rows []plan.RowPlan `json:"rows"`
	}
	if err := json.Unmarshal([]byte(c.must(exitOK, "runs", "--format", "json", "3")), &run); err != nil {
		t.Fatal(err)
	}
	if run.Run.Outcome != plan.RunRolledBack || len(run.Rows) != 1 || run.Rows[0].Status != plan.StatusFailed {
		t.Errorf("run 3: %s, rows %+v; want rolled back with row 2 failed", run.Run.Outcome, run.Rows)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
