package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

func TestLines(t *testing.T) {
	p := fixturePlan(t)
	got := map[string]report.Line{}
	for _, l := range report.Lines(p) {
		got[l.Key] = l
	}
	want := []struct {
		key    string
		row    int
		status plan.Status
		codes  string // the messages' codes and columns
	}{
		{"ann@acme.example", 2, plan.StatusUnchanged, "model.guessed@H"},
		{"bob@acme.example", 3, plan.StatusUpdated, ""},
		{"cat@acme.example", 4, plan.StatusCreated, ""},
		{"dan@acme.example", 5, plan.StatusMoved, ""},
		{"fay@acme.example", 6, plan.StatusConflict, "number.taken@F"},
		{"@SUM(1+1)*cmd|' /C calc'!A0", 7, plan.StatusInvalid, "user_id.invalid@A"},
		{"gil@acme.example", 8, plan.StatusInvalid, "mac.multicast@G number.invalid@F"},
		{"eve@acme.example", 0, plan.StatusDeprovisioned, ""},
	}
	for _, w := range want {
		l, ok := got[w.key]
		if !ok {
			t.Errorf("%s: no line", w.key)
			continue
		}
		var codes []string
		for _, m := range l.Messages {
			codes = append(codes, m.Code+"@"+m.Column)
		}
		if l.Row != w.row || l.Status != w.status || strings.Join(codes, " ") != w.codes {
			t.Errorf("%s: row %d %s %v, want row %d %s %s", w.key, l.Row, l.Status, codes, w.row, w.status, w.codes)
		}
		if (w.status == plan.StatusCreated || w.status == plan.StatusMoved || w.status == plan.StatusUpdated ||
			w.status == plan.StatusDeprovisioned) && len(l.Actions) == 0 {
			t.Errorf("%s: %s with no actions", w.key, w.status)
		}
	}
	gil := got["gil@acme.example"].Messages[0]
	if gil.Header != "MAC Address" || gil.Value != "01:00:5E:11:22:08" || gil.Hint == "" || gil.Severity != pbx.SevError {
		t.Errorf("a message lacks its header, value, hint or severity: %+v", gil)
	}
	if len(got) != len(want) {
		t.Errorf("%d lines, want %d", len(got), len(want))
	}
}

func TestWriteRows(t *testing.T) {
	for _, format := range []string{report.Text, report.CSV, report.JSONL} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.WriteRows(&b, format, report.Lines(fixturePlan(t))); err != nil {
				t.Fatal(err)
			}
			golden(t, "rows."+format, b.Bytes())
		})
	}
	if err := report.WriteRows(&bytes.Buffer{}, "pdf", nil); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// TestRowsCSVInjection reads the CSV report back: no cell starts with a
// character a spreadsheet runs as a formula, and the formula-like key is
// there behind an apostrophe.
func TestRowsCSVInjection(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteRows(&b, report.CSV, report.Lines(fixturePlan(t))); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range recs {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
			found = found || c == "'@SUM(1+1)*cmd|' /C calc'!A0"
		}
	}
	if !found {
		t.Error("the formula-like key is not in the report behind an apostrophe")
	}
}

func TestRowsJSONLReadsBack(t *testing.T) {
	want := report.Lines(fixturePlan(t))
	var b bytes.Buffer
	if err := report.WriteRows(&b, report.JSONL, want); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&b)
	for i := 0; dec.More(); i++ {
		var l report.Line
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		if l.Row != want[i].Row || l.Key != want[i].Key || l.Status != want[i].Status || len(l.Messages) != len(want[i].Messages) {
			t.Errorf("line %d reads back as %+v, want %+v", i, l, want[i])
		}
	}
}

// TestRowsXLSX writes the report as a workbook and reads it back cell by
// cell: values, cell types (no formula anywhere, text as strings, the row
// number a number) and number formats are in the golden file.
func TestRowsXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.xlsx")
	if err := report.WriteRowsFile(path, report.Lines(fixturePlan(t))); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Report" {
		t.Fatalf("sheets %v, want [Report]", got)
	}
	golden(t, "rows.xlsx", []byte(dumpSheet(t, f, "Report")))
	v, _ := f.GetCellValue("Report", "B7")
	if v != "@SUM(1+1)*cmd|' /C calc'!A0" {
		t.Errorf("B7 = %q, want the key exactly as given (a string cell needs no apostrophe)", v)
	}
}

// dumpSheet lists every non-empty cell of a sheet: reference, type, number
// format, value. It fails on a formula.
func dumpSheet(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for r, row := range rows {
		for c, v := range row {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if v == "" {
				continue
			}
			if fm, _ := f.GetCellFormula(sheet, cell); fm != "" {
				t.Errorf("%s holds a formula: %q", cell, fm)
			}
			typ, _ := f.GetCellType(sheet, cell)
			fmt.Fprintf(&b, "%s %s numfmt=%d %q\n", cell, cellType(typ), numFmt(t, f, sheet, cell), v)
		}
	}
	return b.String()
}

func cellType(c excelize.CellType) string {
	switch c {
	case excelize.CellTypeUnset:
		return "number"
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		return "string"
	case excelize.CellTypeFormula:
		return "string(str)"
	}
	return fmt.Sprint(c)
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) int {
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s.NumFmt
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"a.csv": report.CSV, "a.JSONL": report.JSONL, "a.ndjson": report.JSONL, "r.xlsx": report.XLSX} {
		if got, err := report.FormatOf(path); err != nil || got != want {
			t.Errorf("FormatOf(%s) = %s, %v; want %s", path, got, err, want)
		}
	}
	if _, err := report.FormatOf("a.pdf"); err == nil {
		t.Error("FormatOf(a.pdf) accepted it")
	}
}

