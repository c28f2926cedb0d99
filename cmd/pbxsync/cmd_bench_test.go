package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/bench"
)

// bench --compare runs the roster with numbers given and auto, each on a
// copy of the store, and prints auto / given.
func TestBenchCompare(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gen.db")
	if code, _, errs := runCLI(t, "gen", "state", "--db", db, "--companies", "1", "--users", "300", "--numbers", "2000", "--site-pool", "1000", "--seed", "5"); code != exitOK {
		t.Fatalf("gen state exits %d: %s", code, errs)
	}
	code, out, errs := runCLI(t, "bench", "--db", db, "--rows", "200", "--no-floor", "--compare", "given,auto")
	if code != exitOK {
		t.Fatalf("bench --compare exits %d: %s", code, errs)
	}
	for _, want := range []string{"=== numbers and extensions given ===", "=== numbers and extensions auto ===",
		"run given then auto", "end to end, auto / given: "} {
		if !strings.Contains(out, want) {
			t.Errorf("bench --compare does not print %q:\n%s", want, out)
		}
	}
	code, out, errs = runCLI(t, "bench", "--db", db, "--rows", "200", "--no-floor", "--compare", "auto,given", "--json")
	var c bench.Comparison
	if code != exitOK || json.Unmarshal([]byte(out), &c) != nil || c.Auto == nil || c.Given == nil || c.Order[0] != bench.Auto {
		t.Fatalf("bench --compare auto,given --json exits %d (%s) and prints:\n%s", code, errs, out)
	}
	if c.Auto.Changes != c.Given.Changes || c.Auto.Changes == 0 || c.RatioWall <= 0 {
		t.Errorf("auto %d changes, given %d, ratio %v", c.Auto.Changes, c.Given.Changes, c.RatioWall)
	}
	for _, args := range [][]string{{"--compare", "auto"}, {"--compare", "given,auto", "--auto"}} {
		code, _, errs := runCLI(t, append([]string{"bench", "--db", db}, args...)...)
		if code != exitFatal || !strings.Contains(errs, "--compare") {
			t.Errorf("bench %v exits %d, stderr %q; want %d naming --compare", args, code, errs, exitFatal)
		}
	}
}
