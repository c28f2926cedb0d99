package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// samples/daytwo/users.csv, after the day-two files on the demo company:
// two users join sales (by its name, in any case), one gets another's
// number as a second line on her phone, two numbers are routed to the
// support group and to the auto attendant by its name. Applied again it
// changes nothing; reverted, the groups and numbers are as before.
func TestDayTwoRosterFlow(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	c.must(exitOK, "apply", "--yes", filepath.Join(demo, "onboarding.csv"))
	for _, k := range []string{"sites", "numbers", "models", "hunt-groups", "auto-attendants"} {
		c.must(exitOK, "apply", "--yes", filepath.Join(daytwo, k+".csv"))
	}
	before := c.must(exitOK, "export", "--what", "hunt-groups") + c.must(exitOK, "export", "--what", "numbers")
	users := filepath.Join(daytwo, "users.csv")
	out := c.must(exitOK, "plan", users)
	for _, want := range []string{
		"+ huntmember sales for alee@acme.example", `position = "1"`,
		"+ member +14155550101 for cdiaz@acme.example", `role = "assigned"`, `lines: "1" -> "2"`,
		"row 4  +14155550203  updated", `target: "" -> "huntgroup:support"`, `routing: "aa:main" -> "hg:support"`,
		`target: "" -> "autoattendant:main"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan users.csv does not show %q:\n%s", want, out)
		}
	}
	_, _, errs := c.run("apply", "--yes", users)
	m := regexp.MustCompile(`applied 6 changes \(run (\d+)\)`).FindStringSubmatch(errs)
	if m == nil {
		t.Fatalf("apply users.csv: %s", errs)
	}
	if out := c.must(exitOK, "export", "--what", "hunt-groups"); !strings.Contains(out, "sales,Sales,6000,+14155550190,alee@acme.example; cdiaz@acme.example") ||
		!strings.Contains(out, "+14155550201;+14155550203,") {
		t.Errorf("export --what hunt-groups after users.csv:\n%s", out)
	}
	if out := c.must(exitOK, "plan", "--full", "--detailed-exitcode", users); !strings.Contains(out, "Plan: 0 to create, 0 to change, 0 to move, 0 to deprovision.") {
		t.Errorf("users.csv planned again:\n%s", out)
	}
	c.must(exitOK, "revert", "--yes", m[1])
	if after := c.must(exitOK, "export", "--what", "hunt-groups") + c.must(exitOK, "export", "--what", "numbers"); after != before {
		t.Errorf("after the revert:\n%s\nwant\n%s", after, before)
	}
}
