package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/report"
)

// savedByMain is the demo roster's plan as pbxsync saved it before a
// change's field list was packed (commit 352eaa6: `pbxsync init --seed
// samples/demo/company.json`, then `pbxsync plan --out FILE
// samples/demo/onboarding.csv`).
var savedByMain = filepath.Join("testdata", "demo-352eaa6.plan.json")

// TestPlanSavedByMainReadsBackTheSame: the saved plan's JSON is still
// format 1 byte for byte: read and written again it is the same file.
func TestPlanSavedByMainReadsBackTheSame(t *testing.T) {
	saved, err := os.ReadFile(savedByMain)
	if err != nil {
		t.Fatal(err)
	}
	p, err := readPlan(savedByMain)
	if err != nil {
		t.Fatal(err)
	}
	if p.Changes[1].Fields.Len() != 8 {
		t.Fatalf("change 1 (%s %s) has %d fields, want the new user's 8", p.Changes[1].Action, p.Changes[1].Key, p.Changes[1].Fields.Len())
	}
	var again bytes.Buffer
	if err := report.WritePlanJSON(&again, p); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), saved) {
		want, got := strings.Split(string(saved), "\n"), strings.Split(again.String(), "\n")
		for i := range min(len(want), len(got)) {
			if want[i] != got[i] {
				t.Fatalf("line %d written again as\n%s\nsaved as\n%s", i+1, got[i], want[i])
			}
		}
		t.Fatalf("written again in %d lines, saved in %d", len(got), len(want))
	}
}

// TestPlanSavedByMainApplies: the plan main saved applies, and the roster
// it came from then changes nothing.
func TestPlanSavedByMainApplies(t *testing.T) {
	c := cli{t, filepath.Join(t.TempDir(), "pbxsync.db")}
	c.must(0, "init", "--seed", filepath.Join(demo, "company.json"))
	if code, _, errs := c.run("apply", "--yes", savedByMain); code != 0 || !strings.Contains(errs, "applied 22 changes") {
		t.Fatalf("apply of the saved plan: exit %d\n%s", code, errs)
	}
	if code, _, errs := c.run("apply", "--yes", filepath.Join(demo, "onboarding.csv")); code != 0 ||
		!strings.Contains(errs, "plan: 0 to create, 0 to change, 0 to move, 0 to deprovision") {
		t.Fatalf("the roster after its saved plan was applied: exit %d\n%s", code, errs)
	}
}
