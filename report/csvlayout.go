package report

import (
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"encoding/csv"

	"github.com/gocarina/gocsv"
)

// The fixed CSV layouts pbxsync writes (the number inventory, the users
// roster, the per-row report), each declared once as a struct whose csv
// tags are its header: gocsv writes it, and the round-trip tests read it
// back into the same struct. Every text cell is a csvText, which goes
// through SafeCell on the way out.

// csvText is a text cell of a CSV pbxsync writes: written through
// SafeCell, read back with the apostrophe SafeCell added taken off.
type csvText string

// MarshalCSV implements gocsv.TypeMarshaller.
func (s csvText) MarshalCSV() (string, error) { return SafeCell(string(s)), nil }

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (s *csvText) UnmarshalCSV(v string) error {
	*s = csvText(unsafeCell(v))
	return nil
}

// unsafeCell undoes SafeCell: the apostrophe before a value SafeCell
// guards. (A value of its own starting with an apostrophe and = + - @
// reads back without its apostrophe: SafeCell leaves such a value as it is.)
func unsafeCell(v string) string {
	if len(v) > 1 && v[0] == '\'' && SafeCell(v[1:]) == v {
		return v[1:]
	}
	return v
}

// csvYesNo is a yes/no cell.
type csvYesNo bool

// MarshalCSV implements gocsv.TypeMarshaller.
func (b csvYesNo) MarshalCSV() (string, error) { return yesNo(bool(b)), nil }

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (b *csvYesNo) UnmarshalCSV(v string) error {
	switch v {
	case "yes":
		*b = true
	case "no":
		*b = false
	default:
		return fmt.Errorf("%q is not yes or no", v)
	}
	return nil
}

// csvRow is a row number, empty for 0 (a leaver, who has no row).
type csvRow int

// MarshalCSV implements gocsv.TypeMarshaller.
func (r csvRow) MarshalCSV() (string, error) {
	if r <= 0 {
		return "", nil
	}
	return strconv.Itoa(int(r)), nil
}

// UnmarshalCSV implements gocsv.TypeUnmarshaller.
func (r *csvRow) UnmarshalCSV(v string) error {
	if v == "" {
		*r = 0
		return nil
	}
	n, err := strconv.Atoi(v)
	*r = csvRow(n)
	return err
}

// writeCSV writes records (a slice of a layout) with their header.
func writeCSV(w io.Writer, records any) error {
	cw := gocsv.NewSafeCSVWriter(csv.NewWriter(w))
	if err := gocsv.MarshalCSV(records, cw); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// csvHeader is the header of a layout: its fields' csv tags, in order.
func csvHeader(layout any) []string {
	t := reflect.TypeOf(layout)
	var h []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("csv"), ",")
		if name != "" && name != "-" {
			h = append(h, name)
		}
	}
	return h
}

// numberRecord is a line of the number inventory (WriteNumbers).
type numberRecord struct {
	Number         csvText  `csv:"number"`
	Tab            csvText  `csv:"tab"` // COMPANY (the pool) or ASSIGNED
	AssignedTo     csvText  `csv:"assigned_to"`
	Extension      csvText  `csv:"extension"`
	Site           csvText  `csv:"site"`
	Label          csvText  `csv:"label"`
	Routing        csvText  `csv:"routing"`
	SavedRouting   csvText  `csv:"saved_routing"`
	HolidayRouting csvText  `csv:"holiday_routing"`
	SMS            csvYesNo `csv:"sms"`
	E911Location   csvText  `csv:"e911_location"`
}

// rosterRecord is a user of an exported roster (WriteRoster): pbxsync's
// own field names (pbx.Field), so the built-in pbxsync profile reads it
// back unchanged.
type rosterRecord struct {
	UserID       csvText  `csv:"user_id"`
	FirstName    csvText  `csv:"first_name"`
	LastName     csvText  `csv:"last_name"`
	Email        csvText  `csv:"email"`
	Extension    csvText  `csv:"extension"`
	StationType  csvText  `csv:"station_type"`
	VoiceEnabled csvYesNo `csv:"voice_enabled"`
	CallerID     csvText  `csv:"caller_id"`
	ExternalID   csvText  `csv:"external_id"`
	Site         csvText  `csv:"site"`
	Number       csvText  `csv:"number"` // E.164, ";" between several
	NumberLabel  csvText  `csv:"number_label"`
	SMS          csvText  `csv:"sms"` // yes or no; empty without a number
	OutboundOnly csvText  `csv:"outbound_only"`
	MAC          csvText  `csv:"mac"`
	Model        csvText  `csv:"model"`
	Port         csvText  `csv:"port"`
	Lines        csvText  `csv:"lines"`
	Street       csvText  `csv:"e911_street"`
	City         csvText  `csv:"e911_city"`
	Region       csvText  `csv:"e911_region"`
	Postal       csvText  `csv:"e911_postal"`
	Country      csvText  `csv:"e911_country"`
	HuntGroups   csvText  `csv:"hunt_groups"` // group ids, ";" between several
}

// reportRecord is a line of the per-row report as CSV (and the columns of
// its XLSX form).
type reportRecord struct {
	Row      csvRow  `csv:"row"`
	Key      csvText `csv:"key"`
	Status   csvText `csv:"status"`
	Actions  csvText `csv:"actions"`  // "; " between actions
	Messages csvText `csv:"messages"` // " | " between messages
}
