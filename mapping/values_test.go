package mapping

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// TestValuesPos: Pos reads what Set wrote, at the field's position in
// pbx.Fields, nil for a field not carried or a position out of range; and
// agrees with Get and All.
func TestValuesPos(t *testing.T) {
	var vs Values
	vs.Set(pbx.FMAC, Value{Text: "805ec0000001", Cell: pbx.Cell{Row: 2, Col: 5}})
	vs.Set(pbx.FUserID, Value{Text: "kim@acme.example"})
	for i, f := range pbx.Fields {
		got := vs.Pos(i)
		want, ok := vs.Get(f)
		if (got != nil) != ok || got != nil && (got.Text != want.Text || got.Cell != want.Cell) {
			t.Errorf("Pos(%d) (%s) = %+v, Get = %+v %v", i, f, got, want, ok)
		}
	}
	if vs.Pos(-1) != nil || vs.Pos(len(pbx.Fields)) != nil {
		t.Error("a position out of range has a value")
	}
	n := 0
	for f, v := range vs.All() {
		i, _ := pbx.FieldIndex(f)
		if p := vs.Pos(i); p == nil || p.Text != v.Text {
			t.Errorf("All yields %s = %q, Pos(%d) = %v", f, v.Text, i, p)
		}
		n++
	}
	if n != 2 || vs.Len() != 2 {
		t.Errorf("All yields %d values, Len %d; want 2", n, vs.Len())
	}
	vs.Delete(pbx.FMAC)
	if i, _ := pbx.FieldIndex(pbx.FMAC); vs.Pos(i) != nil {
		t.Error("a deleted field still has a value")
	}
}
