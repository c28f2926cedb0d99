package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Line is one row of a per-row report.
type Line struct {
	Row      int         `json:"row"` // as the user sees it; 0 for a leaver
	Key      string      `json:"key"`
	Status   plan.Status `json:"status"`
	Actions  []string    `json:"actions"`
	Messages []Message   `json:"messages"`
}

// Message is a problem in a per-row report.
type Message struct {
	Severity pbx.Severity `json:"severity"`
	Code     string       `json:"code"`
	Column   string       `json:"column,omitempty"` // spreadsheet letter
	Header   string       `json:"header,omitempty"`
	Value    string       `json:"value,omitempty"`
	Message  string       `json:"message"`
	Hint     string       `json:"hint,omitempty"`
}

func (m Message) String() string {
	s := m.Code + ": " + m.Message
	if m.Column != "" {
		s = m.Column + " (" + m.Header + ") " + s
	}
	if m.Hint != "" {
		s += " (fix: " + m.Hint + ")"
	}
	return s
}

// Lines lists what a plan does (or, once settled, did) for each row.
func Lines(p *plan.Plan) []Line {
	out := make([]Line, 0, len(p.Rows))
	for _, r := range p.Rows {
		l := Line{Row: r.Line, Key: r.Key, Status: r.Status, Actions: []string{}, Messages: []Message{}}
		for _, i := range r.Changes {
			c := p.Changes[i]
			l.Actions = append(l.Actions, string(c.Action)+" "+string(c.Kind)+" "+keyText(c))
		}
		for _, pr := range r.Problems {
			m := Message{Severity: pr.Severity, Code: pr.Code, Header: pr.Cell.Header, Value: pr.Value, Message: pr.Message, Hint: pr.Hint}
			if pr.Cell.Col >= 0 {
				m.Column = pr.Cell.ColLetter()
			}
			l.Messages = append(l.Messages, m)
		}
		out = append(out, l)
	}
	return out
}

// Formats of per-row reports.
const (
	Text  = "text"
	CSV   = "csv"
	JSONL = "jsonl"
	XLSX  = "xlsx"
)

// FormatOf picks a report format from a file name's extension.
func FormatOf(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return CSV, nil
	case ".jsonl", ".json", ".ndjson":
		return JSONL, nil
	case ".xlsx":
		return XLSX, nil
	}
	return "", fmt.Errorf("report %s: unknown format; name it .csv, .jsonl or .xlsx", path)
}

var reportHeader = []string{"row", "key", "status", "actions", "messages"}

func (l Line) cells() []string {
	msgs := make([]string, len(l.Messages))
	for i, m := range l.Messages {
		msgs[i] = m.String()
	}
	row := ""
	if l.Row > 0 {
		row = strconv.Itoa(l.Row)
	}
	return []string{row, l.Key, string(l.Status), strings.Join(l.Actions, "; "), strings.Join(msgs, " | ")}
}

// WriteRows writes a per-row report as CSV or JSON Lines.
func WriteRows(w io.Writer, format string, lines []Line) error {
	switch format {
	case Text:
		return writeTable(w, lines)
	case CSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(reportHeader); err != nil {
			return err
		}
		for _, l := range lines {
			cells := l.cells()
			for i := range cells {
				cells[i] = SafeCell(cells[i])
			}
			if err := cw.Write(cells); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	case JSONL:
		enc := json.NewEncoder(w)
		for _, l := range lines {
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("report format %q: use text, csv, jsonl or xlsx", format)
}

// writeTable writes the report as an aligned table for people: a line per
// row with its actions, and its messages under it.
func writeTable(w io.Writer, lines []Line) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tUSER\tSTATUS\tACTIONS")
	for _, l := range lines {
		row := "-"
		if l.Row > 0 {
			row = strconv.Itoa(l.Row)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", row, orDash(l.Key), l.Status, strings.Join(l.Actions, "; "))
		for _, m := range l.Messages {
			fmt.Fprintf(tw, "\t\t\t%s %s\n", severityMark(m.Severity), m)
		}
	}
	return tw.Flush()
}

func severityMark(s pbx.Severity) string {
	if s == pbx.SevWarning {
		return "warning:"
	}
	return "error:"
}

// WriteRowsFile writes a per-row report to a file, in the format its name says.
func WriteRowsFile(path string, lines []Line) error {
	format, err := FormatOf(path)
	if err != nil {
		return err
	}
	if format == XLSX {
		return writeRowsXLSX(path, lines)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := WriteRows(f, format, lines); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeRowsXLSX(path string, lines []Line) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Report"
	f.SetSheetName("Sheet1", sheet)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	hdr := make([]any, len(reportHeader))
	for i, h := range reportHeader {
		hdr[i] = h
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	for i, l := range lines {
		cells := l.cells()
		vals := make([]any, len(cells))
		for j, c := range cells {
			// strings are written as text cells: a value starting with = is not a formula
			vals[j] = c
		}
		if l.Row > 0 {
			vals[0] = l.Row
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// SafeCell keeps a spreadsheet from running a value as a formula: a value
// that starts with = + - @ (or a tab or carriage return) gets a leading
// apostrophe, as OWASP advises for CSV exports.
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
