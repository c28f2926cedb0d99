package importer

import (
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

func TestLeftOutNotes(t *testing.T) {
	p := &plan.Plan{Rows: []plan.RowPlan{{Line: 2}, {Line: 4}}}
	warnings := map[int][]*pbx.Problem{
		2: {{Code: "device.line_left_out", Message: "line 5399 of phone 001b54a1c301 is left out"}}, // on a planned row: shown there
		5: {{Code: "device.no_owner_left_out", Message: "phone 001b54a1c3a0 names no user"}},
		3: {{Code: "number.no_owner_left_out", Message: "number 4155554200 names no user"}},
	}
	got := leftOutNotes(p, warnings)
	want := []string{
		"row 3 left out: number.no_owner_left_out: number 4155554200 names no user",
		"row 5 left out: device.no_owner_left_out: phone 001b54a1c3a0 names no user",
	}
	if !slices.Equal(got, want) {
		t.Errorf("leftOutNotes = %q\nwant %q", got, want)
	}
}
