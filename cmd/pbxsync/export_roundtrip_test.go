package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestExportRoundTripFormulaLikeValues applies a roster whose names and
// address look like formulas to a spreadsheet (=, +, @, -), or start with
// an apostrophe of their own, exports the users, and applies the export
// unedited: the export marks the formula-like cells (a leading '), the
// mark reads back as the original value, and the export applies as no
// change at all (no name gains a ', no new E911 location appears).
func TestExportRoundTripFormulaLikeValues(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	roster := filepath.Join(dir, "formulas.csv")
	writeFile(t, roster, "First Name,Last Name,Email,User ID,Phone Number,Extension,Station Type,Phone Model,MAC Address,Port,Street,City,State,Postal Code,Country\n"+
		"=Ann,-Lee,alee@acme.example,alee@acme.example,+1 415 555 0101,0101,Premium,Polycom VVX450,0004.F211.2201,1,-1 Market St,San Francisco,CA,94105,US\n"+
		"@Bo,'Brien,bobrien@acme.example,bobrien@acme.example,+1 415 555 0102,2102,Premium,Polycom VVX450,0004.F211.2202,1,100 Market St,San Francisco,CA,94105,US\n"+
		"+Cy,- Jr,cjr@acme.example,cjr@acme.example,+1 415 555 0103,2103,Premium,Polycom VVX450,0004.F211.2203,1,100 Market St,San Francisco,CA,94105,US\n")
	c.must(exitOK, "apply", "--yes", roster)
	users := c.must(exitOK, "export", "--what", "users")
	for _, want := range []string{"'=Ann", "'-Lee", "'@Bo", "'Brien", "'+Cy", "'- Jr", "'-1 Market St"} {
		if !strings.Contains(users, want) {
			t.Errorf("the export lacks %q:\n%s", want, users)
		}
	}
	if strings.Contains(users, "''") {
		t.Errorf("the export doubles an apostrophe:\n%s", users)
	}
	path := filepath.Join(dir, "export.csv")
	writeFile(t, path, users)
	if out := c.must(exitOK, "plan", "--detailed-exitcode", path); strings.Contains(out, "~") || strings.Contains(out, "+ location") {
		t.Errorf("the export plans changes:\n%s", out)
	}
	before := c.must(exitOK, "export")
	c.must(exitOK, "apply", "--yes", "--detailed-exitcode", path)
	if after := c.must(exitOK, "export"); after != before {
		t.Errorf("applying the export changed the live state:\n%s\nwas\n%s", after, before)
	}
}
