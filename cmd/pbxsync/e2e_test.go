package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/storetest"
)

// cli runs pbxsync in-process, as a user would from a shell.
type cli struct {
	t  *testing.T
	db string
}

func (c cli) run(args ...string) (code int, stdout, stderr string) {
	c.t.Helper()
	var out, errb bytes.Buffer
	args = append(args[:1:1], append([]string{"--db", c.db}, args[1:]...)...)
	code = run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func (c cli) must(want int, args ...string) string {
	c.t.Helper()
	code, out, errs := c.run(args...)
	if code != want {
		c.t.Fatalf("pbxsync %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errs)
	}
	return out
}

func jsonLines(t *testing.T, s string) map[int]report.Line {
	t.Helper()
	lines := map[int]report.Line{}
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		var l report.Line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("report line %q: %v", sc.Text(), err)
		}
		lines[l.Row] = l
	}
	return lines
}

var demo = filepath.Join("..", "..", "samples", "demo")

// wantDemo is what the demo roster must give, row by row: the status, and
// for an invalid row the problem code and the column letter it points at.
var wantDemo = map[int]struct {
	status, code, col string
}{
	2:  {"created", "", ""},
	3:  {"created", "", ""},
	4:  {"created", "", ""},
	5:  {"created", "", ""},
	6:  {"created", "", ""},
	7:  {"invalid", "mac.multicast", "I"},
	8:  {"invalid", "number.invalid", "E"},
	9:  {"invalid", "extension.reserved", "F"},
	10: {"invalid", "duplicate.user_id", "D"},
	11: {"invalid", "number.unknown", "E"},
	12: {"invalid", "number.scientific", "E"},
	13: {"created", "", ""},
}

// testREADMEFlow is the README's walk-through: init, apply the demo roster
// (mistakes reported by cell, the rest applied), apply again (nothing
// changes), and an exported roster that applies as no change.
func testREADMEFlow(t *testing.T, db string, roster string, rowOffset int) {
	c := cli{t, db}
	if shards := os.Getenv(storetest.EnvDistributed); shards != "" && strings.HasPrefix(db, "postgres") {
		c.must(exitOK, "init", "--distributed", "--shards", shards) // on Citus (scripts/test-citus)
	}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json")) // again: the README's command runs twice
	before := c.must(exitOK, "export")

	// Without --yes and without a terminal to ask on, apply refuses.
	c.must(exitFatal, "apply", roster)
	if c.must(exitOK, "export") != before {
		t.Fatal("apply without --yes changed the live state")
	}

	out := c.must(exitPartial, "apply", "--yes", "--detailed-exitcode", "--format", "jsonl", roster)
	got := jsonLines(t, out)
	for row, want := range wantDemo {
		l, ok := got[row+rowOffset]
		if !ok {
			t.Errorf("row %d: not in the report", row+rowOffset)
			continue
		}
		if string(l.Status) != want.status {
			t.Errorf("row %d: status %s, want %s (%v)", row+rowOffset, l.Status, want.status, l.Messages)
			continue
		}
		if want.code == "" {
			if len(l.Actions) == 0 {
				t.Errorf("row %d: created with no actions", row+rowOffset)
			}
			continue
		}
		if len(l.Messages) != 1 || l.Messages[0].Code != want.code || l.Messages[0].Column != want.col {
			t.Errorf("row %d: messages %+v, want exactly one %s in column %s", row+rowOffset, l.Messages, want.code, want.col)
		}
	}
	if len(got) != len(wantDemo) {
		t.Errorf("report has %d rows, want %d", len(got), len(wantDemo))
	}

	numbers := c.must(exitOK, "export")
	if numbers == before {
		t.Fatal("apply changed nothing in the live state")
	}
	for _, want := range []string{
		"+14155550101,ASSIGNED,alee@acme.example,0101,",
		"+14155550104,ASSIGNED,dwu@acme.example,2104,",
		"+14155550100,ASSIGNED,main,,", // the main line stays on its auto attendant
		"+14155550150,COMPANY,,,",
	} {
		if !strings.Contains(numbers, want) {
			t.Errorf("export lacks %q:\n%s", want, numbers)
		}
	}

	// Again: every valid row unchanged, nothing written; answered from the
	// first run without reading the rows (the fast path), and the same with
	// --full, which reads them.
	code, out, errs := c.run("apply", "--yes", "--format", "jsonl", roster)
	if code != exitOK || !strings.Contains(errs, "nothing to do") || !strings.Contains(errs, "the same file and options run 1 applied on") ||
		!strings.Contains(errs, "nothing has been written to acme since") {
		t.Errorf("second run: exit %d, stderr:\n%s", code, errs)
	}
	for row, l := range jsonLines(t, out) {
		if l.Status != "unchanged" && l.Status != "invalid" {
			t.Errorf("second run, row %d: %s %v", row, l.Status, l.Actions)
		}
	}
	code, full, errs := c.run("apply", "--yes", "--full", "--format", "jsonl", roster)
	if code != exitOK || !strings.Contains(errs, "nothing to do") || strings.Contains(errs, "the same file and options") {
		t.Errorf("second run with --full: exit %d, stderr:\n%s", code, errs)
	}
	if full != out {
		t.Errorf("the second run's report:\n%s\nwith --full:\n%s", out, full)
	}
	plain := c.must(exitPartial, "plan", "--detailed-exitcode", "--unchanged", roster)
	if fullPlan := c.must(exitPartial, "plan", "--detailed-exitcode", "--unchanged", "--full", roster); fullPlan != plain {
		t.Errorf("plan:\n%s\nplan --full:\n%s", plain, fullPlan)
	}
	if again := c.must(exitOK, "export"); again != numbers {
		t.Errorf("the second run changed the live state")
	}

	// The exported roster applies as no change at all.
	users := c.must(exitOK, "export", "--what", "users")
	path := filepath.Join(t.TempDir(), "export.csv")
	writeFile(t, path, users)
	c.must(exitOK, "plan", "--detailed-exitcode", path)
}

