package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputsRefusedBeforeTheRun: a --report whose name says no format, or
// an --annotate copy with another extension than the roster's, is refused
// before anything is read or written, not after the changes are.
func TestOutputsRefusedBeforeTheRun(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	roster := filepath.Join(demo, "onboarding.csv")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"apply", "--yes", "--report", filepath.Join(dir, "report.txt"), roster}, "unknown format; name it .csv, .jsonl or .xlsx"},
		{[]string{"apply", "--yes", "--annotate", filepath.Join(dir, "marked.xlsx"), roster}, "give it the extension of onboarding.csv"},
		{[]string{"apply", "--yes", "--annotate", roster, roster}, "that is the roster itself"},
		{[]string{"validate", "--report", filepath.Join(dir, "problems"), roster}, "unknown format"},
		{[]string{"plan", "--annotate", filepath.Join(dir, "marked.txt"), roster}, "give it the extension"},
		{[]string{"revert", "--yes", "--report", filepath.Join(dir, "revert.txt"), "1"}, "unknown format"},
	} {
		code, out, errs := c.run(tc.args...)
		if code != exitFatal || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, nothing on stdout, and %q", tc.args[:len(tc.args)-1], code, out, errs, exitFatal, tc.want)
		}
	}
	// Nothing was written: the roster's rows are still to create.
	if code, out, errs := c.run("apply", "--yes", "--report", filepath.Join(dir, "report.csv"), roster); code != exitOK || !strings.Contains(out, "created") {
		t.Fatalf("apply after the refusals: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}
