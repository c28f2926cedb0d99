// Package report renders what pbxsync found and did: the plan for people
// (grouped per roster row, Terraform-like) and for programs (versioned
// JSON), per-row reports as text, CSV, JSON Lines or XLSX, the problems of
// a roster grouped by kind, the annotated roster (a copy of the user's own
// CSV or XLSX file with Status and Errors columns and, in a workbook, the
// offending cells marked), exports of the live state, and a progress
// display that draws only on a terminal. Values a spreadsheet could run as
// formulas are written so it does not (see SafeCell).
//
// Everything here writes to the writer or file it is given; the command
// decides what goes to stdout (the product) and what to stderr.
package report
