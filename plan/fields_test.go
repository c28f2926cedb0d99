package plan_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/plan"
)

func TestFieldsPackAndUnpack(t *testing.T) {
	long := strings.Repeat("x", 300) // a length of two bytes
	for _, fcs := range [][]plan.FieldChange{
		nil,
		{{Field: plan.AttrFirstName, After: "Ann"}},
		{{Field: plan.AttrEmail, Before: "a@x.example", After: ""}, {Field: plan.AttrUserID, Before: "a", After: "b"}},
		{{Field: "no_such_attribute", Before: long, After: "é<&>\u2028"}, {Field: plan.AttrCompany, After: long + long}},
		{{Field: "", Before: "", After: ""}},
	} {
		f := plan.MakeFields(fcs...)
		if got := f.Slice(); !slices.Equal(got, fcs) {
			t.Errorf("MakeFields(%v).Slice() = %v", fcs, got)
		}
		if f.Len() != len(fcs) || f.IsZero() != (len(fcs) == 0) {
			t.Errorf("%v: Len %d, IsZero %v", fcs, f.Len(), f.IsZero())
		}
		for _, fc := range fcs {
			if got, ok := f.Get(fc.Field); !ok || got != fc {
				t.Errorf("%v: Get(%q) = %v, %v", fcs, fc.Field, got, ok)
			}
		}
		want, _ := json.Marshal(fcs)
		got, err := json.Marshal(f)
		if err != nil || string(got) != string(want) {
			t.Errorf("json of %v:\n got %s, %v\nwant %s", fcs, got, err, want)
		}
		var back plan.Fields
		if err := json.Unmarshal(want, &back); err != nil || back != f {
			t.Errorf("json %s read back as %v, %v", want, back, err)
		}
	}
}

func TestFieldsAppendAndEdit(t *testing.T) {
	f := plan.MakeFields(plan.FieldChange{Field: plan.AttrRole, Before: "assigned"})
	g := f.Append(plan.FieldChange{Field: plan.AttrPosition, After: "2"})
	h := g.Edit(func(fcs []plan.FieldChange) { fcs[0].Before = "outbound-only" })
	if f.Len() != 1 || g.Len() != 2 || g.Names() != "role, position" {
		t.Fatalf("f %v, g %v", f, g)
	}
	if fc, _ := h.Get(plan.AttrRole); fc.Before != "outbound-only" {
		t.Fatalf("edited: %v", h)
	}
	if fc, _ := g.Get(plan.AttrRole); fc.Before != "assigned" {
		t.Fatalf("the edit changed the list it copied: %v", g)
	}
}

func TestChangeJSONLeavesNoFieldsOut(t *testing.T) {
	b, err := json.Marshal(plan.Change{Action: plan.Delete, Kind: plan.KindLine, Key: "k", Reason: "r"})
	if err != nil || strings.Contains(string(b), "fields") {
		t.Fatalf("%s, %v", b, err)
	}
}
