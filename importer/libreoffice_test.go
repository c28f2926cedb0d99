package importer_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/validate"
)

// problemKey is a problem as a user finds it: where, what, how bad.
func problemKey(p *pbx.Problem) string {
	return fmt.Sprintf("row %d col %d %s %s", p.Cell.Row, p.Cell.Col, p.Code, p.Severity)
}

// A roster saved as XLSX by LibreOffice Calc (samples/libreoffice/roster.xlsx,
// `soffice --headless --convert-to xlsx roster.csv`) gives the same problems
// as the CSV it came from, at the same cells: Calc stored the extensions
// 0141... as numbers, and the zeros are restored (with a warning on each
// such cell) before the duplicates are looked for.
func TestLibreOfficeWorkbookSameProblemsAsCSV(t *testing.T) {
	s := demoStore(t) // bmartin has ext 2102 and +1 415 555 0102
	check := func(name string) *importer.Checked {
		_, c, err := importer.Plan(context.Background(), s, importer.Source{Path: "../samples/libreoffice/" + name}, importer.Options{Full: true})
		must(t, err)
		return c
	}
	csv, xlsx := check("roster.csv"), check("roster.xlsx")
	var fromCSV, fromXLSX, restored []string
	for _, p := range csv.Problems {
		fromCSV = append(fromCSV, problemKey(p))
	}
	for _, p := range xlsx.Problems {
		if p.Code == validate.CodeExtensionZerosRestored {
			var ext pbx.Extension
			for _, r := range xlsx.Rows {
				if r.Line == p.Cell.Row {
					ext = r.User.Extension
				}
			}
			restored = append(restored, fmt.Sprintf("row %d %s -> %s", p.Cell.Row, p.Value, ext))
			continue
		}
		fromXLSX = append(fromXLSX, problemKey(p))
	}
	slices.Sort(fromCSV)
	slices.Sort(fromXLSX)
	if !slices.Equal(fromCSV, fromXLSX) {
		t.Errorf("the workbook's problems differ from the CSV's:\nCSV:  %q\nXLSX: %q", fromCSV, fromXLSX)
	}
	// Rows 5, 8 and 9 are invalid for other reasons: their rows are not kept.
	want := []string{"row 2 141 -> 0141", "row 4 143 -> ", "row 5 141 -> ", "row 7 146 -> 0146", "row 8 147 -> ", "row 9 148 -> ", "row 10 102 -> 0102"}
	if !slices.Equal(restored, want) {
		t.Errorf("restored extensions %q, want %q", restored, want)
	}
	for _, code := range []string{"duplicate.extension", "duplicate.number", "mac.invalid", "number.taken", "extension.taken", "e911.incomplete", "user.name_missing"} {
		if !slices.ContainsFunc(fromXLSX, func(k string) bool { return strings.HasSuffix(k, " "+code+" error") }) {
			t.Errorf("the workbook's problems lack %s: %q", code, fromXLSX)
		}
	}
	if len(csv.Invalid) != len(xlsx.Invalid) || len(csv.Rows) != len(xlsx.Rows) {
		t.Errorf("CSV: %d invalid, %d valid rows; XLSX: %d and %d", len(csv.Invalid), len(csv.Rows), len(xlsx.Invalid), len(xlsx.Rows))
	}
}
