package roster

import (
	"errors"
	"io"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// fakeSource yields fixed rows.
type fakeSource struct{ rows []rawRow }

func (f *fakeSource) next() (rawRow, error) {
	if len(f.rows) == 0 {
		return rawRow{}, io.EOF
	}
	rr := f.rows[0]
	f.rows = f.rows[1:]
	return rr, nil
}

func (f *fakeSource) close() error { return nil }

// sheet builds rows numbered by their keys (one line each).
func sheet(rows map[int][]string) []rawRow {
	var out []rawRow
	for n := 1; len(out) < len(rows); n++ {
		if cells, ok := rows[n]; ok {
			out = append(out, rawRow{row: n, end: n, cells: cells})
		}
	}
	return out
}

func TestFindHeader(t *testing.T) {
	many := map[int][]string{}
	for i := 1; i <= headerScan+5; i++ {
		many[i] = []string{"only"}
	}
	tests := []struct {
		name    string
		rows    map[int][]string
		want    int   // header row
		records []int // rows of the records that follow
	}{
		{"first row", map[int][]string{1: {"a", "b"}, 2: {"1", "2"}}, 1, []int{2}},
		{"one-cell title above", map[int][]string{1: {"Report"}, 2: {"a", "b"}, 3: {"1", "2"}}, 2, []int{3}},
		{"two-cell title then a gap", map[int][]string{1: {"Exported", "today"}, 3: {"a", "b"}, 4: {"1", "2"}}, 3, []int{4}},
		{"title with blank cells only", map[int][]string{1: {"Report", " ", "\u00a0"}, 2: {"a", "b"}, 3: {"1", "2"}}, 2, []int{3}},
		{"header without data", map[int][]string{1: {"Report"}, 3: {"a", "b"}}, 3, nil},
		{"single column", map[int][]string{1: {"email"}, 2: {"x"}, 3: {"y"}}, 1, []int{2, 3}},
		{"single column past the scan window", many, 1, nil},
		{"gaps between data kept", map[int][]string{2: {"a", "b"}, 3: {"1", "2"}, 9: {"3", "4"}}, 2, []int{3, 9}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tb := &table{file: "f", src: &fakeSource{rows: sheet(tt.rows)}}
			if err := tb.start(0); err != nil {
				t.Fatal(err)
			}
			if tb.HeaderRow() != tt.want {
				t.Errorf("header row %d, want %d", tb.HeaderRow(), tt.want)
			}
			var got []int
			for _, r := range readAll(t, tb) {
				got = append(got, r.Row)
			}
			if tt.records != nil && !slices.Equal(got, tt.records) {
				t.Errorf("records at %v, want %v", got, tt.records)
			}
			if tt.name == "single column past the scan window" && len(got) != headerScan+4 {
				t.Errorf("%d records, want %d: rows read ahead must be replayed", len(got), headerScan+4)
			}
		})
	}
}

func TestFindHeaderEmpty(t *testing.T) {
	tb := &table{file: "f", sheet: "S", src: &fakeSource{rows: sheet(map[int][]string{1: {"", " "}})}}
	err := tb.start(0)
	var re *Error
	if !errors.Is(err, pbx.ErrRead) || !errors.As(err, &re) || re.Sheet != "S" {
		t.Fatalf("err = %v", err)
	}
}
