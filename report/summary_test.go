package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

// TestSummaryJSON: the run summary of an apply that left a row out, and of
// an apply refused before it began, as docs/json.md documents them.
func TestSummaryJSON(t *testing.T) {
	start := time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)
	t.Run("partial", func(t *testing.T) {
		p := fixturePlan(t)
		bob := -1
		for i, c := range p.Changes {
			if c.Kind == plan.KindUser && c.Key == "bob@acme.example" {
				bob = i
			}
		}
		res := &plan.Result{RunID: 7, Applied: len(p.Changes) - 1, Failed: []plan.Outcome{
			{Change: bob, Err: fmt.Errorf("%w: extension 1050", pbx.ErrConflict), Reason: "extension 1050 is already used by zed@acme.example"}}}
		s := &report.Summary{Command: "apply", StartedAt: start, FinishedAt: start.Add(2500 * time.Millisecond), DurationMS: 2500}
		s.SetPlan(p)
		s.Stage("plan", 1200*time.Millisecond)
		s.Stage("apply", 1100*time.Millisecond)
		s.Stage("report", 200*time.Millisecond)
		s.SetResult(res)
		lines := report.Applied(p, res)
		s.Rows = report.CountRows(lines)
		s.ExitCode, s.Exit = 3, "partial"
		var b bytes.Buffer
		if err := report.WriteSummaryJSON(&b, s); err != nil {
			t.Fatal(err)
		}
		golden(t, "summary_partial.json", b.Bytes())

		var back report.Summary
		if err := json.Unmarshal(b.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, n := range back.Rows {
			total += n
		}
		if back.Format != report.SummaryFormat || total != len(lines) || back.Rows[plan.StatusFailed] != 1 || back.Rows[plan.StatusInvalid] != 2 {
			t.Errorf("read back: format %d, rows %v (%d, want %d)", back.Format, back.Rows, total, len(lines))
		}
		if c := back.Changes; c.Planned != len(p.Changes) || c.Applied+c.NotWritten != c.Planned || c.NotWritten != 1 || back.RunID != 7 {
			t.Errorf("read back: changes %+v, run %d", c, back.RunID)
		}
	})
	t.Run("refused", func(t *testing.T) {
		s := &report.Summary{Command: "apply", StartedAt: start, FinishedAt: start.Add(5 * time.Second), DurationMS: 5000,
			ExitCode: 1, Exit: "fatal", Error: "company acme is being applied by run 12 since 01:59 (alice, pid 4242 on build-1); gave up after waiting 5s"}
		var b bytes.Buffer
		if err := report.WriteSummaryJSON(&b, s); err != nil {
			t.Fatal(err)
		}
		golden(t, "summary_refused.json", b.Bytes())
	})
}
