package mapping

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

// sampleDir holds the legacy export samples the built-in profiles are tested on.
const sampleDir = "../samples/legacy"

// readSample reads a sample CSV: its headers and data rows.
func readSample(t testing.TB, name string) (headers []string, rows [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(recs) < 2 {
		t.Fatalf("%s: no data rows", name)
	}
	return recs[0], recs[1:]
}

// mustBuiltin loads a built-in profile or fails the test.
func mustBuiltin(t testing.TB, name string) *Profile {
	t.Helper()
	p, err := Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// mustParse parses a profile or fails the test.
func mustParse(t testing.TB, text string) *Profile {
	t.Helper()
	p, err := Parse("test", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
