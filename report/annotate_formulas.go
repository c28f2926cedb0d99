package report

import (
	"archive/zip"
	"io"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

// dropFormulas replaces every formula of the workbook by the value it last
// computed, as a string cell: the copy pbxsync hands back runs nothing when
// it is opened, like every file pbxsync writes (see SafeCell). A workbook
// whose sheets hold no formula (the zip's worksheets have no <f> element)
// is not scanned cell by cell.
func dropFormulas(f *excelize.File, src string) error {
	if has, err := hasFormulas(src); err != nil || !has {
		return err
	}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return err
		}
		width := 0
		for _, r := range rows {
			width = max(width, len(r))
		}
		for r := range rows {
			for c := 0; c < width; c++ {
				cell := cellName(c+1, r+1)
				formula, err := f.GetCellFormula(sheet, cell)
				if err != nil {
					return err
				}
				if formula == "" {
					continue
				}
				v := ""
				if c < len(rows[r]) {
					v = rows[r][c]
				}
				if err := f.SetCellStr(sheet, cell, v); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// hasFormulas reports whether a worksheet of the workbook at path holds a
// formula element.
func hasFormulas(path string) (bool, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return false, err
	}
	defer z.Close()
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") || !strings.HasSuffix(zf.Name, ".xml") {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return false, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return false, err
		}
		if formulaElement.Match(b) {
			return true, nil
		}
	}
	return false, nil
}

// formulaElement is a cell's formula element, <f> or <f ...>, with or without
// a namespace prefix.
var formulaElement = regexp.MustCompile(`<(?:\w+:)?f[\s>/]`)
