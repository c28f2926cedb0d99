package gen

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// WriteFile writes the roster to path as CSV or XLSX, by its extension.
func (r *Roster) WriteFile(path string) error {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := r.WriteCSV(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case ".xlsx":
		return r.WriteXLSX(path)
	}
	return fmt.Errorf("%s: write the roster as .csv or .xlsx", path)
}

// WriteCSV writes the roster as CSV: Header, then every row.
func (r *Roster) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := csv.NewWriter(bw)
	if err := cw.Write(Header); err != nil {
		return err
	}
	for i := range r.Len() {
		if err := cw.Write(r.Record(i)); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// Sheet is the name of the generated workbook's one sheet.
const Sheet = "Roster"

// WriteXLSX writes the roster as a workbook of one sheet, Roster, through
// excelize's stream writer (flat memory whatever the size). Every cell is
// text, as a site survey keeps numbers and MACs.
func (r *Roster) WriteXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", Sheet); err != nil {
		return err
	}
	// A true <dimension> (written first by the stream writer), so that
	// streaming readers see every row.
	last, err := excelize.CoordinatesToCellName(len(Header), r.Len()+1)
	if err != nil {
		return err
	}
	if err := f.SetSheetDimension(Sheet, "A1:"+last); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(Sheet)
	if err != nil {
		return err
	}
	row := make([]any, len(Header))
	put := func(n int, rec []string) error {
		for i, v := range rec {
			row[i] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, row)
	}
	if err := put(1, Header); err != nil {
		return err
	}
	for i := range r.Len() {
		if err := put(i+2, r.Record(i)); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644) // SaveAs would make it 0755
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
