package main

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestAllocateFlags(t *testing.T) {
	tests := []struct {
		allocate string
		set      setFlag
		want     pbx.Allocate
		defaults int // the --set defaults left
		err      bool
	}{
		{"", nil, pbx.Allocate{}, 0, false},
		{"numbers", nil, pbx.Allocate{Numbers: true}, 0, false},
		{"numbers, extensions", nil, pbx.Allocate{Numbers: true, Extensions: true}, 0, false},
		{"", setFlag{pbx.FNumber: "auto", pbx.FCountry: "US"}, pbx.Allocate{Numbers: true}, 1, false},
		{"", setFlag{pbx.FExtension: "AUTO"}, pbx.Allocate{Extensions: true}, 0, false},
		{"phones", nil, pbx.Allocate{}, 0, true},
	}
	for _, tt := range tests {
		r := rosterFlags{allocate: tt.allocate, set: tt.set}
		src, err := r.source("roster.csv")
		if (err != nil) != tt.err {
			t.Errorf("--allocate %q --set %v: error %v", tt.allocate, tt.set, err)
			continue
		}
		if err == nil && (src.Allocate != tt.want || len(src.Defaults) != tt.defaults) {
			t.Errorf("--allocate %q --set %v: %+v with defaults %v, want %+v and %d", tt.allocate, tt.set, src.Allocate, src.Defaults, tt.want, tt.defaults)
		}
	}
	set := setFlag{pbx.FNumber: "auto"}
	r := rosterFlags{set: set}
	if _, err := r.source("roster.csv"); err != nil || set[pbx.FNumber] != "auto" {
		t.Errorf("--set number=auto was taken out of the flag's own map: %v %v", set, err)
	}
}
