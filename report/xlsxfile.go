package report

import (
	"os"

	"github.com/xuri/excelize/v2"
)

// Every workbook pbxsync writes says how far its cells reach in a true
// <dimension ref>, so that streaming readers (openpyxl in read-only mode)
// see every row; lists its <col> widths in ascending order, as Excel
// requires; names the font of its header (Calibri 11, the font of the rest,
// instead of a reader's serif fallback); and is created with mode 0644.

// headerFont is the font of a report's header row.
var headerFont = &excelize.Font{Bold: true, Family: "Calibri", Size: 11}

// saveXLSX writes the workbook to path, created with mode 0644 (excelize's
// SaveAs creates files 0777 less the umask: executable).
func saveXLSX(f *excelize.File, path string) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// streamColWidths sets column widths (from column 1) on a stream writer in
// ascending <col> order: excelize puts each new <col> first, so they are
// given last column first.
func streamColWidths(sw *excelize.StreamWriter, widths []float64) error {
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	return nil
}

// rangeRef is the reference of the cells from A1 to column cols, row rows.
func rangeRef(cols, rows int) string {
	return "A1:" + cellName(max(cols, 1), max(rows, 1))
}
