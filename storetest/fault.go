package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

// What the fault tests of both stores (a connection cut, a process
// killed) check after the cut: the export, the runs, the revert.

// ExportText is what `pbxsync export` writes of a company: its numbers,
// then its users as a roster. Versions are not in it: a state reverted
// exports as the state before.
func ExportText(t testing.TB, s importer.Store, company string) string {
	t.Helper()
	st, err := s.Load(context.Background(), company)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.WriteNumbers(&b, st); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteRoster(&b, st); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// RevertRun plans the revert of run id against the live state and applies
// it; no row of it may be refused. A run that wrote nothing has nothing to
// revert.
func RevertRun(t testing.TB, s importer.Store, id int64) {
	t.Helper()
	ctx := context.Background()
	rec, err := s.Run(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	live, err := s.Load(ctx, rec.Company)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Revert(live, rec)
	if errors.Is(err, pbx.ErrRefused) && rec.Applied == 0 && rec.Outcome != plan.RunRunning {
		return
	}
	if err != nil {
		t.Fatalf("revert of run %d (%s): %v", id, rec.Outcome, err)
	}
	if p.Summary.Conflict > 0 {
		var why []string
		for _, r := range p.Rows {
			for _, pr := range r.Problems {
				why = append(why, fmt.Sprintf("row %d %s: %s", r.Line, r.Key, pr.Message))
			}
		}
		t.Fatalf("revert of run %d refuses %d row(s): %s", id, p.Summary.Conflict, strings.Join(why, "; "))
	}
	if res, err := s.Apply(ctx, p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("applying the revert of run %d: %+v, %v", id, res, err)
	}
}

// RerunAndRevert is what follows a run that was cut short (interrupted
// id): planning the roster again against the live state (replan) and
// applying it must give the export of an uninterrupted apply (final), and
// reverting the re-run, then the interrupted run, the export from before
// (before), with no run left running.
func RerunAndRevert(t testing.TB, s importer.Store, replan func(*pbx.State) (*plan.Plan, error), interrupted int64, final, before string) {
	t.Helper()
	ctx := context.Background()
	st, err := s.Load(ctx, Acme)
	if err != nil {
		t.Fatal(err)
	}
	p, err := replan(st)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Apply(ctx, p, apply.Options{})
	if err != nil || len(res.Failed) > 0 {
		t.Fatalf("re-run: %+v, %v", res, err)
	}
	if got := ExportText(t, s, Acme); got != final {
		t.Fatalf("the re-run's export is not the uninterrupted apply's:\n%s\nwant\n%s", got, final)
	}
	for _, id := range []int64{res.RunID, interrupted} {
		if id != 0 { // 0: the re-run had nothing to do
			RevertRun(t, s, id)
		}
	}
	NoneRunning(t, s, Acme)
	if got := ExportText(t, s, Acme); got != before {
		t.Fatalf("reverting gives:\n%s\nwant the export before:\n%s", got, before)
	}
}

// NoneRunning fails the test when a run of the company is still "running".
func NoneRunning(t testing.TB, s importer.Store, company string) {
	t.Helper()
	runs, err := s.Runs(context.Background(), company, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Outcome == plan.RunRunning {
			t.Errorf("run %d is still running: %+v", r.ID, r)
		}
	}
}

// WholeBatches checks that of the batches (each the plan indexes of its
// changes) those written (per change, as the audit log says) are whole
// batches, and the first ones only: a cut run commits a prefix of them.
func WholeBatches(t testing.TB, batches [][]int, written map[int]bool) {
	t.Helper()
	prefix := true
	for bi, b := range batches {
		in := 0
		for _, ci := range b {
			if written[ci] {
				in++
			}
		}
		switch {
		case in != 0 && in != len(b):
			t.Errorf("batch %d is partly written: %d of %d changes", bi+1, in, len(b))
		case in == len(b) && !prefix:
			t.Errorf("batch %d is written after an unwritten one", bi+1)
		case in == 0:
			prefix = false
		}
	}
}
