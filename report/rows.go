package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/gocarina/gocsv"
	"github.com/xuri/excelize/v2"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Line is one row of a per-row report (one JSON object a line in JSON
// Lines, see docs/json.md).
type Line struct {
	Row int    `json:"row"` // as the user sees it (the sheet row, the CSV line); 0 for a leaver
	Key string `json:"key"` // the user ID, or the value as given when it was invalid
	// Status is valid (validation only), created, updated, unchanged,
	// moved, deprovisioned, invalid, conflict, failed or skipped.
	Status   plan.Status `json:"status"`
	Actions  []string    `json:"actions"`  // "create user jdoe@acme.example", "move number +14155550101"
	Messages []Message   `json:"messages"` // problems, each with its code and cell
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

	row int // the sheet row of the cell, for Annotate; 0 = the line's row
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

// Lines lists what a plan does (or, once settled by plan.Settle, did) for
// each row, in the plan's row order. Applied merges a plan.Result too. A
// change rows share (the E911 location of a site, the ATA of two ports) is
// an action of the first of them only.
func Lines(p *plan.Plan) []Line {
	out := make([]Line, 0, len(p.Rows))
	for _, r := range p.Rows {
		l := Line{Row: r.Line, Key: r.Key, Status: r.Status, Actions: []string{}, Messages: []Message{}}
		for _, i := range r.Changes {
			c := p.Changes[i]
			if r.Line > 0 && len(c.Rows) > 1 && c.Rows[0] != r.Line {
				continue // shared: listed on its first row
			}
			l.Actions = append(l.Actions, string(c.Action)+" "+string(c.Kind)+" "+keyText(c))
		}
		for _, pr := range r.Problems {
			l.Messages = append(l.Messages, messageOf(pr))
		}
		out = append(out, l)
	}
	return out
}

func messageOf(pr *pbx.Problem) Message {
	m := Message{Severity: pr.Severity, Code: pr.Code, Header: pr.Cell.Header, Value: pr.Value, Message: pr.Message, Hint: pr.Hint, row: pr.Cell.Row}
	if pr.Cell.Col >= 0 {
		m.Column = pr.Cell.ColLetter()
	}
	if m.Severity == "" {
		m.Severity = pbx.SevError
	}
	return m
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

// reportHeader is the header of the CSV and XLSX reports.
var reportHeader = csvHeader(reportRecord{})

// record is the line as the CSV and XLSX reports write it.
func (l Line) record() reportRecord {
	msgs := make([]string, len(l.Messages))
	for i, m := range l.Messages {
		msgs[i] = m.String()
	}
	return reportRecord{Row: csvRow(l.Row), Key: csvText(l.Key), Status: csvText(l.Status),
		Actions: csvText(strings.Join(l.Actions, "; ")), Messages: csvText(strings.Join(msgs, " | "))}
}

// cells are the line's cells in the XLSX report, as they are (string
// cells need no SafeCell).
func (l Line) cells() []string {
	r := l.record()
	row, _ := r.Row.MarshalCSV()
	return []string{row, string(r.Key), string(r.Status), string(r.Actions), string(r.Messages)}
}

// csvChunk is how many lines of a CSV report are made records at once.
const csvChunk = 4096

// WriteRows writes a per-row report as a text table, CSV or JSON Lines.
// CSV cells go through SafeCell.
func WriteRows(w io.Writer, format string, lines []Line) error {
	switch format {
	case Text:
		return writeTable(w, lines)
	case CSV:
		// The records a chunk at a time: a large run's report is not held
		// twice over (its lines, then their records: ~20 MB at 100k rows).
		cw := gocsv.NewSafeCSVWriter(csv.NewWriter(w))
		recs := make([]reportRecord, 0, min(len(lines), csvChunk))
		for start := 0; start == 0 || start < len(lines); start += csvChunk {
			recs = recs[:0]
			for _, l := range lines[start:min(start+csvChunk, len(lines))] {
				recs = append(recs, l.record())
			}
			marshal := gocsv.MarshalCSVWithoutHeaders
			if start == 0 {
				marshal = gocsv.MarshalCSV
			}
			if err := marshal(recs, cw); err != nil {
				return err
			}
		}
		return nil
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
// row with its actions, and its messages under it. Every line of it has
// the same three aligned cells before its last, so text/tabwriter would
// hold the whole table (a million rows: hundreds of MB) to align one block:
// the widths are found in a first pass over the lines instead and each
// line written as it is made, the table byte for byte tabwriter's
// (minimum width 0, padding 2, spaces; a cell's width in runes). Lines
// whose text tabwriter reads as more than text (a tab, line or form feed,
// its escape byte) go through tabwriter itself.
func writeTable(w io.Writer, lines []Line) error {
	for _, l := range lines {
		if !plainCell(l.Key) || !plainCell(string(l.Status)) || slices.ContainsFunc(l.Actions, func(a string) bool { return !plainCell(a) }) ||
			slices.ContainsFunc(l.Messages, func(m Message) bool { return !plainCell(m.String()) }) {
			return writeTabwriter(w, lines)
		}
	}
	row := func(l Line) string {
		if l.Row > 0 {
			return strconv.Itoa(l.Row)
		}
		return "-"
	}
	widths := [3]int{utf8.RuneCountInString("ROW"), utf8.RuneCountInString("USER"), utf8.RuneCountInString("STATUS")}
	for _, l := range lines {
		for j, c := range [3]string{row(l), orDash(l.Key), string(l.Status)} {
			widths[j] = max(widths[j], utf8.RuneCountInString(c))
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	put := func(cells [3]string, last string) {
		for j, c := range cells {
			bw.WriteString(c)
			for range widths[j] + tablePadding - utf8.RuneCountInString(c) {
				bw.WriteByte(' ')
			}
		}
		bw.WriteString(last)
		bw.WriteByte('\n')
	}
	put([3]string{"ROW", "USER", "STATUS"}, "ACTIONS")
	for _, l := range lines {
		put([3]string{row(l), orDash(l.Key), string(l.Status)}, strings.Join(runsOf(l.Actions), "; "))
		for _, m := range l.Messages {
			put([3]string{}, severityMark(m.Severity)+" "+m.String())
		}
	}
	return bw.Flush()
}

// tablePadding is the spaces after the widest cell of a column.
const tablePadding = 2

// plainCell reports whether tabwriter reads s as plain text: no cell or
// line ends, no escape byte.
func plainCell(s string) bool {
	return !strings.ContainsAny(s, "\t\v\n\f") && !strings.Contains(s, string([]byte{tabwriter.Escape}))
}

// writeTabwriter is writeTable through text/tabwriter, for the lines it
// reads as more than text.
func writeTabwriter(w io.Writer, lines []Line) error {
	tw := tabwriter.NewWriter(w, 0, 4, tablePadding, ' ', 0)
	fmt.Fprintln(tw, "ROW\tUSER\tSTATUS\tACTIONS")
	for _, l := range lines {
		row := "-"
		if l.Row > 0 {
			row = strconv.Itoa(l.Row)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", row, orDash(l.Key), l.Status, strings.Join(runsOf(l.Actions), "; "))
		for _, m := range l.Messages {
			fmt.Fprintf(tw, "\t\t\t%s %s\n", severityMark(m.Severity), m)
		}
	}
	return tw.Flush()
}

// runsOf shortens, for people, a run of three or more actions that differ
// only in a number one higher each time, as a numbers file's block of 50 is:
// "create number +16505550100 ... +16505550149 (50)". The CSV, JSON Lines
// and XLSX reports keep every action.
func runsOf(actions []string) []string {
	out := make([]string, 0, len(actions))
	for i := 0; i < len(actions); {
		prefix, first, ok := numbered(actions[i])
		j := i + 1
		for ok && j < len(actions) {
			p, n, ok2 := numbered(actions[j])
			if !ok2 || p != prefix || n != first+uint64(j-i) {
				break
			}
			j++
		}
		if j-i >= 3 {
			last := actions[j-1][strings.LastIndexByte(actions[j-1], ' ')+1:]
			out = append(out, fmt.Sprintf("%s ... %s (%d)", actions[i], last, j-i))
		} else {
			out = append(out, actions[i:j]...)
		}
		i = j
	}
	return out
}

// numbered splits "create number +16505550100" into its text before the last
// word and that word's digits as a number; ok is false when the last word is
// not a number (an optional leading + aside).
func numbered(action string) (prefix string, n uint64, ok bool) {
	sp := strings.LastIndexByte(action, ' ')
	if sp < 0 {
		return "", 0, false
	}
	n, err := strconv.ParseUint(strings.TrimPrefix(action[sp+1:], "+"), 10, 64)
	return action[:sp+1], n, err == nil
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

// writeRowsXLSX writes the report as a workbook with one sheet, Report.
// Text goes in string cells with the Text number format: a value that
// starts with = is shown as it is and never evaluated, and stays text when
// someone edits the cell. The row number is a number cell.
func writeRowsXLSX(path string, lines []Line) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Report"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: numFmtText})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{NumFmt: numFmtText, Font: headerFont})
	if err != nil {
		return err
	}
	// The stream writer writes <dimension> first: it is set before it.
	if err := f.SetSheetDimension(sheet, rangeRef(len(reportHeader), len(lines)+1)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := streamColWidths(sw, []float64{6, 28, 14, 60, 80}); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	hdr := make([]any, len(reportHeader))
	for i, h := range reportHeader {
		hdr[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	for i, l := range lines {
		cells := l.cells()
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = excelize.Cell{StyleID: text, Value: c}
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
	return saveXLSX(f, path)
}

// numFmtText is Excel's built-in Text number format ("@").
const numFmtText = 49