// TestApplied merges apply outcomes into the per-row report: a row whose
// change failed is failed with the store's reason, a stale change makes a
// conflict, and after a rollback the other rows with changes are skipped.
func TestApplied(t *testing.T) {
	p := fixturePlan(t)
	change := func(kind plan.Kind, key string) int {
		for i, c := range p.Changes {
			if c.Kind == kind && c.Key == key {
				return i
			}
		}
		t.Fatalf("no change of %s %s", kind, key)
		return -1
	}
	bob := change(plan.KindUser, "bob@acme.example")
	dan := change(plan.KindDevice, "805ec0000005")
	failed := []plan.Outcome{
		{Change: bob, Err: fmt.Errorf("%w: extension 1050", pbx.ErrConflict), Reason: "extension 1050 is already used by zed@acme.example"},
		{Change: dan, Err: fmt.Errorf("device: %w", pbx.ErrStale), Reason: "device 80:5e:c0:00:00:05 changed since it was planned"},
	}
	t.Run("partial", func(t *testing.T) {
		got := report.Applied(fixturePlan(t), &plan.Result{RunID: 7, Applied: 12, Failed: failed})
		var b bytes.Buffer
		if err := report.WriteRows(&b, report.JSONL, got); err != nil {
			t.Fatal(err)
		}
		golden(t, "applied_partial.jsonl", b.Bytes())
		status := map[string]plan.Status{}
		for _, l := range got {
			status[l.Key] = l.Status
		}
		for key, want := range map[string]plan.Status{"bob@acme.example": plan.StatusFailed, "dan@acme.example": plan.StatusConflict,
			"cat@acme.example": plan.StatusCreated, "ann@acme.example": plan.StatusUnchanged, "eve@acme.example": plan.StatusDeprovisioned} {
			if status[key] != want {
				t.Errorf("%s: %s, want %s", key, status[key], want)
			}
		}
	})
	t.Run("rollback", func(t *testing.T) {
		p := fixturePlan(t)
		res := &plan.Result{Failed: failed[:1], Rollback: true}
		p.Settle(res) // as importer.Apply does: the report must not say it twice
		got := report.Applied(p, res)
		var b bytes.Buffer
		if err := report.WriteRows(&b, report.Text, got); err != nil {
			t.Fatal(err)
		}
		golden(t, "applied_rollback.txt", b.Bytes())
		for _, l := range got {
			want := map[string]plan.Status{"bob@acme.example": plan.StatusFailed, "cat@acme.example": plan.StatusSkipped,
				"dan@acme.example": plan.StatusSkipped, "eve@acme.example": plan.StatusSkipped}[l.Key]
			if want != "" && l.Status != want {
				t.Errorf("%s: %s, want %s", l.Key, l.Status, want)
			}
			if l.Key == "bob@acme.example" && len(l.Messages) != 1 {
				t.Errorf("bob's failure is reported %d times: %v", len(l.Messages), l.Messages)
			}
		}
	})
	if !errors.Is(failed[1].Err, pbx.ErrStale) {
		t.Fatal("fixture")
	}
}

// A change rows share (a new E911 location, the ATA two rows use) is an
// action of the first of its rows only, not repeated on every row.
func TestLinesSharedChangeOnce(t *testing.T) {
	p := &plan.Plan{
		Changes: []plan.Change{
			{Action: plan.Create, Kind: plan.KindLocation, Key: "us|94105|1 market st", Rows: []int{2, 3}},
			{Action: plan.Create, Kind: plan.KindDevice, Key: "000b82112204", Rows: []int{2, 3}},
			{Action: plan.Create, Kind: plan.KindUser, Key: "ann@acme.example", Rows: []int{2}},
			{Action: plan.Create, Kind: plan.KindUser, Key: "bob@acme.example", Rows: []int{3}},
		},
		Rows: []plan.RowPlan{
			{Line: 2, Key: "ann@acme.example", Status: plan.StatusCreated, Changes: []int{0, 1, 2}},
			{Line: 3, Key: "bob@acme.example", Status: plan.StatusCreated, Changes: []int{0, 1, 3}},
		},
	}
	ls := report.Lines(p)
	if got := strings.Join(ls[0].Actions, "; "); !strings.Contains(got, "create location") || !strings.Contains(got, "create device") {
		t.Errorf("row 2's actions %q: want the shared location and device", got)
	}
	if got := strings.Join(ls[1].Actions, "; "); got != "create user bob@acme.example" {
		t.Errorf("row 3's actions %q: want only its own user", got)
	}
}

func TestWriteTableShortensRunsOfNumbers(t *testing.T) {
	lines := []report.Line{{Row: 2, Key: "area code 650 x 4", Status: "created", Actions: []string{
		"create number +16505550100", "create number +16505550101", "create number +16505550102",
		"create number +16505550103", "create number +16505550105", "update number +16505550106",
		"create device 80:5e:c0:11:22:33",
	}}}
	var b bytes.Buffer
	if err := report.WriteRows(&b, report.Text, lines); err != nil {
		t.Fatal(err)
	}
	want := "create number +16505550100 ... +16505550103 (4); create number +16505550105; update number +16505550106; create device 80:5e:c0:11:22:33"
	if !strings.Contains(b.String(), want) {
		t.Errorf("text table:\n%s\nwant the actions %q", b.String(), want)
	}
	b.Reset()
	if err := report.WriteRows(&b, report.CSV, lines); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "create number +16505550101; create number +16505550102") {
		t.Errorf("the CSV report must keep every action:\n%s", b.String())
	}
}
