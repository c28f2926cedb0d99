package mapping

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestIngestLegacySamples")

// TestIngestLegacySamples reads every sample in samples/legacy with the
// profile Detect picks, and checks that:
//   - Detect knows every column (score 1) with no profile line added, and
//     the header binds without a problem;
//   - no value is lost: every non-empty cell of a column fields read gives
//     one of them a value, and every non-empty cell of a left-out column (a
//     phone's second line) is on the row's LeftOut;
//   - every value of every row lands in its field as testdata/ingest/*.golden
//     says (written with -update, then read by a person).
func TestIngestLegacySamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sampleDir, "*.csv"))
	if err != nil || len(files) < 14 {
		t.Fatalf("samples: %v, %v", files, err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			headers, rows := readSample(t, name)
			p, score := Detect(headers)
			if p == nil || score != 1 {
				t.Fatalf("Detect = %v, %.2f; want a built-in knowing every column", p, score)
			}
			seen[p.Name] = true
			b, problems := p.Bind(name, "", 1, headers)
			if len(problems) > 0 || len(b.Unknown()) > 0 {
				t.Fatalf("Bind: problems %v, unknown %q", problems, b.Unknown())
			}
			var out strings.Builder
			fmt.Fprintf(&out, "profile %s\n", p.Name)
			for _, pl := range b.Describe() {
				fmt.Fprintf(&out, "  %-13s %s\n", pl.Field, pl.How)
			}
			for _, h := range b.LeftOut() {
				fmt.Fprintf(&out, "  left out      %q\n", h)
			}
			for i, vals := range rows {
				line := i + 2
				m := b.Map(line, vals)
				fmt.Fprintf(&out, "row %d\n", line)
				for f, v := range m.Values.All() {
					fmt.Fprintf(&out, "  %-13s %q\n", f, v.Text)
				}
				for _, lo := range m.LeftOut {
					fmt.Fprintf(&out, "  left out %s %q from %q\n", lo.What, lo.Text, lo.Cell.Header)
				}
				// A column may feed several fields (a name split in two, a
				// device name giving a MAC and a port): its value must land
				// in at least one of them.
				landed := map[int]bool{}
				for _, pl := range b.Describe() {
					if col := pl.Cell.Col; col >= 0 && !strings.Contains(pl.How, "else") {
						landed[col] = landed[col] || m.Values.At(pl.Field).Text != ""
					}
				}
				for col, ok := range landed {
					if !ok && col < len(vals) && strings.TrimSpace(vals[col]) != "" {
						t.Errorf("row %d: %q (column %s) landed in no field", line, vals[col], headers[col])
					}
				}
				for _, h := range b.LeftOut() {
					col := slices.Index(headers, h)
					if col < len(vals) && strings.TrimSpace(vals[col]) != "" &&
						!slices.ContainsFunc(m.LeftOut, func(lo LeftOutValue) bool { return lo.Cell.Col == col }) {
						t.Errorf("row %d: %s = %q is neither mapped nor left out", line, h, vals[col])
					}
				}
			}
			golden := filepath.Join("testdata", "ingest", strings.TrimSuffix(name, ".csv")+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update once, then read the file)", err)
			}
			if out.String() != string(want) {
				t.Errorf("mapped rows differ from %s:\n%s", golden, out.String())
			}
		})
	}
	for _, name := range Builtins() {
		if !seen[name] {
			t.Errorf("no sample in %s is read with the built-in profile %s", sampleDir, name)
		}
	}
}
