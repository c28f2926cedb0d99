package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// TestAnnotateFailureAfterWrites: when the annotated copy cannot be
// written after the changes were (a workbook without xl/styles.xml, which
// excelize cannot style), the per-row report still goes to stdout and to
// --report, the summary counts the writes, and apply exits 5 with a
// warning, not 1 "fatal".
func TestAnnotateFailureAfterWrites(t *testing.T) {
	dir := t.TempDir()
	c := cli{t, filepath.Join(dir, "pbxsync.db")}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	full := filepath.Join(dir, "full.xlsx")
	f := excelize.NewFile()
	rows := [][]any{
		{"First Name", "Last Name", "Email", "User ID", "Phone Number", "Extension", "Station Type", "Phone Model", "MAC Address", "Port", "E911 Street", "E911 City", "E911 State", "E911 Postal Code", "E911 Country"},
		{"Ann", "Lee", "alee@acme.example", "alee@acme.example", "+1 415 555 0101", "0101", "Premium", "Polycom VVX450", "0004.F211.2201", "1", "100 Market St", "San Francisco", "CA", "94105", "US"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(full); err != nil {
		t.Fatal(err)
	}
	f.Close()
	roster := filepath.Join(dir, "nostyles.xlsx")
	dropZipEntry(t, full, roster, "xl/styles.xml")

	report := filepath.Join(dir, "report.csv")
	summary := filepath.Join(dir, "summary.json")
	code, out, errs := c.run("apply", "--yes", "--report", report, "--summary-json", summary, "--annotate", filepath.Join(dir, "out.xlsx"), roster)
	if code != exitAnnotate {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitAnnotate, out, errs)
	}
	if !strings.Contains(out, "alee@acme.example") || !strings.Contains(out, "created") {
		t.Errorf("no per-row report on stdout:\n%s", out)
	}
	if b, err := os.ReadFile(report); err != nil || !strings.Contains(string(b), "created") {
		t.Errorf("--report: %v\n%s", err, b)
	}
	if !strings.Contains(errs, "warning") || !strings.Contains(errs, "annotated roster could not be written") {
		t.Errorf("stderr:\n%s", errs)
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		ExitCode int    `json:"exit_code"`
		Exit     string `json:"exit"`
		RunID    int64  `json:"run_id"`
		Rows     struct {
			Created int `json:"created"`
		} `json:"rows"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.ExitCode != exitAnnotate || sum.Exit != "annotate-failed" || sum.RunID != 1 || sum.Rows.Created != 1 || !strings.Contains(sum.Error, "annotated roster") {
		t.Errorf("summary:\n%s", b)
	}
	if out := c.must(exitOK, "plan", "--detailed-exitcode", roster); strings.Contains(out, "+ user") {
		t.Errorf("the writes did not stand:\n%s", out)
	}
}

// dropZipEntry copies the zip src to dst without the entry name.
func dropZipEntry(t *testing.T, src, dst, name string) {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, zf := range zr.File {
		if zf.Name == name {
			continue
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(w, rc); err != nil {
			t.Fatal(err)
		}
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestWriteFailedExitCodes: a store failure after the run began (a lost
// connection) exits 4, "cut off, safe to re-run", and says so; a refusal
// (lock, stale plan), a failure before any run, and Ctrl-C do not.
func TestWriteFailedExitCodes(t *testing.T) {
	lost := errors.New("postgres: committing batch 3: unexpected EOF")
	for _, tc := range []struct {
		name string
		res  *plan.Result
		err  error
		want int
	}{
		{"connection lost mid-run", &plan.Result{RunID: 7, Applied: 12}, lost, exitCutOff},
		{"locked", &plan.Result{RunID: 7}, fmt.Errorf("%w: company acme is being applied by run 6", pbx.ErrLocked), exitFatal},
		{"stale", &plan.Result{RunID: 7}, fmt.Errorf("%w: the saved plan is stale", pbx.ErrStale), exitFatal},
		{"before any run", nil, lost, exitFatal},
	} {
		var errb bytes.Buffer
		e := &env{stderr: &errb}
		sum := newRunSummary("apply", "", "acme")
		if got := writeFailed(context.Background(), e, sum, tc.res, tc.err); got != tc.want {
			t.Errorf("%s: exit %d, want %d\n%s", tc.name, got, tc.want, errb.String())
		}
		if tc.want == exitCutOff && (!strings.Contains(errb.String(), "run the same command again") || !strings.Contains(errb.String(), "after 12 change(s) were committed")) {
			t.Errorf("%s: stderr does not say it is safe to re-run:\n%s", tc.name, errb.String())
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errb bytes.Buffer
	if got := writeFailed(ctx, &env{stderr: &errb}, newRunSummary("apply", "", "acme"), &plan.Result{RunID: 7}, context.Canceled); got != exitInterrupted {
		t.Errorf("interrupted: exit %d, want %d", got, exitInterrupted)
	}
}
