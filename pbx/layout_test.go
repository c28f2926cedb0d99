package pbx

import "testing"

// TestFieldIndex: the switch of fieldIndexOf agrees with fieldOrder, for
// every field, and knows no other.
func TestFieldIndex(t *testing.T) {
	for i, f := range fieldOrder {
		if j, ok := fieldIndexOf(f); !ok || j != i {
			t.Errorf("fieldIndexOf(%q) = %d, %v; want %d", f, j, ok, i)
		}
	}
	if _, ok := fieldIndexOf("nonsense"); ok {
		t.Error("an unknown field has an index")
	}
}

// TestLayout: a Layout carries what was Set, with its column and header,
// and rows sharing one are not changed by SetCell or DropCell on another.
func TestLayout(t *testing.T) {
	var l Layout
	l.File = "r.csv"
	l.Set(FMAC, 4, "MAC Address")
	l.Set(FUserID, 0, "Login")
	if !l.Has(FMAC) || l.Has(FSite) || l.Len() != 2 {
		t.Fatalf("has MAC %v, site %v, len %d", l.Has(FMAC), l.Has(FSite), l.Len())
	}
	var ls Layouts
	shared := ls.Intern(&l)
	if again := ls.Intern(&l); again != shared {
		t.Error("an equal layout was not shared")
	}
	a, b := &Row{Line: 2, Layout: shared}, &Row{Line: 3, Layout: shared}
	if c, ok := b.Cell(FMAC); !ok || c != (Cell{File: "r.csv", Row: 3, Col: 4, Header: "MAC Address"}) {
		t.Errorf("cell = %+v, %v", c, ok)
	}
	a.DropCell(FMAC)
	a.SetCell(FSite, Cell{Col: 7, Header: "Site"})
	if a.Has(FMAC) || !a.Has(FSite) || !b.Has(FMAC) || b.Has(FSite) {
		t.Error("changing one row's cells changed another's")
	}
	var got []Field
	for f := range b.Cells() {
		got = append(got, f)
	}
	if len(got) != 2 || got[0] != FUserID || got[1] != FMAC {
		t.Errorf("cells in order = %v", got)
	}
	if c := (&Row{Line: 5}).CellOr(FMAC); c != (Cell{Row: 5, Col: -1}) {
		t.Errorf("CellOr without a layout = %+v", c)
	}
}
