package main

import (
	"io"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/report"
)

// The apply of a roster holds the plan, not the check: by the time the
// apply begins, the checked rows and the live state are garbage (a 100k-row
// roster's are ~100 MB; BENCHMARKS.md, "Memory (issue 21)").
func TestApplyLetsTheCheckGo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pbxsync.db")
	c := cli{t, db}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))

	freed := make(chan string, 2)
	onChecked = func(ch *importer.Checked) {
		runtime.SetFinalizer(ch, func(*importer.Checked) { freed <- "the check" })
		runtime.SetFinalizer(ch.State, func(*pbx.State) { freed <- "the live state" })
	}
	var got []string
	newApplyProgress = func(w io.Writer, tty, quiet bool) *report.Progress {
		for len(got) < 2 { // the check, then what only it held
			runtime.GC()
			select {
			case s := <-freed:
				got = append(got, s)
			case <-time.After(time.Second):
				t.Errorf("as the apply begins, still held: %d of the check and the live state (freed: %q)", 2-len(got), got)
				return report.NewProgress(w, tty, quiet)
			}
		}
		return report.NewProgress(w, tty, quiet)
	}
	t.Cleanup(func() { onChecked, newApplyProgress = nil, report.NewProgress })
	c.must(exitOK, "apply", "--yes", filepath.Join(demo, "onboarding.csv"))
	if len(got) != 2 {
		t.Errorf("freed before the apply: %q, want the check and the live state", got)
	}
}
