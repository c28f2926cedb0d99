// Package report renders what pbxsync found and did: the plan for people
// (grouped per roster row, Terraform-like) and for programs (versioned
// JSON), per-row reports as CSV, JSON Lines or XLSX, the problems of a
// roster grouped by kind, and a progress display that draws only on a
// terminal. Everything here writes to the writer it is given; the command
// decides what goes to stdout (the product) and what to stderr.
package report
