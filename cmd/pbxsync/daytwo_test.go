package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var daytwo = filepath.Join("..", "..", "samples", "daytwo")

// The README's day-two files, as samples/daytwo/README.md runs them on the
// demo company: each kind told by its header and named on stderr; applied,
// then planned again with nothing to change; each export fed back plans no
// change; the kind said with --kind where the header does not tell.
func TestDayTwoFilesFlow(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	c.must(exitOK, "apply", "--yes", filepath.Join(demo, "onboarding.csv")) // the users support rings
	kinds := []string{"sites", "numbers", "models", "hunt-groups", "auto-attendants"}
	for _, k := range kinds {
		_, _, errs := c.run("apply", "--yes", filepath.Join(daytwo, k+".csv"))
		if want := "profile " + k + " file, told by the header"; !strings.Contains(errs, want) {
			t.Errorf("apply %s.csv: stderr does not say %q:\n%s", k, want, errs)
		}
		if !strings.Contains(errs, "applied ") {
			t.Errorf("apply %s.csv wrote nothing:\n%s", k, errs)
		}
	}
	if out := c.must(exitOK, "export", "--what", "hunt-groups"); !strings.Contains(out, "support,Support,6200,+14155550200;+14155550201,bmartin@acme.example; alee@acme.example") {
		t.Errorf("export --what hunt-groups: %s", out)
	}
	for _, k := range kinds {
		out := c.must(exitOK, "plan", "--detailed-exitcode", filepath.Join(daytwo, k+".csv"))
		if !strings.Contains(out, "Plan: 0 to create, 0 to change, 0 to move, 0 to deprovision.") {
			t.Errorf("%s.csv planned again:\n%s", k, out)
		}
	}
	for _, k := range append(kinds, "users") {
		f := filepath.Join(dir, "export-"+k+".csv")
		writeFile(t, f, c.must(exitOK, "export", "--what", k))
		c.must(exitOK, "plan", "--detailed-exitcode", f) // exit 2 would be changes, 3 problems
	}
	// a header that does not tell: --kind does
	odd := filepath.Join(dir, "odd.csv")
	writeFile(t, odd, "Number,Label\n+1 415 555 0151,Fax\n")
	if code, _, _ := c.run("plan", "--detailed-exitcode", "--kind", "numbers", odd); code != exitChanges {
		t.Errorf("plan --kind numbers odd.csv: exit %d, want %d (a label changed)", code, exitChanges)
	}
	if code, _, errs := c.run("plan", "--kind", "phones", odd); code != exitFatal || !strings.Contains(errs, "numbers, sites, models, hunt-groups, auto-attendants, users") {
		t.Errorf("--kind phones: exit %d, %s", code, errs)
	}
}

// init --seed on a company in the store: the difference is shown, applied
// only with --yes (not on --dry-run, not without a terminal), as a run that
// revert undoes; a seed that matches changes nothing.
func TestInitSeedExisting(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	seed := filepath.Join(demo, "company.json")
	c.must(exitOK, "init", "--seed", seed)
	_, _, errs := c.run("init", "--seed", seed)
	if !strings.Contains(errs, "matches the seed: nothing to do") {
		t.Errorf("the same seed again: %s", errs)
	}
	b, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(b), `{"id": "sales", "name": "Sales", "extension": "6000"}`,
		`{"id": "sales", "name": "Sales", "extension": "6000"}, {"id": "support", "name": "Support", "extension": "6200"}`, 1)
	text = strings.Replace(text, `"label": "Sales"`, `"label": "Sales line"`, 1)
	changed := filepath.Join(dir, "company.json")
	writeFile(t, changed, text)
	before := c.must(exitOK, "export", "--what", "hunt-groups") + c.must(exitOK, "export", "--what", "numbers")
	out := c.must(exitOK, "init", "--seed", changed, "--dry-run")
	for _, want := range []string{"+ huntgroup support", `label: "Sales" -> "Sales line"`, "Plan: 1 to create, 1 to change"} {
		if !strings.Contains(out, want) {
			t.Errorf("init --dry-run: the plan does not show %q:\n%s", want, out)
		}
	}
	c.must(exitFatal, "init", "--seed", changed) // no terminal, no --yes
	if got := c.must(exitOK, "export", "--what", "hunt-groups") + c.must(exitOK, "export", "--what", "numbers"); got != before {
		t.Fatalf("a seed planned but not confirmed changed the store")
	}
	_, _, errs = c.run("init", "--seed", changed, "--yes")
	if !strings.Contains(errs, "applied 2 changes of the seed to company acme (run 1") {
		t.Errorf("init --yes: %s", errs)
	}
	if out := c.must(exitOK, "export", "--what", "hunt-groups"); !strings.Contains(out, "support,Support,6200") {
		t.Errorf("after init --yes: %s", out)
	}
	c.must(exitOK, "revert", "--yes", "1")
	if got := c.must(exitOK, "export", "--what", "hunt-groups") + c.must(exitOK, "export", "--what", "numbers"); got != before {
		t.Errorf("revert of the seed's run: the exports differ from before it")
	}
}
