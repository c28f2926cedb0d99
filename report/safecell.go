package report

import "strings"

// SafeCell keeps a spreadsheet from running a text value as a formula
// (CSV or formula injection, as OWASP names it). The rule, the same in every
// CSV pbxsync writes:
//
//   - A value that starts with = + - @, a tab or a carriage return gets a
//     leading apostrophe: Excel, LibreOffice and Google Sheets then show it
//     as text and never evaluate it. The apostrophe is visible in the CSV
//     text itself; that is the price of opening the file safely.
//   - Except a phone number in E.164 form ("+14155550101") or a list of
//     them joined by ";": made of a plus and digits only, it cannot call a
//     function or reach outside the sheet, and it must stay usable as it is
//     (an exported roster reads back unchanged).
//
// XLSX files need no apostrophe: pbxsync writes every text value there as a
// string cell, which a spreadsheet never evaluates, with the Text number
// format so that editing the cell keeps it text (see writeRowsXLSX and
// Annotate).
func SafeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) || isPhone(s) {
		return s
	}
	return "'" + s
}

// isPhone reports whether s is an E.164 number (a plus and 1 to 15 digits)
// or a ";"-list of them.
func isPhone(s string) bool {
	for part := range strings.SplitSeq(s, ";") {
		if len(part) < 2 || len(part) > 16 || part[0] != '+' {
			return false
		}
		for i := 1; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}
