package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// The cells that ask the pool: read by the row rules, picked by Allocate.
func TestAutoCells(t *testing.T) {
	tests := []struct {
		name     string
		changes  kv
		allocate pbx.Allocate
		want     *pbx.Alloc // nil: the row asks the pool for nothing
	}{
		{"auto", kv{pbx.FNumber: "auto"}, pbx.Allocate{}, &pbx.Alloc{Number: true}},
		{"AUTO:650 and an extension of its own", kv{pbx.FNumber: " AUTO:650 "}, pbx.Allocate{}, &pbx.Alloc{Number: true, Area: "650"}},
		{"auto and a blank extension: the extension from the pool too", kv{pbx.FNumber: "auto", pbx.FExtension: ""}, pbx.Allocate{}, &pbx.Alloc{Number: true, Ext: true}},
		{"an extension auto", kv{pbx.FExtension: "Auto"}, pbx.Allocate{}, &pbx.Alloc{Ext: true}},
		{"a blank number is no number", kv{pbx.FNumber: "", pbx.FMAC: absent, pbx.FModel: absent}, pbx.Allocate{}, nil},
		{"a blank number with --allocate numbers", kv{pbx.FNumber: ""}, pbx.Allocate{Numbers: true}, &pbx.Alloc{Number: true}},
		{"no number column with --allocate numbers", kv{pbx.FNumber: absent}, pbx.Allocate{Numbers: true}, &pbx.Alloc{Number: true}},
		{"a blank extension with --allocate extensions", kv{pbx.FExtension: ""}, pbx.Allocate{Extensions: true}, &pbx.Alloc{Ext: true}},
		{"a number given, --allocate numbers", kv{}, pbx.Allocate{Numbers: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(testState())
			c.Allocate = tt.allocate
			r, ps := c.Row(mapped(7, with(typical(), tt.changes)))
			if r == nil {
				t.Fatalf("the row is refused: %v", ps)
			}
			switch {
			case tt.want == nil && r.Alloc != nil:
				t.Errorf("the row asks the pool for %+v", r.Alloc)
			case tt.want != nil && (r.Alloc == nil || *r.Alloc != *tt.want):
				t.Errorf("the row asks %+v, want %+v", r.Alloc, tt.want)
			}
			if tt.want != nil && tt.want.Number && len(r.Numbers) != 0 {
				t.Errorf("numbers %v before any pick", r.Numbers)
			}
		})
	}
}

func TestAutoCellInvalid(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FNumber: "auto:sf"})
	wantOne(t, ps, CodeNumberAutoInvalid, pbx.ErrNumber, 7, pbx.FNumber, "auto:sf")
}
