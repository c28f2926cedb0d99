package report_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"

	"github.com/gocarina/gocsv"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/report"
)

// roundTrip reads a CSV pbxsync wrote into its layout's records, writes
// them again with the same layout, and checks the bytes are the same.
func roundTrip[T any](t *testing.T, name string, written []byte) []T {
	t.Helper()
	var recs []T
	if err := gocsv.UnmarshalCSV(csv.NewReader(bytes.NewReader(written)), &recs); err != nil {
		t.Fatalf("%s: reading back: %v", name, err)
	}
	var again bytes.Buffer
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(&again))
	if err := gocsv.MarshalCSV(recs, cw); err != nil {
		t.Fatal(err)
	}
	cw.Flush()
	if !bytes.Equal(again.Bytes(), written) {
		t.Errorf("%s: written again differs:\n%s\nwas\n%s", name, again.Bytes(), written)
	}
	return recs
}

func TestNumbersLayoutRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteNumbers(&b, live()); err != nil {
		t.Fatal(err)
	}
	recs := roundTrip[report.NumberRecord](t, "numbers", b.Bytes())
	if len(recs) != 9 || recs[0].Number != "+14155550100" {
		t.Fatalf("%d numbers, first %q", len(recs), recs[0].Number)
	}
	tabs := map[string]int{}
	for _, r := range recs {
		tabs[string(r.Tab)]++
	}
	if tabs["ASSIGNED"] == 0 || tabs["COMPANY"] == 0 || len(tabs) != 2 {
		t.Errorf("tabs %v, want ASSIGNED and COMPANY only", tabs)
	}
}

func TestRosterLayoutRoundTrip(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteRoster(&b, live()); err != nil {
		t.Fatal(err)
	}
	recs := roundTrip[report.RosterRecord](t, "roster", b.Bytes())
	var eve *report.RosterRecord
	for i := range recs {
		if recs[i].UserID == "eve@acme.example" {
			eve = &recs[i]
		}
	}
	// Written behind an apostrophe (SafeCell), read back as they are.
	if eve == nil || eve.FirstName != "=1+2" || eve.LastName != "-Eve" || eve.Number != "+14155550112" || !bool(eve.VoiceEnabled) {
		t.Errorf("eve read back as %+v", eve)
	}
	// The header is pbxsync's own field names, which its template profile reads.
	for _, h := range report.CSVHeader(report.RosterRecord{}) {
		if !slices.Contains(pbx.Fields, pbx.Field(h)) {
			t.Errorf("roster column %q is not a pbxsync field", h)
		}
	}
}

func TestReportLayoutRoundTrip(t *testing.T) {
	lines := report.Lines(fixturePlan(t))
	var b bytes.Buffer
	if err := report.WriteRows(&b, report.CSV, lines); err != nil {
		t.Fatal(err)
	}
	recs := roundTrip[report.ReportRecord](t, "report", b.Bytes())
	if len(recs) != len(lines) {
		t.Fatalf("%d records, want %d", len(recs), len(lines))
	}
	for i, l := range lines {
		r := recs[i]
		if int(r.Row) != l.Row || string(r.Key) != l.Key || string(r.Status) != string(l.Status) {
			t.Errorf("line %d read back as %+v, want row %d key %q status %s", i, r, l.Row, l.Key, l.Status)
		}
	}
}
