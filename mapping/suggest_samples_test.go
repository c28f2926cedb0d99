package mapping

import (
	"path/filepath"
	"testing"
)

// TestSuggestOnSamples: on the export of a system pbxsync knows, the draft
// maps every row of the sample as the built-in profile does.
func TestSuggestOnSamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sampleDir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			headers, rows := readSample(t, name)
			builtin, _ := Detect(headers)
			sg := Suggest(headers, rows)
			draft, err := Parse("draft", mustMarshal(t, sg.Profile))
			if err != nil {
				t.Fatal(err)
			}
			bb, _ := builtin.Bind(name, "", 1, headers)
			db, problems := draft.Bind(name, "", 1, headers)
			if len(problems) > 0 {
				t.Fatalf("the draft binds with problems %v", problems)
			}
			for i, vals := range rows {
				want, got := bb.Map(i+2, vals), db.Map(i+2, vals)
				for f, v := range want.Values.All() {
					if g := got.Values.At(f); g.Text != v.Text {
						t.Errorf("row %d: %s = %q, the built-in gives %q", i+2, f, g.Text, v.Text)
					}
				}
				for f, v := range got.Values.All() {
					if !want.Values.Has(f) {
						t.Errorf("row %d: the draft adds %s = %q", i+2, f, v.Text)
					}
				}
				if len(got.LeftOut) != len(want.LeftOut) {
					t.Errorf("row %d: %d cells left out, the built-in %d", i+2, len(got.LeftOut), len(want.LeftOut))
				}
			}
		})
	}
}
