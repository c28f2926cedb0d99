package roster

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Options say how to read a roster. The zero value detects everything.
type Options struct {
	Sheet     string // XLSX: sheet name, or 1-based index as text; "" = first sheet
	Delimiter rune   // CSV: 0 = sniff among , ; tab |
	Encoding  string // CSV: "" = detect; "utf-8", "utf-16le", "utf-16be", "windows-1252" (or a WHATWG label); a BOM wins
	HeaderRow int    // 1-based; 0 = find it (title rows above it are skipped)

	// MaxUnzipSize caps the uncompressed size of an XLSX file (zip-bomb
	// guard); 0 = DefaultMaxUnzipSize.
	MaxUnzipSize int64
	// MaxXMLInMemory bounds the one XLSX part not streamed: the shared
	// string table (each distinct text of the workbook) is kept in memory up
	// to this many bytes of text, in a temporary file beyond;
	// 0 = DefaultMaxXMLInMemory. Sheets always stream from the zip.
	MaxXMLInMemory int64
}

// Record is one non-empty data row of a roster.
type Record struct {
	Row      int            // row number as the user sees it (CSV: line where the record starts; XLSX: sheet row)
	Values   []string       // cleaned cell texts, always len(Headers()): short rows padded with ""
	Problems []*pbx.Problem // what is wrong with the row as read (ragged, bad encoding, value without a header)
	// Numeric marks the cells a workbook stored as numbers (bit i%64 of
	// word i/64 for column i); nil when none is, and always for CSV, whose
	// cells are text. A spreadsheet drops the leading zeros of a number.
	Numeric []uint64
}

// IsNumeric reports whether column col of the record was a number in the
// workbook.
func (r Record) IsNumeric(col int) bool {
	return col >= 0 && col/64 < len(r.Numeric) && r.Numeric[col/64]&(1<<(col%64)) != 0
}

// Blocking reports whether any of the record's problems stops the row.
func (r Record) Blocking() bool {
	for _, p := range r.Problems {
		if p.Blocking() {
			return true
		}
	}
	return false
}

// Reader yields the records of one roster, in file order.
type Reader interface {
	File() string      // base name of the file, for messages
	Sheet() string     // the sheet read; "" for CSV
	Headers() []string // cleaned header names, one per column
	HeaderRow() int    // row number of the header, as the user sees it
	// HeaderProblems lists duplicate ("header.duplicate") and empty
	// ("header.empty") header names, each with its column.
	HeaderProblems() []*pbx.Problem
	// Next returns the next non-empty row; io.EOF at the end. Other errors
	// are *Error, wrap pbx.ErrRead and name the row; they are sticky.
	Next() (Record, error)
	Close() error
}

// Detected is implemented by CSV readers: the encoding and delimiter the
// file was read with, whether given or detected.
type Detected interface {
	Encoding() string
	Delimiter() rune
}

// Open opens the roster at path, choosing the reader by its extension:
// .csv, .tsv and .txt are read as CSV, .xlsx and .xlsm as XLSX.
func Open(path string, opts Options) (Reader, error) {
	name := filepath.Base(path)
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".csv", ".tsv", ".txt":
		f, err := os.Open(path)
		if err != nil {
			return nil, &Error{File: name, Msg: "cannot open the file", Hint: "check the path and its permissions", Err: err}
		}
		if ext == ".tsv" && opts.Delimiter == 0 {
			opts.Delimiter = '\t'
		}
		r, err := newCSV(f, name, opts)
		if err != nil {
			f.Close()
			return nil, err
		}
		r.closer = f
		return r, nil
	case ".xlsx", ".xlsm":
		return openXLSX(path, name, opts)
	case ".xls":
		return nil, &Error{File: name, Msg: "Excel 97-2003 (.xls) workbooks are not supported",
			Hint: "open it in Excel and save it as .xlsx or as CSV UTF-8"}
	default:
		return nil, &Error{File: name, Msg: fmt.Sprintf("unsupported file type %q", ext),
			Hint: "give a .csv, .tsv, .txt, .xlsx or .xlsm file"}
	}
}

// NewCSV reads a CSV roster from r; name is the file name used in messages.
// If r is also an io.Seeker, encoding detection scans the whole input and
// seeks back; otherwise it looks at the first 64 KiB.
func NewCSV(r io.Reader, name string, opts Options) (Reader, error) {
	return newCSV(r, filepath.Base(name), opts)
}

// NewXLSX reads an XLSX roster from r; name is the file name used in
// messages. The compressed file is held in memory (at most MaxUnzipSize
// bytes); use Open to read a file from disk without that.
func NewXLSX(r io.Reader, name string, opts Options) (Reader, error) {
	return newXLSX(r, filepath.Base(name), opts)
}
