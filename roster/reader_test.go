package roster

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestOpenByExtension(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{
		"a.csv": "x;y\n1;2\n",
		"b.TSV": "x\ty\n1\t2\n",
		"c.txt": "x|y\n1|2\n",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := Open(path, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		recs := readAll(t, r)
		if r.File() != name || !slices.Equal(r.Headers(), []string{"x", "y"}) || len(recs) != 1 || !slices.Equal(recs[0].Values, []string{"1", "2"}) {
			t.Errorf("%s: headers %q records %+v", name, r.Headers(), recs)
		}
		if err := r.Close(); err != nil {
			t.Errorf("%s: Close: %v", name, err)
		}
	}
}
