package roster

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/xuri/excelize/v2"
)

// Defaults of the XLSX zip-bomb guards (Options.MaxUnzipSize and
// Options.MaxXMLInMemory).
const (
	DefaultMaxUnzipSize   = 512 << 20 // a 100k-row roster unzips to well under this
	DefaultMaxXMLInMemory = 4 << 20   // shared strings beyond this move to a temporary file
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
	zr, err := zip.OpenReader(path)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return nil, notZipError(name, path, nil)
		}
		return nil, xlsxOpenError(name, o, err)
	}
	r, err := startXLSX(&zr.Reader, name, opts, o)
	if err != nil {
		zr.Close()
		return nil, err
	}
	r.closer = zr
	return r, nil
}

func newXLSX(r io.Reader, name string, opts Options) (Reader, error) {
	o := xlsxOptions(opts)
	data, err := io.ReadAll(io.LimitReader(r, o.UnzipSizeLimit+1))
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot read the workbook", Err: err}
	}
	if int64(len(data)) > o.UnzipSizeLimit {
		return nil, xlsxOpenError(name, o, fmt.Errorf("unzip size exceeds the %d bytes limit", o.UnzipSizeLimit))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return nil, notZipError(name, "", data)
		}
		return nil, xlsxOpenError(name, o, err)
	}
	t, err := startXLSX(zr, name, opts, o)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// oleMagic starts a compound (OLE) file: an old .xls workbook, or an .xlsx
// encrypted with a password.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// notZipError explains a file that is not a zip archive; head (or the file
// at path) tells an encrypted or old workbook from anything else.
func notZipError(name, path string, head []byte) error {
	if head == nil && path != "" {
		if f, err := os.Open(path); err == nil {
			head = make([]byte, len(oleMagic))
			n, _ := io.ReadFull(f, head)
			head = head[:n]
			f.Close()
		}
	}
	if bytes.HasPrefix(head, oleMagic) {
		return &Error{File: name, Msg: "the workbook is password-protected or in the old .xls format",
			Hint: "open it in Excel, remove the password, and save it as .xlsx"}
	}
	return &Error{File: name, Msg: "not an XLSX workbook (it is not a zip archive)",
		Hint: "if it is CSV text, rename it to .csv; if it is an old .xls, save it as .xlsx in Excel"}
}

// xlsxOpenError explains why a workbook could not be opened.
func xlsxOpenError(name string, o excelize.Options, err error) error {
	e := &Error{File: name, Msg: "cannot open the workbook", Err: err}
	if strings.Contains(err.Error(), "unzip size") {
		e.Msg = fmt.Sprintf("the workbook unzips to more than %d MiB", o.UnzipSizeLimit>>20)
		e.Hint = "split the roster into smaller files, or raise the limit if the file is trusted"
	}
	return e
}

// startXLSX checks the zip-bomb guard, locates the parts, picks the sheet,
// loads the styles (excelize) and the shared strings, and finds the header
// row.
func startXLSX(zr *zip.Reader, name string, opts Options, o excelize.Options) (*table, error) {
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > uint64(o.UnzipSizeLimit) {
		return nil, xlsxOpenError(name, o, fmt.Errorf("unzip size exceeds the %d bytes limit", o.UnzipSizeLimit))
	}
	pkg, err := openPackage(zr)
	if err != nil {
		return nil, &Error{File: name, Msg: "cannot open the workbook", Err: err,
			Hint: "open the workbook in Excel and save it again as .xlsx"}
	}
	names := make([]string, len(pkg.sheets))
	for i, s := range pkg.sheets {
		names[i] = s.name
	}
	sheet, perr := pickSheet(names, opts.Sheet)
	if perr != nil {
		perr.File = name
		return nil, perr
	}
	src := &xlsxSource{file: name, sheet: sheet}
	ref := pkg.sheets[slices.Index(names, sheet)]
	if ref.part == "" || pkg.files[partKey(ref.part)] == nil {
		return nil, &Error{File: name, Sheet: sheet, Msg: "the sheet is a chart or has no cells",
			Hint: "choose the sheet that holds the roster"}
	}
	meta, err := pkg.metaZip()
	if err == nil {
		src.meta, err = excelize.OpenReader(bytes.NewReader(meta), o)
	}
	if err != nil {
		return nil, src.fail(fmt.Errorf("styles: %w", err))
	}
	var sst *sharedStrings
	if pkg.sst != "" && pkg.files[partKey(pkg.sst)] != nil {
		rc, err := pkg.open(pkg.sst)
		if err == nil {
			sst, err = readSharedStrings(rc, o.UnzipXMLSizeLimit, int64(pkg.files[partKey(pkg.sst)].UncompressedSize64))
			rc.Close()
		}
		if err != nil {
			return nil, src.fail(fmt.Errorf("shared strings: %w", err))
		}
	}
	src.text = newCellTexter(src.meta, sst)
	if src.part, err = pkg.open(ref.part); err != nil {
		return nil, src.fail(err)
	}
	src.rows = newSheetReader(src.part)
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

// xlsxSource streams a sheet's rows from its part in the zip: the sheet XML
// is read token by token (encoding/xml), one row in memory at a time, and
// each cell turned into text by a cellTexter. excelize holds the workbook's
// styles and number formats only (it is opened on a copy of the package
// without the sheets and shared strings), so memory stays flat however long
// the sheet; the shared string table is the one part read whole.
type xlsxSource struct {
	file, sheet string
	meta        *excelize.File
	part        io.ReadCloser
	rows        *sheetReader
	text        *cellTexter
	buf         []xlsxCell
	cells       []string
	numeric     []uint64
}

func (s *xlsxSource) next() (rawRow, error) {
	row, cells, err := s.rows.next(s.buf)
	if err == errSheetEnd {
		return rawRow{}, io.EOF
	}
	if err != nil {
		return rawRow{}, s.rowError(s.rows.row+1, err)
	}
	s.buf = cells
	out := s.cells[:0]
	numeric := s.numeric[:0]
	for i := range cells {
		c := &cells[i]
		if c.typ == "" || c.typ == "n" { // a number: a spreadsheet drops its leading zeros
			for len(numeric) <= c.col/64 {
				numeric = append(numeric, 0)
			}
			numeric[c.col/64] |= 1 << (c.col % 64)
		}
		for len(out) < c.col {
			out = append(out, "")
		}
		text, ok := s.text.text(c)
		if !ok {
			return rawRow{}, s.rowError(row, fmt.Errorf("cell %s%d refers to shared string %q, which the workbook does not have",
				pbx.ColumnLetter(c.col), row, c.value))
		}
		if c.col < len(out) { // a cell given twice: the later wins
			out[c.col] = text
			continue
		}
		out = append(out, text)
	}
	s.cells, s.numeric = out, numeric
	return rawRow{row: row, end: row, cells: out, numeric: numeric}, nil
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
	if s.part != nil {
		errs = append(errs, s.part.Close())
		s.part = nil
	}
	if s.text != nil {
		errs = append(errs, s.text.close())
		s.text = nil
	}
	if s.meta != nil {
		errs = append(errs, s.meta.Close())
		s.meta = nil
	}
	return errors.Join(errs...)
}
