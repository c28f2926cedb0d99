package main

import (
	"path/filepath"
	"strings"
	"testing"
)

var hrSample = filepath.Join("..", "..", "samples", "hr")

// The HR sample as the README walks through it: the staff applied, then the
// German export planned and applied as a nightly sync; a mistyped site or
// date refused with what would be right.
func TestHRSampleCLI(t *testing.T) {
	c := cli{t, filepath.Join(t.TempDir(), "pbxsync.db")}
	c.must(0, "init", "--seed", filepath.Join(hrSample, "company.json"))
	c.must(0, "apply", "--yes", filepath.Join(hrSample, "staff.csv"))
	sync := []string{"--mode", "sync", "--manage", "external-id", "--today", "2026-12-07", "--profile", filepath.Join(hrSample, "personal.yaml"), filepath.Join(hrSample, "personal.csv")}

	out := c.must(0, append([]string{"plan"}, sync...)...)
	for _, want := range []string{
		"row 3  bernd.keller@acme.example  deprovisioned",
		"leaver: left after 2026-11-30 (exit date of row 3)",
		"row 5  dana.berger@acme.example  renamed",
		`user_id: "dana.meier@acme.example" -> "dana.berger@acme.example"`,
		"voice_enabled.holds_numbers: voice service off for emil.braun@acme.example, who holds +493090182014",
		"duplicate.external_id: HR id 1007 is also on row 9",
		"row 4: carla.wolf@acme.example leaves after 2027-03-31",
		"row 7: felix.koch@acme.example is kept as they are",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan lacks %q:\n%s", want, out)
		}
	}
	out = c.must(0, append([]string{"apply", "--yes"}, sync...)...)
	if !strings.Contains(out, "dana.berger@acme.example   renamed") {
		t.Errorf("the rename was not applied:\n%s", out)
	}
	if out := c.must(0, "export"); !strings.Contains(out, "+493090182013,ASSIGNED,dana.berger@acme.example,2004") {
		t.Errorf("Dana's number did not follow her new login:\n%s", out)
	}
	if out := c.must(0, append([]string{"plan"}, sync...)...); !strings.Contains(out, "Plan: 0 to create, 0 to change") {
		t.Errorf("the same export again plans changes:\n%s", out)
	}
	if out := c.must(0, "revert", "2"); !strings.Contains(out, `user_id: "dana.berger@acme.example" -> "dana.meier@acme.example"`) {
		t.Errorf("the revert does not rename Dana back:\n%s", out)
	}

	// A year after Bernd left (2026-12-07), erase removes him for good: not
	// on the last day of the retention, on the day after; the sync's run
	// names him no more, and the erasure cannot be reverted.
	if out := c.must(0, "erase", "--today", "2027-12-07"); strings.Contains(out, "bernd.keller") {
		t.Errorf("erase within the retention plans Bernd:\n%s", out)
	}
	if out := c.must(0, "erase", "--today", "2027-12-08"); !strings.Contains(out, "- user bernd.keller@acme.example (delete)") {
		t.Errorf("erase after the retention does not plan Bernd:\n%s", out)
	}
	if code, out, errs := c.run("erase", "--today", "2027-12-08", "--yes"); code != 0 || !strings.Contains(errs, "erased 1 users (run 3)") {
		t.Errorf("erase --yes: exit %d\n%s\n%s", code, out, errs)
	}
	if out := c.must(0, "runs", "2"); strings.Contains(out, "bernd.keller") || strings.Contains(out, "Keller") || !strings.Contains(out, "erased-") {
		t.Errorf("the sync's run still names Bernd after his erasure:\n%s", out)
	}
	if code, _, errs := c.run("revert", "3"); code != 1 || !strings.Contains(errs, "an erasure cannot be reverted") {
		t.Errorf("revert of the erasure: exit %d, %s", code, errs)
	}

	code, _, errs := c.run("plan", "--mode", "sync", "--manage", "site=brl", filepath.Join(hrSample, "personal.csv"))
	if code != 1 || !strings.Contains(errs, "company acme has no site brl; its sites are ber") {
		t.Errorf("--manage site=brl: exit %d, %s", code, errs)
	}
	code, _, errs = c.run("plan", "--today", "31.03.2027", filepath.Join(hrSample, "personal.csv"))
	if code != 1 || !strings.Contains(errs, "want a date as YYYY-MM-DD") {
		t.Errorf("--today 31.03.2027: exit %d, %s", code, errs)
	}
	if _, out, _ := c.run("plan", "--help"); !strings.Contains(out, "once more than 3 would go") {
		t.Errorf("plan --help does not state the small-company rule:\n%s", out)
	}
}
