//go:build libreoffice

// LibreOffice in the loop (scripts/libreoffice runs it; not part of the
// default test run, it needs `apt-get install libreoffice-calc-nogui`):
// every kind of XLSX pbxsync writes is converted by LibreOffice Calc to CSV
// as it shows the cells, and compared cell for cell with what pbxsync meant
// to write; rosters re-saved by LibreOffice are validated again.

package report_test

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/report"
)

// soffice converts files with LibreOffice into dir, in one process with a
// profile of its own (other users' LibreOffice is left alone).
func soffice(t *testing.T, dir, to string, files ...string) {
	t.Helper()
	bin, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("LibreOffice is needed: apt-get install -y libreoffice-calc-nogui")
	}
	profile := "file://" + filepath.Join(t.TempDir(), "lo-profile")
	args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--norestore", "--convert-to", to, "--outdir", dir}, files...)
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, f := range files {
		ext := "." + strings.SplitN(to, ":", 2)[0]
		if _, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+ext)); err != nil {
			t.Fatalf("soffice did not convert %s: %s", f, out)
		}
	}
}

// asShownCSV is LibreOffice's CSV export: comma, double quotes, UTF-8,
// cells as shown (the number formats applied), formulas not exported.
const asShownCSV = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,false,true,false,false`

// shown reads the CSV LibreOffice wrote for the workbook at path, trailing
// empty cells and rows dropped.
func shown(t *testing.T, dir, path string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".xlsx")+".csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return trimRows(rows)
}

func trimRows(rows [][]string) [][]string {
	for i, r := range rows {
		n := len(r)
		for n > 0 && r[n-1] == "" {
			n--
		}
		rows[i] = r[:n]
	}
	n := len(rows)
	for n > 0 && len(rows[n-1]) == 0 {
		n--
	}
	return rows[:n]
}

// compare checks every cell LibreOffice shows against what was meant.
func compare(t *testing.T, name string, got, meant [][]string) {
	t.Helper()
	meant = trimRows(meant)
	if len(got) != len(meant) {
		t.Errorf("%s: LibreOffice shows %d rows, pbxsync meant %d", name, len(got), len(meant))
	}
	bad := 0
	for i := 0; i < min(len(got), len(meant)); i++ {
		for j := 0; j < max(len(got[i]), len(meant[i])); j++ {
			g, m := cell(got[i], j), cell(meant[i], j)
			if g != m && bad < 10 {
				t.Errorf("%s: row %d column %d: LibreOffice shows %q, pbxsync meant %q", name, i+1, j+1, g, m)
				bad++
			}
		}
	}
	cells := 0
	for _, r := range meant {
		cells += len(r)
	}
	t.Logf("%s: %d rows, %d cells compared, %d differ", name, len(meant), cells, bad)
}

func cell(r []string, j int) string {
	if j < len(r) {
		return r[j]
	}
	return ""
}

// reportCells is what the XLSX report means to show for lines.
func reportCells(lines []report.Line) [][]string {
	rows := [][]string{{"row", "key", "status", "actions", "messages"}}
	for _, l := range lines {
		msgs := make([]string, len(l.Messages))
		for i, m := range l.Messages {
			msgs[i] = m.String()
		}
		row := ""
		if l.Row > 0 {
			row = itoa(l.Row)
		}
		rows = append(rows, []string{row, l.Key, string(l.Status), strings.Join(l.Actions, "; "), strings.Join(msgs, " | ")})
	}
	return rows
}

// annotatedCells is what the annotated copy of a roster means to show:
// the roster as LibreOffice shows it, and after its last column the
// Status and Errors of every row with a line.
func annotatedCells(orig [][]string, header int, lines []report.Line) [][]string {
	col := 0
	for _, r := range orig[header-1:] {
		col = max(col, len(r))
	}
	byRow := map[int]report.Line{}
	for _, l := range lines {
		byRow[l.Row] = l
	}
	var out [][]string
	for i, r := range orig {
		row := append(append([]string{}, r...), make([]string, col-len(r))...)
		if i+1 == header {
			row = append(row, report.StatusHeader, report.ErrorsHeader)
		} else if l, ok := byRow[i+1]; ok {
			errs := make([]string, len(l.Messages))
			for k, m := range l.Messages {
				errs[k] = m.String()
				if m.Severity == pbx.SevWarning {
					errs[k] = "warning: " + errs[k]
				}
			}
			row = append(row, string(l.Status), strings.Join(errs, "\n"))
		}
		out = append(out, row)
	}
	return out
}

func TestLibreOffice(t *testing.T) {
	version, _ := exec.Command("soffice", "--version").CombinedOutput()
	t.Logf("LibreOffice: %s", strings.TrimSpace(string(version)))
	out := os.Getenv("PBXSYNC_LO_OUT") // where the workbooks stay, for the openpyxl check
	if out == "" {
		out = t.TempDir()
	}
	shownDir := filepath.Join(out, "shown")
	st := demoStore(t)

	// The per-row report of an apply (the fixture plan: every status, a key
	// that looks like a formula) and of a validate (the demo roster).
	fixture := report.Lines(fixturePlan(t))
	applyReport := filepath.Join(out, "apply-report.xlsx")
	must(t, report.WriteRowsFile(applyReport, fixture))
	src := filepath.Join(out, "onboarding.xlsx")
	copyFile(t, filepath.Join(demo, "onboarding.xlsx"), src)
	p, c := planDemo(t, st, src)
	demoLines := report.Lines(p)
	validateReport := filepath.Join(out, "validate-report.xlsx")
	must(t, report.WriteRowsFile(validateReport, demoLines))

	// The annotated roster (apply, plan and validate --annotate).
	annotated := filepath.Join(out, "onboarding.annotated.xlsx")
	must(t, report.Annotate(annotated, src, report.Annotation{Lines: demoLines, Problems: c.Problems}))

	// A generated roster (pbxsync gen roster --out x.xlsx).
	ro, err := gen.RosterFromStore(context.Background(), st, gen.RosterSpec{Rows: 40, New: 1, Seed: 1})
	must(t, err)
	genRoster := filepath.Join(out, "gen-roster.xlsx")
	must(t, ro.WriteFile(genRoster))
	genCells := [][]string{gen.Header}
	for i := range ro.Len() {
		genCells = append(genCells, ro.Record(i))
	}

	soffice(t, shownDir, asShownCSV, applyReport, validateReport, src, annotated, genRoster)
	compare(t, "apply report", shown(t, shownDir, applyReport), reportCells(fixture))
	compare(t, "validate report", shown(t, shownDir, validateReport), reportCells(demoLines))
	compare(t, "annotated roster", shown(t, shownDir, annotated), annotatedCells(shown(t, shownDir, src), 3, demoLines))
	compare(t, "generated roster", shown(t, shownDir, genRoster), genCells)

	// Rosters re-saved by LibreOffice, validated again: the same problems
	// on the same cells. The annotated copy too, as a site team sends it
	// back after fixing it in LibreOffice.
	resaved := filepath.Join(out, "resaved")
	soffice(t, resaved, "xlsx", src, annotated)
	for _, name := range []string{"onboarding.xlsx", "onboarding.annotated.xlsx"} {
		_, again := planDemo(t, st, filepath.Join(resaved, name))
		if !sameProblems(c, again) {
			t.Errorf("%s re-saved by LibreOffice: problems\n%s\nwant\n%s", name, problemList(again), problemList(c))
		} else {
			t.Logf("%s re-saved by LibreOffice: %d rows, the same %d problems on the same cells", name, again.Total, len(again.Problems))
		}
	}
	// The CSV roster opened and saved as XLSX by LibreOffice: its number
	// detection turns digit strings into numbers; what pbxsync makes of it.
	csvSrc := filepath.Join(out, "onboarding-from-csv.csv")
	copyFile(t, filepath.Join(demo, "onboarding.csv"), csvSrc)
	soffice(t, resaved, "xlsx", csvSrc)
	_, fromCSV := planDemo(t, st, filepath.Join(resaved, "onboarding-from-csv.xlsx"))
	_, csvChecked := planDemo(t, st, csvSrc)
	if !sameProblems(csvChecked, fromCSV) {
		t.Logf("the CSV roster saved as XLSX by LibreOffice: problems\n%s\nthe CSV itself\n%s", problemList(fromCSV), problemList(csvChecked))
	} else {
		t.Logf("the CSV roster saved as XLSX by LibreOffice: the same %d problems", len(fromCSV.Problems))
	}
}
