package plan_test

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// Row numbers far apart (a roster read with gaps, or rows numbered by their
// line in a huge file) give every row the same changes as numbers close
// together.
func TestSparseRowNumbers(t *testing.T) {
	mk := func(lines [3]int) string {
		st := live()
		rows := []*pbx.Row{
			joiner(lines[0], "cat@acme.example", "1003", "+14155550100", "805ec0000003"),
			same(st, lines[1], "ann@acme.example"),
			joiner(lines[2], "dan@acme.example", "1004", "+14155550101", "805ec0000004"),
		}
		return render(mustPlan(t, st, rows))
	}
	dense := mk([3]int{2, 3, 4})
	sparse := mk([3]int{2, 3_000_000, 90_000_000})
	want := strings.NewReplacer("rows[3]", "rows[3000000]", "rows[4]", "rows[90000000]", "rows[2 4]", "rows[2 90000000]",
		"row 3 ", "row 3000000 ", "row 4 ", "row 90000000 ").Replace(dense)
	if sparse != want {
		t.Errorf("sparse rows:\n%s\nwant:\n%s", sparse, want)
	}
	if !strings.Contains(sparse, "row 90000000 dan@acme.example created changes[") {
		t.Errorf("the last row has no changes:\n%s", sparse)
	}
}
