package importer_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/storetest"
)

// demoStore is an embedded store of the demo company
// (samples/demo/company.json) with bmartin (ext 2102, number
// +1 415 555 0102) applied.
func demoStore(t *testing.T) importer.Store {
	t.Helper()
	return demoStoreIn(t, storetest.OpenSQLite(t))
}

// demoStoreIn seeds s as demoStore does.
func demoStoreIn(t *testing.T, s importer.Store) importer.Store {
	t.Helper()
	ctx := context.Background()
	must(t, s.Migrate(ctx))
	sd, err := importer.ReadSeed("../samples/demo/company.json")
	must(t, err)
	must(t, s.Seed(ctx, sd))
	applyRoster(t, s, "User ID,First Name,Last Name,Extension,Phone Number,E911 Street,E911 City,E911 State,E911 Postal Code,E911 Country\n"+
		"bmartin@acme.example,Bob,Martin,2102,+1 415 555 0102,100 Market St,San Francisco,CA,94105,US\n")
	return s
}

// applyRoster plans and applies a roster given as CSV text; every row must be valid.
func applyRoster(t *testing.T, s importer.Store, csv string) {
	t.Helper()
	ctx := context.Background()
	path := writeFile(t, "applied.csv", csv)
	p, c, err := importer.Plan(ctx, s, importer.Source{Path: path}, importer.Options{Full: true})
	must(t, err)
	if !c.Valid() {
		t.Fatalf("the roster to apply has problems: %v", c.Problems)
	}
	if _, err := importer.Apply(ctx, s, p, apply.Options{}); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	must(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

// codesOn lists the codes of the problems on one row, sorted.
func codesOn(c *importer.Checked, line int) []string {
	var codes []string
	for _, p := range c.Problems {
		if p.Cell.Row == line {
			codes = append(codes, p.Code)
		}
	}
	slices.Sort(codes)
	return codes
}

// One pass: a row with a bad MAC is still checked against the live state
// and the other rows, so its four problems (bad MAC, a number another user
// has, an extension another user has, an incomplete E911 address) are
// reported together, each at its cell, and the next row, which repeats its
// number, is flagged as a duplicate although the first is invalid.
func TestOnePassEveryProblemOfARow(t *testing.T) {
	s := demoStore(t)
	path := writeFile(t, "four.csv", "User ID,First Name,Last Name,Extension,Phone Number,Phone Model,MAC Address,E911 Street,E911 City,E911 State,E911 Postal Code,E911 Country\n"+
		"kim@acme.example,Kim,Ng,2102,+1 415 555 0102,Yealink T42G,80:5E:C0:11:22,100 Market St,,CA,94105,US\n"+
		"lou@acme.example,Lou,Park,2110,+1 415 555 0102,,,100 Market St,San Francisco,CA,94105,US\n")
	_, c, err := importer.Plan(context.Background(), s, importer.Source{Path: path}, importer.Options{Full: true})
	must(t, err)
	// its four, and the number it shares with row 3 (a problem on both rows)
	want := []string{"duplicate.number", "e911.incomplete", "extension.taken", "mac.invalid", "number.taken"}
	if got := codesOn(c, 2); !slices.Equal(got, want) {
		t.Errorf("row 2: %v, want %v", got, want)
	}
	cols := map[string]string{}
	for _, p := range c.Problems {
		if p.Cell.Row == 2 {
			cols[p.Code] = p.Cell.Header
		}
	}
	wantCols := map[string]string{"e911.incomplete": "E911 City", "extension.taken": "Extension", "mac.invalid": "MAC Address", "number.taken": "Phone Number"}
	for code, h := range wantCols {
		if cols[code] != h {
			t.Errorf("row 2: %s at column %q, want %q", code, cols[code], h)
		}
	}
	if got := codesOn(c, 3); !slices.Contains(got, "duplicate.number") {
		t.Errorf("row 3 repeats row 2's number: %v, want duplicate.number", got)
	}
	if len(c.Invalid) != 2 || len(c.Rows) != 0 {
		t.Errorf("%d invalid and %d valid rows, want 2 and 0", len(c.Invalid), len(c.Rows))
	}
}

// A file whose header has none of the columns of a user row is refused as
// a whole, naming the columns it has, without a problem on every row.
func TestHeaderWithoutUserColumnsRefused(t *testing.T) {
	s := demoStore(t)
	path := writeFile(t, "notes.csv", "Room,Seats\nA,4\nB,6\n")
	_, c, err := importer.Plan(context.Background(), s, importer.Source{Path: path}, importer.Options{Full: true})
	if err == nil || c == nil {
		t.Fatalf("err = %v, want the file refused", err)
	}
	if len(c.Problems) != 1 || c.Problems[0].Code != importer.CodeNoUserColumns || c.Problems[0].Value != `"Room", "Seats"` {
		t.Errorf("problems %v, want one %s naming the columns found", c.Problems, importer.CodeNoUserColumns)
	}
}

// A row that creates a user needs a first and a last name: a roster with
// no name columns creates no nameless users.
func TestCreateNeedsNames(t *testing.T) {
	s := demoStore(t)
	path := writeFile(t, "nonames.csv", "User ID,Extension\nnew@acme.example,2120\nbmartin@acme.example,2102\n")
	_, c, err := importer.Plan(context.Background(), s, importer.Source{Path: path}, importer.Options{Full: true})
	must(t, err)
	if got := codesOn(c, 2); !slices.Equal(got, []string{"user.name_missing"}) {
		t.Errorf("row 2 creates a user without names: %v", got)
	}
	if got := codesOn(c, 3); len(got) != 0 {
		t.Errorf("row 3 updates bmartin, whose names stay: %v", got)
	}
	for _, p := range c.Problems {
		if p.Cell.Row == 2 && (p.Cell.Col != -1 || p.Hint == "") {
			t.Errorf("the names have no column: want the whole row and a hint, got %+v", p)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