func TestREADMEFlowSQLiteCSV(t *testing.T) {
	testREADMEFlow(t, filepath.Join(t.TempDir(), "pbxsync.db"), filepath.Join(demo, "onboarding.csv"), 0)
}

func TestREADMEFlowPostgresCSV(t *testing.T) {
	testREADMEFlow(t, storetest.PostgresSchemaURL(t), filepath.Join(demo, "onboarding.csv"), 0)
}

func TestREADMEFlowPostgresXLSX(t *testing.T) {
	testREADMEFlow(t, storetest.PostgresSchemaURL(t), filepath.Join(demo, "onboarding.xlsx"), 2)
}

func TestREADMEFlowSQLiteXLSX(t *testing.T) {
	// the spreadsheet has a title and a blank row above the header
	testREADMEFlow(t, filepath.Join(t.TempDir(), "pbxsync.db"), filepath.Join(demo, "onboarding.xlsx"), 2)
}

// A saved plan applies later without --yes (someone has read it); once the
// live state it read has changed, apply refuses it whole and names the row.
func TestSavedPlanAppliesOrRefusesWhenStale(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	roster := filepath.Join(demo, "onboarding.csv")

	fresh := filepath.Join(dir, "fresh.json")
	c.must(exitOK, "plan", "--out", fresh, roster)
	stale := filepath.Join(dir, "stale.json")
	c.must(exitOK, "plan", "--out", stale, roster)

	c.must(exitOK, "apply", fresh)
	after := c.must(exitOK, "export")

	code, _, stderr := c.run("apply", stale)
	if code != exitFatal {
		t.Fatalf("applying a stale plan: exit %d, want %d\n%s", code, exitFatal, stderr)
	}
	for _, want := range []string{"row 2: ", "row 3: ", "row 4: ", "row 13: ", "6 row(s) of the plan changed", "nothing applied", "plan again"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stale plan: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if c.must(exitOK, "export") != after {
		t.Error("a refused stale plan changed the live state")
	}
}

// A legacy export has no E911 columns: --set gives every row the site's
// address, which the rules demand before a number can be assigned.
func TestSetGivesMissingColumns(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	path := filepath.Join(dir, "legacy.csv")
	writeFile(t, path, "User ID,First Name,Last Name,Phone Number\nalee@acme.example,Ann,Lee,+14155550101\n")

	if _, out, _ := c.run("validate", "--format", "json", path); !strings.Contains(out, "e911.missing") {
		t.Fatalf("without --set: want e911.missing, got %s", out)
	}
	set := []string{"--set", "e911_street=100 Market St", "--set", "e911_city=San Francisco",
		"--set", "e911_region=CA", "--set", "e911_postal=94105", "--set", "e911_country=US"}
	c.must(exitOK, append(append([]string{"validate"}, set...), path)...)
	c.must(exitOK, append(append([]string{"apply", "--yes"}, set...), path)...)
	if numbers := c.must(exitOK, "export"); !strings.Contains(numbers, "+14155550101,ASSIGNED,alee@acme.example,0101,hq,,ext:0101,aa:main,,no,us|94105|100 market st") {
		t.Errorf("the number did not get the --set location:\n%s", numbers)
	}
	if code, _, stderr := c.run("validate", "--set", "nofield=1", path); code != exitFatal || !strings.Contains(stderr, `no field "nofield"`) {
		t.Errorf("--set nofield=1: exit %d, stderr %s", code, stderr)
	}
}

// apply --annotate hands the site team their own spreadsheet back, each row
// with its outcome and the bad cells marked.
func TestApplyAnnotatesTheRoster(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	out := filepath.Join(dir, "survey.checked.xlsx")
	c.must(exitOK, "apply", "--yes", "--annotate", out, filepath.Join(demo, "onboarding.xlsx"))

	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := rows[2] // a title and a blank row above the header
	status, errs := -1, -1
	for i, h := range header {
		switch h {
		case "Status":
			status = i
		case "Errors":
			errs = i
		}
	}
	if status < 0 || errs < 0 {
		t.Fatalf("no Status/Errors columns in the header %q", header)
	}
	for row, want := range wantDemo {
		r := rows[row+2-1]
		if got := r[status]; got != want.status {
			t.Errorf("row %d: Status %q, want %q", row+2, got, want.status)
		}
		if want.code != "" && (len(r) <= errs || !strings.Contains(r[errs], want.code)) {
			t.Errorf("row %d: Errors lack %s: %q", row+2, want.code, r)
		}
	}
	comments, err := f.GetComments(sheet)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, cm := range comments {
		text := cm.Text
		for _, r := range cm.Paragraph {
			text += r.Text
		}
		if cm.Cell == "I9" && strings.Contains(text, "mac.multicast") {
			found = true
		}
	}
	if !found {
		t.Errorf("no comment on the multicast MAC in I9: %+v", comments)
	}
	saved := filepath.Join(dir, "saved.json")
	c.must(exitOK, "plan", "--out", saved, filepath.Join(demo, "onboarding.xlsx"))
	if code, _, stderr := c.run("apply", "--annotate", out, saved); code != exitFatal || !strings.Contains(stderr, "--annotate needs the roster") {
		t.Errorf("--annotate with a saved plan: exit %d, stderr %s", code, stderr)
	}
}
