package main

import (
	"path/filepath"
	"strings"
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

// The day-two walk-through of the README, on the demo company: a number
// auto:415, a blank number taken with --set number=auto, the lobby's phone;
// applied, then applied again with nothing to change.
func TestDayTwoFlow(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	roster := filepath.Join(dir, "day-two.csv")
	writeFile(t, roster, "User ID,First Name,Last Name,Number,Extension,MAC,Model\n"+
		"ada@acme.example,Ada,Lovelace,auto:415,auto,,\n"+
		"alan@acme.example,Alan,Turing,,,,\n"+
		",,,+1 415 555 0150,,80:5E:C0:11:22:33,Yealink T42G\n")
	e911 := []string{"--set", "e911_street=100 Market St", "--set", "e911_city=San Francisco", "--set", "e911_region=CA",
		"--set", "e911_postal=94105", "--set", "e911_country=US"}
	args := append([]string{"plan", "--set", "number=auto"}, append(e911, roster)...)
	out := c.must(exitOK, args...)
	for _, want := range []string{
		"allocate +14155550101 from the pool (area code 415) for ada@acme.example",
		"allocate +14155550102 from the pool (site hq) for alan@acme.example",
		"allocate extension 0102 (the last 4 digits of +14155550102)",
		"row 4  805ec0112233  created",
		"port 1 of the common-area phone rings +14155550150, no user",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the plan does not say %q:\n%s", want, out)
		}
	}
	c.must(exitChanges, append([]string{"apply", "--yes", "--detailed-exitcode", "--full"}, args[1:]...)...)
	c.must(exitOK, append([]string{"apply", "--yes", "--detailed-exitcode", "--full"}, args[1:]...)...)
}
