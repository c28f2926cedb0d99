package roster

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Defaults of the XLSX zip-bomb guards (Options.MaxUnzipSize and
// Options.MaxXMLInMemory).
const (
	DefaultMaxUnzipSize   = 512 << 20 // a 100k-row roster unzips to well under this
	DefaultMaxXMLInMemory = 16 << 20  // bigger sheets stream from a temporary file
)

// isoDate is how cells in Excel's locale-dependent short date format (built-in
// format 14) are written: one unambiguous form rather than "03-15-23".
const isoDate = "yyyy-mm-dd"

// xlsxOptions turns Options into excelize's, with the zip-bomb guards.
func xlsxOptions(opts Options) excelize.Options {
	o := excelize.Options{
		UnzipSizeLimit:    DefaultMaxUnzipSize,
		UnzipXMLSizeLimit: DefaultMaxXMLInMemory,
		ShortDatePattern:  isoDate,
	}
	if opts.MaxUnzipSize > 0 {
		o.UnzipSizeLimit = opts.MaxUnzipSize
	}
	if opts.MaxXMLInMemory > 0 {
		o.UnzipXMLSizeLimit = opts.MaxXMLInMemory
	}
	o.UnzipXMLSizeLimit = min(o.UnzipXMLSizeLimit, o.UnzipSizeLimit)
	return o
}

func openXLSX(path, name string, opts Options) (Reader, error) {
	o := xlsxOptions(opts)
	f, err := excelize.OpenFile(path, o)
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, xlsxOpenError(name, o, err)
	}
	return startXLSX(f, name, opts)
}

func newXLSX(r io.Reader, name string, opts Options) (Reader, error) {
	o := xlsxOptions(opts)
	lr := &io.LimitedReader{R: r, N: o.UnzipSizeLimit + 1}
	f, err := excelize.OpenReader(lr, o)
	if lr.N <= 0 {
		err = fmt.Errorf("unzip size exceeds the %d bytes limit", o.UnzipSizeLimit)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, xlsxOpenError(name, o, err)
	}
	return startXLSX(f, name, opts)
}

// xlsxOpenError explains why a workbook could not be opened.
func xlsxOpenError(name string, o excelize.Options, err error) error {
	e := &Error{File: name, Msg: "cannot open the workbook", Err: err}
	switch {
	case errors.Is(err, zip.ErrFormat):
		e.Msg, e.Err = "not an XLSX workbook (it is not a zip archive)", nil
		e.Hint = "if it is CSV text, rename it to .csv; if it is an old .xls, save it as .xlsx in Excel"
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, excelize.ErrWorkbookPassword):
		e.Msg, e.Err = "the workbook is password-protected or in the old .xls format", nil
		e.Hint = "open it in Excel, remove the password, and save it as .xlsx"
	case strings.Contains(err.Error(), "unzip size"):
		e.Msg = fmt.Sprintf("the workbook unzips to more than %d MiB", o.UnzipSizeLimit>>20)
		e.Hint = "split the roster into smaller files, or raise the limit if the file is trusted"
	}
	return e
}

// startXLSX picks the sheet and finds its header row.
func startXLSX(f *excelize.File, name string, opts Options) (Reader, error) {
	sheet, err := pickSheet(f.GetSheetList(), opts.Sheet)
	if err != nil {
		f.Close()
		err.File = name
		return nil, err
	}
	src := &xlsxSource{f: f, file: name, sheet: sheet}
	var rerr error
	if src.shown, rerr = f.Rows(sheet); rerr != nil {
		return nil, src.fail(rerr)
	}
	if src.raw, rerr = f.Rows(sheet); rerr != nil {
		return nil, src.fail(rerr)
	}
	t := &table{file: name, sheet: sheet, src: src}
	if err := t.start(opts.HeaderRow); err != nil {
		src.close()
		return nil, err
	}
	return t, nil
}

// pickSheet resolves Options.Sheet: a name (exact, then ignoring case and
// surrounding spaces), else a 1-based index; "" is the first sheet.
func pickSheet(sheets []string, want string) (string, *Error) {
	if len(sheets) == 0 {
		return "", &Error{Msg: "the workbook has no sheets", Hint: "check that this is the right file"}
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(Clean(s), Clean(want)) {
			return s, nil
		}
	}
	if i, err := strconv.Atoi(strings.TrimSpace(want)); err == nil && i >= 1 && i <= len(sheets) {
		return sheets[i-1], nil
	}
	return "", &Error{Msg: fmt.Sprintf("no sheet %q; the workbook has %s", want, quoteList(sheets)),
		Hint: fmt.Sprintf("give a sheet name or its number, 1 to %d", len(sheets))}
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// xlsxSource streams a sheet's rows. It runs two excelize row iterators over
// the same sheet in step: one gives each cell as formatted, the other is
// asked for the raw stored values only on rows where a General-format
// number may have been rounded (see cellText). Memory stays flat: both
// iterators stream the sheet's XML.
type xlsxSource struct {
	f           *excelize.File
	file, sheet string
	shown, raw  *excelize.Rows
	row         int // sheet row of the last row returned
}

var rawValues = excelize.Options{RawCellValue: true}

func (s *xlsxSource) next() (rawRow, error) {
	for {
		if !s.shown.Next() {
			if err := s.shown.Error(); err != nil {
				return rawRow{}, s.rowError(s.row+1, err)
			}
			return rawRow{}, io.EOF
		}
		s.raw.Next()
		s.row++ // Next steps one sheet row at a time, missing rows included
		cells, err := s.shown.Columns()
		if err != nil {
			return rawRow{}, s.rowError(s.row, err)
		}
		if len(cells) == 0 {
			continue
		}
		var raws []string
		haveRaws := false
		for i, c := range cells {
			if !mayBeRounded(c) {
				continue
			}
			if !haveRaws {
				if raws, err = s.raw.Columns(rawValues); err != nil {
					return rawRow{}, s.rowError(s.row, err)
				}
				haveRaws = true
			}
			if i < len(raws) {
				cells[i] = cellText(c, raws[i])
			}
		}
		return rawRow{row: s.row, end: s.row, cells: cells}, nil
	}
}

func (s *xlsxSource) rowError(row int, err error) error {
	return &Error{File: s.file, Sheet: s.sheet, Row: row, Msg: "cannot read the row", Err: err,
		Hint: "open the workbook in Excel and save it again"}
}

// fail closes what is open and wraps an error opening the sheet.
func (s *xlsxSource) fail(err error) error {
	s.close()
	return &Error{File: s.file, Sheet: s.sheet, Msg: "cannot read the sheet", Err: err,
		Hint: "open the workbook in Excel and save it again"}
}

func (s *xlsxSource) close() error {
	var errs []error
	for _, r := range []*excelize.Rows{s.shown, s.raw} {
		if r != nil {
			if err := r.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	s.shown, s.raw = nil, nil
	if s.f != nil {
		if err := s.f.Close(); err != nil {
			errs = append(errs, err)
		}
		s.f = nil
	}
	return errors.Join(errs...)
}
