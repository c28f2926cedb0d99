package validate_test

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/roster"
	"github.com/pbxsync/pbxsync/validate"
)

const mistakesDir = "../samples/mistakes"

// sampleState is the live state samples/mistakes/README.md describes: the
// acme seed, what LoadForeign would add of globex (its number, user and
// phone), and acme's users applied before the survey.
func sampleState(t *testing.T) *pbx.State {
	t.Helper()
	acme, err := importer.ReadSeed(filepath.Join(mistakesDir, "company.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := stateOf(acme)
	globex, err := importer.ReadSeed(filepath.Join(mistakesDir, "globex.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range globex.Numbers {
		st.Numbers[n.E164] = &n
	}
	apply(t, st, stateOf(globex), "globex-staff.csv")
	apply(t, st, st, "acme-before.csv")
	return st
}

// stateOf is the state a store holds after loading seed s.
func stateOf(s *pbx.Seed) *pbx.State {
	st := pbx.NewState(s.Company)
	for i := range s.Sites {
		st.Sites[s.Sites[i].Code] = &s.Sites[i]
	}
	for i := range s.Models {
		st.Models[s.Models[i].Name] = &s.Models[i]
	}
	for i := range s.Numbers {
		st.Numbers[s.Numbers[i].E164] = &s.Numbers[i]
	}
	for i := range s.Hunts {
		st.Hunts[s.Hunts[i].ID] = &s.Hunts[i]
	}
	for i := range s.AAs {
		st.AAs[s.AAs[i].ID] = &s.AAs[i]
	}
	return st
}

// apply adds to st the users, numbers and phones that applying a clean
// roster of company cst.Company would create.
func apply(t *testing.T, st, cst *pbx.State, file string) {
	t.Helper()
	c := validate.New(cst)
	eachRow(t, file, func(m *mapping.Mapped, _ []*pbx.Problem) {
		r, ps := c.Row(m)
		if r == nil || len(ps) > 0 {
			t.Fatalf("%s: %v", file, ps)
		}
		u := r.User
		u.Company, u.Status = cst.Company.ID, pbx.StatusActive
		st.Users[u.ID] = &u
		for _, e := range r.Numbers {
			n := *cst.Numbers[e]
			n.Target = pbx.UserTarget(u.ID)
			st.Numbers[e] = &n
		}
		if d := r.Device; d != nil {
			st.Devices[d.MAC] = &pbx.Device{MAC: d.MAC, Company: cst.Company.ID, Model: d.Model}
		}
	})
}

// eachRow reads a roster of samples/mistakes with the pbxsync profile.
func eachRow(t *testing.T, file string, fn func(m *mapping.Mapped, read []*pbx.Problem)) (headers []string) {
	t.Helper()
	rd, err := roster.Open(filepath.Join(mistakesDir, file), roster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	prof, err := mapping.Builtin("pbxsync")
	if err != nil {
		t.Fatal(err)
	}
	bind, ps := prof.Bind(rd.File(), rd.Sheet(), rd.HeaderRow(), rd.Headers())
	if len(ps) > 0 || len(rd.HeaderProblems()) > 0 || len(bind.Unknown()) > 0 {
		t.Fatalf("%s: header: %v %v unknown %v", file, ps, rd.HeaderProblems(), bind.Unknown())
	}
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return rd.Headers()
		}
		if err != nil {
			t.Fatal(err)
		}
		fn(bind.Map(rec.Row, rec.Values), rec.Problems)
	}
}

// expected is one row of the table in samples/mistakes/README.md.
type expected struct {
	row      int
	letter   string
	header   string
	code     string
	severity pbx.Severity
}

var tableRow = regexp.MustCompile("^\\| (\\d+) \\| ([A-Z]+)(\\d+) \\(([a-z0-9_]+)\\) \\| `([a-z0-9_.]+)` \\| (error|warning) \\| (.+) \\|$")

func readTable(t *testing.T) []expected {
	t.Helper()
	f, err := os.Open(filepath.Join(mistakesDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []expected
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := tableRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		row, _ := strconv.Atoi(m[1])
		if m[3] != m[1] {
			t.Fatalf("README: row %s names cell %s%s", m[1], m[2], m[3])
		}
		out = append(out, expected{row: row, letter: m[2], header: m[4], code: m[5], severity: pbx.Severity(m[6])})
	}
	if len(out) == 0 {
		t.Fatal("README.md has no table of mistakes")
	}
	return out
}

// TestMistakesFile: samples/mistakes/roster.csv yields exactly the problems
// its README lists, one per mistake row, at its cell, worded with a message,
// a hint and the value as the file gave it, and nothing on the clean rows.
func TestMistakesFile(t *testing.T) {
	st := sampleState(t)
	want := readTable(t)

	c := validate.New(st)
	var all []*pbx.Problem
	var rows []*pbx.Row
	raw := map[int]map[pbx.Field]string{}
	headers := eachRow(t, "roster.csv", func(m *mapping.Mapped, read []*pbx.Problem) {
		raw[m.Row] = map[pbx.Field]string{}
		for f, v := range m.Values.All() {
			raw[m.Row][f] = v.Text
		}
		r, ps := c.Row(m)
		all = append(all, read...)
		all = append(all, ps...)
		if r != nil && len(read) == 0 {
			rows = append(rows, r)
		}
	})
	valid := rows[:0]
	bad := map[int]bool{}
	for _, p := range all {
		bad[p.Cell.Row] = bad[p.Cell.Row] || p.Blocking()
	}
	for _, r := range rows {
		if !bad[r.Line] {
			valid = append(valid, r)
		}
	}
	all = append(all, validate.Roster(st, valid)...)
	all = append(all, validate.Live(st, valid)...)
	all = append(all, validate.Held(st, valid, validate.Policy{})...)

	byRow := map[int][]*pbx.Problem{}
	for _, p := range all {
		byRow[p.Cell.Row] = append(byRow[p.Cell.Row], p)
	}
	// A number wanted twice is a problem on both rows: the earlier row's
	// partner problem names the mistake's row.
	partners, dupMistakes := 0, 0
	for _, w := range want {
		if w.code != validate.CodeDuplicateNumber {
			continue
		}
		dupMistakes++
		for first, ps := range byRow {
			kept := ps[:0]
			for _, p := range ps {
				if first != w.row && p.Code == validate.CodeDuplicateNumber && strings.HasSuffix(p.Message, fmt.Sprintf("also on row %d", w.row)) {
					partners++
					continue
				}
				kept = append(kept, p)
			}
			byRow[first] = kept
		}
	}
	if partners != dupMistakes {
		t.Errorf("%d rows repeat an earlier row's number, but %d earlier rows are flagged", dupMistakes, partners)
	}
	mistakeRows := map[int]bool{}
	for _, w := range want {
		mistakeRows[w.row] = true
		ps := byRow[w.row]
		if len(ps) != 1 {
			t.Errorf("row %d: want one %s, got %d: %v", w.row, w.code, len(ps), ps)
			continue
		}
		p := ps[0]
		if p.Code != w.code || p.Severity != w.severity || p.Cell.ColLetter() != w.letter || p.Cell.Header != w.header ||
			p.Cell.File != "roster.csv" {
			t.Errorf("row %d: want %s %s at %s (%s), got %s %s at %s (%s) in %s", w.row, w.severity, w.code, w.letter, w.header,
				p.Severity, p.Code, p.Cell.ColLetter(), p.Cell.Header, p.Cell.File)
		}
		if p.Message == "" || p.Hint == "" || strings.ContainsAny(p.Message+p.Hint, "\n") {
			t.Errorf("row %d: message %q, hint %q: want one line each", w.row, p.Message, p.Hint)
		}
		if p.Err == nil {
			t.Errorf("row %d: %s wraps no sentinel", w.row, p.Code)
		}
		if given := raw[w.row][pbx.Field(w.header)]; !sameValue(p.Value, given) {
			t.Errorf("row %d: value %q, but the cell holds %q", w.row, p.Value, given)
		}
	}
	for line, ps := range byRow {
		if !mistakeRows[line] && len(ps) > 0 {
			t.Errorf("row %d is clean but got %v", line, ps)
		}
	}
	if len(all) != len(want)+partners {
		t.Errorf("%d problems for %d mistakes", len(all), len(want))
	}
	if n := len(raw); n != 2*len(want)+2 {
		t.Errorf("%d rows: want the two clean ones, then a mistake and a clean row %d times", n, len(want))
	}
	if got := strings.Join(headers, ","); !strings.HasPrefix(got, "user_id,") {
		t.Errorf("headers %s", got)
	}
}

// sameValue reports whether a problem's value is the cell's text: as given
// (or one of the numbers of a cell that holds several), or (for the rules that see only canonical rows: duplicates, live state)
// its canonical form, which has the same digits or letters.
func sameValue(value, given string) bool {
	if value == given || value != "" && strings.Contains(given, value) {
		return true
	}
	key := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r == '@' || r == '.' {
				b.WriteRune(r)
			}
		}
		return strings.TrimPrefix(b.String(), "1") // E.164 adds the country code
	}
	return given != "" && strings.Contains(key(value), strings.TrimPrefix(key(given), "1"))
}
