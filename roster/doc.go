// Package roster reads the rosters pbxsync provisions from: CSV and XLSX files
// as Excel, HR systems and legacy PBXs write them. A Reader finds the header
// row, then yields one Record per non-empty row, each with its row number as
// the user sees it, so later errors can point at the exact cell.
//
// CSV: the encoding (UTF-8 with or without BOM, UTF-16 LE/BE, Windows-1252)
// and the delimiter (, ; tab |) are detected unless given; quoted multi-line
// cells, CRLF and ragged rows are handled, the latter reported as problems.
//
// XLSX: read through excelize's streaming row iterator, so memory does not
// grow with the sheet; cells come out as the text a person sees (cached
// formula results, formatted numbers and dates), except that long numbers in
// General-format cells (phone numbers, MACs Excel took for numbers) keep all
// their digits instead of Excel's rounded scientific display.
//
// Every cell is passed through Clean, which trims spaces (including
// non-breaking and zero-width ones) and never changes meaning.
package roster
