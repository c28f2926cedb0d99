package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

func TestWritePlan(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts report.PlanOptions
	}{
		{"plan", report.PlanOptions{}},
		{"plan_unchanged", report.PlanOptions{Unchanged: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.WritePlan(&b, fixturePlan(t), tt.opts); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.name+".txt", b.Bytes())
		})
	}
}

func TestWritePlanJSON(t *testing.T) {
	p := fixturePlan(t)
	var b bytes.Buffer
	if err := report.WritePlanJSON(&b, p); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.json", b.Bytes())

	// A saved plan reads back as the plan it was.
	var back plan.Plan
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Format != plan.FormatVersion || len(back.Changes) != len(p.Changes) || len(back.Rows) != len(p.Rows) ||
		back.Summary != p.Summary || !back.CreatedAt.Equal(p.CreatedAt) {
		t.Errorf("plan JSON does not read back: %+v", back.Summary)
	}
}
