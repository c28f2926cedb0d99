package report_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

const benchRows = 10_000

// benchLines is a per-row report of benchRows rows under a header on row
// 1, every tenth row invalid with a problem in column G.
func benchLines() []report.Line {
	p := &plan.Plan{}
	for i := range benchRows {
		r := plan.RowPlan{Line: i + 2, Key: fmt.Sprintf("u%d@acme.example", i), Status: plan.StatusCreated}
		if i%10 == 0 {
			r.Status = plan.StatusInvalid
			r.Problems = []*pbx.Problem{{Cell: pbx.Cell{Row: i + 2, Col: 6, Header: "MAC Address"}, Severity: pbx.SevError,
				Code: "mac.invalid", Value: "zz", Message: `"zz" is not a MAC address`, Hint: "copy it from the label"}}
		}
		p.Rows = append(p.Rows, r)
	}
	return report.Lines(p)
}

func benchRecord(i int) []string {
	return []string{fmt.Sprintf("u%d@acme.example", i), "First", "Last", fmt.Sprintf("u%d@acme.example", i),
		fmt.Sprint(1000 + i), fmt.Sprintf("+1415555%04d", i), "805ec0112201", "Yealink T42G"}
}

func BenchmarkAnnotateCSV(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("User ID,First Name,Last Name,Email,Extension,Phone Number,MAC Address,Phone Model\r\n")
	for i := range benchRows {
		sb.WriteString(strings.Join(benchRecord(i), ",") + "\r\n")
	}
	dir := b.TempDir()
	src := filepath.Join(dir, "roster.csv")
	if err := os.WriteFile(src, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	lines := benchLines()
	b.SetBytes(int64(sb.Len()))
	for b.Loop() {
		if err := report.Annotate(filepath.Join(dir, "out.csv"), src, report.Annotation{Lines: lines}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkAnnotateXLSX(b *testing.B) {
	dir := b.TempDir()
	src := filepath.Join(dir, "roster.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	row := func(cells []string) []any {
		out := make([]any, len(cells))
		for i, c := range cells {
			out[i] = c
		}
		return out
	}
	_ = sw.SetRow("A1", row([]string{"User ID", "First Name", "Last Name", "Email", "Extension", "Phone Number", "MAC Address", "Phone Model"}))
	for i := range benchRows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row(benchRecord(i))); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(src); err != nil {
		b.Fatal(err)
	}
	f.Close()
	lines := benchLines()
	for b.Loop() {
		if err := report.Annotate(filepath.Join(dir, "out.xlsx"), src, report.Annotation{Lines: lines}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
