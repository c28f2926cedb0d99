// Package roster reads the rosters pbxsync provisions from: CSV and XLSX files
// as Excel, HR systems and legacy PBXs write them. A Reader finds the header
// row, then yields one Record per non-empty row, each with its row number as
// the user sees it, so later errors can point at the exact cell.
//
// CSV: the encoding (UTF-8 with or without BOM, UTF-16 LE/BE, Windows-1252)
// and the delimiter (, ; tab |) are detected unless given; quoted multi-line
// cells, CRLF and ragged rows are handled, the latter reported as problems.
//
// XLSX: the sheet is streamed straight from the zip, one row in memory at a
// time, by a small scanner of the sheet XML (held to encoding/xml's reading
// by a fuzz test); excelize supplies the workbook's styles and formats the
// numbers that have a number format, so memory does not grow with the sheet.
// Only the shared string table (each distinct text once) is read whole, and
// moves to a temporary file past Options.MaxXMLInMemory. Cells come out as
// the text a person sees in Excel (en-US): cached formula results, and
// numbers in their format (numfmt.go: every built-in format, sections
// chosen by condition such as the Phone Number format, Excel's rounding,
// ISO 8601 date cells, the 1904 date system), with two differences on
// purpose: numbers in General-format cells (phone numbers, MACs Excel took
// for numbers) keep all their digits instead of Excel's rounded scientific
// display, and a short date in the locale's format is written yyyy-mm-dd.
// The corpus test (corpus_test.go) holds the reader to workbooks in the
// habits of Excel, LibreOffice, Google Sheets, WPS, Tencent Docs and the
// Open XML SDK. The zip-bomb guard (Options.MaxUnzipSize) is checked
// before anything is unzipped.
//
// Every cell is passed through Clean, which trims spaces (including
// non-breaking and zero-width ones) and never changes meaning.
package roster
