package report

// The CSV layouts, for the round-trip tests of package report_test.
type (
	NumberRecord = numberRecord
	RosterRecord = rosterRecord
	ReportRecord = reportRecord
)

// CSVHeader is csvHeader.
var CSVHeader = csvHeader
