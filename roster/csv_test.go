package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

type wantRec struct {
	row    int
	values []string
	codes  []string // problem codes, in order
}

func TestCSV(t *testing.T) {
	tests := []struct {
		name      string
		in        []byte
		opts      Options
		enc       string
		delim     rune
		headers   []string
		headerRow int
		hcodes    []string
		recs      []wantRec
	}{
		{
			name: "utf-8 without BOM", in: []byte("Name,Ext\nZoë,101\nJosé,102\n"),
			enc: EncUTF8, delim: ',', headers: []string{"Name", "Ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101"}, nil}, {3, []string{"José", "102"}, nil}},
		},
		{
			name: "utf-8 with BOM and CRLF", in: []byte("\xEF\xBB\xBFName,Ext\r\nZoë,101\r\n"),
			enc: EncUTF8, delim: ',', headers: []string{"Name", "Ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101"}, nil}},
		},
		{
			name: "utf-16le with BOM and tabs (Excel Unicode text)",
			in:   utf16Bytes("Name\tExt\tCity\r\nZoë\t101\tMünchen\r\n\"Li, Wei\"\t102\t北京\r\n", false, true),
			enc:  EncUTF16LE, delim: '\t', headers: []string{"Name", "Ext", "City"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101", "München"}, nil}, {3, []string{"Li, Wei", "102", "北京"}, nil}},
		},
		{
			name: "utf-16be with BOM", in: utf16Bytes("Name;Ext\nZoë;101\n", true, true),
			enc: EncUTF16BE, delim: ';', headers: []string{"Name", "Ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101"}, nil}},
		},
		{
			name: "utf-16le without BOM", in: utf16Bytes("Name,Ext\nZoë,101\n", false, false),
			enc: EncUTF16LE, delim: ',', headers: []string{"Name", "Ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101"}, nil}},
		},
		{
			name: "windows-1252 bytes detected", in: []byte("Name;Note\r\nJos\xe9;\x93hi\x94 \x80 5\r\n"),
			enc: EncWindows1252, delim: ';', headers: []string{"Name", "Note"}, headerRow: 1,
			recs: []wantRec{{2, []string{"José", "\u201chi\u201d € 5"}, nil}},
		},
		{
			name: "windows-1252 given", in: []byte("Name,Ext\nZo\xeb,101\n"), opts: Options{Encoding: "cp1252"},
			enc: EncWindows1252, delim: ',', headers: []string{"Name", "Ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101"}, nil}},
		},
		{
			name: "latin1 label via WHATWG index", in: []byte("Name,Ext\nZo\xeb,101\n"), opts: Options{Encoding: "latin1"},
			enc: EncWindows1252, delim: ',', headers: []string{"Name", "Ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Zoë", "101"}, nil}},
		},
		{
			name: "comma", in: []byte("a,b,c\n1,2,3\n"), enc: EncUTF8, delim: ',',
			headers: []string{"a", "b", "c"}, headerRow: 1, recs: []wantRec{{2, []string{"1", "2", "3"}, nil}},
		},
		{
			name: "semicolon with commas in values", in: []byte("name;street;ext\nSmith, John;1 Main St, Apt 2;101\nDoe, Jane;5 Elm St;102\n"),
			enc: EncUTF8, delim: ';', headers: []string{"name", "street", "ext"}, headerRow: 1,
			recs: []wantRec{{2, []string{"Smith, John", "1 Main St, Apt 2", "101"}, nil}, {3, []string{"Doe, Jane", "5 Elm St", "102"}, nil}},
		},
		{
			name: "tab", in: []byte("a\tb\n1\t2\n"), enc: EncUTF8, delim: '\t',
			headers: []string{"a", "b"}, headerRow: 1, recs: []wantRec{{2, []string{"1", "2"}, nil}},
		},
		{
			name: "pipe", in: []byte("a|b|c\n1|2|3\n"), enc: EncUTF8, delim: '|',
			headers: []string{"a", "b", "c"}, headerRow: 1, recs: []wantRec{{2, []string{"1", "2", "3"}, nil}},
		},
		{
			name: "delimiter inside quotes ignored by the sniffer", in: []byte("\"a;x;y;z\"|b\n\"1;2;3\"|2\n"), enc: EncUTF8, delim: '|',
			headers: []string{"a;x;y;z", "b"}, headerRow: 1, recs: []wantRec{{2, []string{"1;2;3", "2"}, nil}},
		},
		{
			name: "delimiter given", in: []byte("a;b,c\n1;2,3\n"), opts: Options{Delimiter: ','}, enc: EncUTF8, delim: ',',
			headers: []string{"a;b", "c"}, headerRow: 1, recs: []wantRec{{2, []string{"1;2", "3"}, nil}},
		},
		{
			name: "Excel sep= line", in: []byte("sep=;\r\na;b\r\n1,5;2\r\n"), enc: EncUTF8, delim: ';',
			headers: []string{"a", "b"}, headerRow: 2, recs: []wantRec{{3, []string{"1,5", "2"}, nil}},
		},
		{
			name: "single column", in: []byte("email\na@x.io\nb@x.io\n"), enc: EncUTF8, delim: ',',
			headers: []string{"email"}, headerRow: 1, recs: []wantRec{{2, []string{"a@x.io"}, nil}, {3, []string{"b@x.io"}, nil}},
		},
		{
			name: "quoted multi-line cells: each record is one spreadsheet row",
			in:   []byte("name,street,ext\r\nAnn,\"1 Main St\r\nSuite 4\r\nFloor 2\",101\r\nBob,\"2 Elm\nBack\",102\r\nCy,3 Oak,103\r\n"),
			enc:  EncUTF8, delim: ',', headers: []string{"name", "street", "ext"}, headerRow: 1,
			recs: []wantRec{
				{2, []string{"Ann", "1 Main St\nSuite 4\nFloor 2", "101"}, nil},
				{3, []string{"Bob", "2 Elm\nBack", "102"}, nil},
				{4, []string{"Cy", "3 Oak", "103"}, nil},
			},
		},
		{
			name: "multi-line header cell",
			in:   []byte("\"First\nName\",Ext\nAnn,101\n"), enc: EncUTF8, delim: ',',
			headers: []string{"First\nName", "Ext"}, headerRow: 1, recs: []wantRec{{2, []string{"Ann", "101"}, nil}},
		},
		{
			name: "classic Mac line ends", in: []byte("a,b\r1,2\r3,4\r"), enc: EncUTF8, delim: ',',
			headers: []string{"a", "b"}, headerRow: 1, recs: []wantRec{{2, []string{"1", "2"}, nil}, {3, []string{"3", "4"}, nil}},
		},
		{
			name: "empty rows skipped, numbers kept", in: []byte("a,b\n\n1,2\n,\n  ,\u00a0\n3,4\n\n\n"), enc: EncUTF8, delim: ',',
			headers: []string{"a", "b"}, headerRow: 1, recs: []wantRec{{3, []string{"1", "2"}, nil}, {6, []string{"3", "4"}, nil}},
		},
		{
			name: "cells cleaned", in: []byte("\u00a0Name ,Phone\n\u200bMary\u00a0Ann\u00a0, +1 415 555 0100 \n"), enc: EncUTF8, delim: ',',
			headers: []string{"Name", "Phone"}, headerRow: 1, recs: []wantRec{{2, []string{"Mary Ann", "+1 415 555 0100"}, nil}},
		},
		{
			name: "ragged rows reported, not dropped",
			in:   []byte("a,b,c\n1,2\n1,2,3,4\n1,2,3,\n1,2,3\n"), enc: EncUTF8, delim: ',',
			headers: []string{"a", "b", "c"}, headerRow: 1,
			recs: []wantRec{
				{2, []string{"1", "2", ""}, []string{CodeRowRagged}},
				{3, []string{"1", "2", "3"}, []string{CodeRowRagged}},
				{4, []string{"1", "2", "3"}, []string{CodeRowRagged}},
				{5, []string{"1", "2", "3"}, nil},
			},
		},
		{
			name: "duplicate and empty headers",
			in:   []byte("Name,,email,EMAIL,x\nAnn,,a@x.io,b@x.io,1\nBob,oops,c@x.io,,2\n"), enc: EncUTF8, delim: ',',
			headers: []string{"Name", "", "email", "EMAIL", "x"}, headerRow: 1,
			hcodes: []string{CodeHeaderEmpty, CodeHeaderDuplicate},
			recs: []wantRec{
				{2, []string{"Ann", "", "a@x.io", "b@x.io", "1"}, nil},
				{3, []string{"Bob", "", "c@x.io", "", "2"}, []string{CodeCellUnheaded}},
			},
		},
		{
			name: "title rows above the header",
			in:   []byte("Staff list\nExported:,2024-01-05\n\nname,ext\nAnn,101\n"), enc: EncUTF8, delim: ',',
			headers: []string{"name", "ext"}, headerRow: 4, recs: []wantRec{{5, []string{"Ann", "101"}, nil}},
		},
		{
			name: "header row given", in: []byte("Report\nname,ext\nAnn,101\n"), opts: Options{HeaderRow: 2},
			enc: EncUTF8, delim: ',', headers: []string{"name", "ext"}, headerRow: 2, recs: []wantRec{{3, []string{"Ann", "101"}, nil}},
		},
		{
			name: "header row given below a multi-line cell: rows as a spreadsheet counts them", in: []byte("\"Site\nsurvey\"\nname,ext\nAnn,101\n"),
			opts: Options{HeaderRow: 2}, enc: EncUTF8, delim: ',', headers: []string{"name", "ext"}, headerRow: 2,
			recs: []wantRec{{3, []string{"Ann", "101"}, nil}},
		},
		{
			name: "header only", in: []byte("name,ext\n"), enc: EncUTF8, delim: ',',
			headers: []string{"name", "ext"}, headerRow: 1,
		},
		{
			name: "bare quotes read lazily", in: []byte("name,note\nAnn,5\" tall\nBob,\"said \"\"hi\"\"\"\n"), enc: EncUTF8, delim: ',',
			headers: []string{"name", "note"}, headerRow: 1, recs: []wantRec{{2, []string{"Ann", "5\" tall"}, nil}, {3, []string{"Bob", "said \"hi\""}, nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Seekable input (whole-file detection) and a plain stream (peek only).
			for _, in := range []io.Reader{bytes.NewReader(tt.in), onlyReader{bytes.NewReader(tt.in)}} {
				r, err := NewCSV(in, "dir/roster.csv", tt.opts)
				if err != nil {
					t.Fatalf("NewCSV: %v", err)
				}
				d := r.(Detected)
				if d.Encoding() != tt.enc || d.Delimiter() != tt.delim {
					t.Errorf("detected %s %q, want %s %q", d.Encoding(), d.Delimiter(), tt.enc, tt.delim)
				}
				if r.File() != "roster.csv" || r.Sheet() != "" {
					t.Errorf("File, Sheet = %q, %q", r.File(), r.Sheet())
				}
				if !slices.Equal(r.Headers(), tt.headers) || r.HeaderRow() != tt.headerRow {
					t.Errorf("headers %q at %d, want %q at %d", r.Headers(), r.HeaderRow(), tt.headers, tt.headerRow)
				}
				if got := codes(t, r.HeaderProblems()); !slices.Equal(got, tt.hcodes) {
					t.Errorf("header problems %q, want %q", got, tt.hcodes)
				}
				recs := readAll(t, r)
				if len(recs) != len(tt.recs) {
					t.Fatalf("got %d records %+v, want %d", len(recs), recs, len(tt.recs))
				}
				for i, rec := range recs {
					w := tt.recs[i]
					if rec.Row != w.row || !slices.Equal(rec.Values, w.values) {
						t.Errorf("record %d = row %d %q, want row %d %q", i, rec.Row, rec.Values, w.row, w.values)
					}
					if got := codes(t, rec.Problems); !slices.Equal(got, w.codes) {
						t.Errorf("record %d problems %q, want %q", i, got, w.codes)
					}
					for _, p := range rec.Problems {
						if p.Cell.Row != rec.Row || p.Cell.File != "roster.csv" {
							t.Errorf("problem %v points at %+v", p, p.Cell)
						}
					}
				}
				if err := r.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}
		})
	}
}

func TestCSVProblemDetails(t *testing.T) {
	in := "Name,,Ext,ext\nAnn,x,101,9\nBob,,1,2,3\nCy\n"
	r, err := NewCSV(strings.NewReader(in), "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	hp := r.HeaderProblems()
	if len(hp) != 2 {
		t.Fatalf("header problems: %v", hp)
	}
	if p := hp[0]; p.Code != CodeHeaderEmpty || p.Cell.Col != 1 || p.Cell.Row != 1 || p.Severity != pbx.SevWarning {
		t.Errorf("empty header problem: %+v", p)
	}
	if p := hp[1]; p.Code != CodeHeaderDuplicate || p.Cell.Col != 3 || p.Cell.Header != "ext" || p.Severity != pbx.SevWarning {
		t.Errorf("duplicate header problem: %+v", p)
	}
	recs := readAll(t, r)
	want := []struct {
		col   int
		sev   pbx.Severity
		value string
	}{
		{1, pbx.SevError, "x"},   // value under the empty header
		{-1, pbx.SevError, "3"},  // long row: a value in no column
		{-1, pbx.SevWarning, ""}, // short row: padded
	}
	for i, w := range want {
		if len(recs[i].Problems) != 1 {
			t.Fatalf("record %d problems: %v", i, recs[i].Problems)
		}
		p := recs[i].Problems[0]
		if p.Cell.Col != w.col || p.Severity != w.sev || p.Value != w.value || p.Cell.Row != recs[i].Row {
			t.Errorf("record %d problem %+v, want col %d %s value %q", i, p, w.col, w.sev, w.value)
		}
		if recs[i].Blocking() != (w.sev == pbx.SevError) {
			t.Errorf("record %d Blocking() = %v", i, recs[i].Blocking())
		}
	}
}

// FreePBX's Bulk Handler export ends its header with unnamed columns, and
// its unquoted voicemail_options ("attach=no,saycid=no,...") spills into
// them: values right of the last named column are a warning, given once per
// column, while a value under an unnamed column inside the table stays an
// error on every row.
func TestCSVStrayColumns(t *testing.T) {
	in := "ext,,name,options,,,\n" +
		"2001,,Ada,attach=no,saycid=no,envelope=no,\n" +
		"2002,x,Grace,attach=yes,saycid=yes,,\n" +
		"2003,,Alan,attach=no,,,\n"
	r, err := NewCSV(strings.NewReader(in), "ext.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, r)
	type want struct {
		col int
		sev pbx.Severity
		val string
	}
	wants := [][]want{
		{{4, pbx.SevWarning, "saycid=no"}, {5, pbx.SevWarning, "envelope=no"}},
		{{1, pbx.SevError, "x"}}, // E3 was reported at E2
		nil,
	}
	for i, rec := range recs {
		if len(rec.Problems) != len(wants[i]) {
			t.Fatalf("row %d problems %v, want %d", rec.Row, rec.Problems, len(wants[i]))
		}
		for j, p := range rec.Problems {
			w := wants[i][j]
			if p.Code != CodeCellUnheaded || p.Cell.Col != w.col || p.Severity != w.sev || p.Value != w.val || p.Cell.Row != rec.Row {
				t.Errorf("row %d problem %d = %+v, want col %d %s %q", rec.Row, j, p, w.col, w.sev, w.val)
			}
		}
		if rec.Values[3] == "" || rec.Values[0] == "" {
			t.Errorf("row %d values %q", rec.Row, rec.Values)
		}
	}
	if recs[0].Blocking() || !recs[1].Blocking() {
		t.Errorf("Blocking() = %v, %v; want false, true", recs[0].Blocking(), recs[1].Blocking())
	}
}

// Quoting mistakes: a quote escaped with a backslash (as some exporters
// write it) swallows the delimiters after it; typographic quotes do not
// quote at all. Both are errors on the row, with a hint that names them.
func TestCSVQuoteMistakes(t *testing.T) {
	tests := []struct {
		name, in string
		col      int
		hint     string
	}{
		{"backslash-escaped quote", "this,header,here\n\"has\",\"qu\\\"otes\\\"\",\"in it\"\n", 1, "doubled"},
		{"typographic quotes", "name,ext\n“Smith, John”,101\n", -1, "typographic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSV(strings.NewReader(tt.in), "q.csv", Options{})
			if err != nil {
				t.Fatal(err)
			}
			recs := readAll(t, r)
			if len(recs) != 1 || len(recs[0].Problems) != 1 {
				t.Fatalf("records %+v", recs)
			}
			p := recs[0].Problems[0]
			if p.Code != CodeRowRagged || p.Severity != pbx.SevError || p.Cell.Col != tt.col || !strings.Contains(p.Hint, tt.hint) {
				t.Errorf("problem %+v, want an error at column %d with a hint about %q", p, tt.col, tt.hint)
			}
		})
	}
}

// Invalid UTF-8 past the part the reader peeks at: a seekable input is
// scanned whole and read as Windows-1252; a stream reports the cell.
func TestCSVLateEncoding(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,ext\n")
	for i := 0; b.Len() < peekSize+100; i++ {
		fmt.Fprintf(&b, "user%d,%d\n", i, 1000+i)
	}
	b.WriteString("Jos\xe9,99\n")
	data := []byte(b.String())
	lines := strings.Count(b.String(), "\n")

	r, err := NewCSV(bytes.NewReader(data), "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := r.(Detected).Encoding(); e != EncWindows1252 {
		t.Errorf("seekable: encoding %s", e)
	}
	recs := readAll(t, r)
	if last := recs[len(recs)-1]; last.Values[0] != "José" || last.Row != lines || len(last.Problems) != 0 {
		t.Errorf("seekable: last record %+v", last)
	}

	r, err = NewCSV(onlyReader{bytes.NewReader(data)}, "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs = readAll(t, r)
	last := recs[len(recs)-1]
	if got := codes(t, last.Problems); !slices.Equal(got, []string{CodeCellEncoding}) || last.Problems[0].Cell.Col != 0 {
		t.Fatalf("stream: last record problems %v", last.Problems)
	}
	if last.Values[0] != "Jos\ufffd" {
		t.Errorf("stream: value %q", last.Values[0])
	}
}

func TestCSVErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		opts Options
		row  int // row the error names; 0 = none
	}{
		{"empty file", nil, Options{}, 0},
		{"only blank lines", []byte("\n\n ,\n"), Options{}, 0},
		{"zip bytes", []byte("PK\x03\x04rest"), Options{}, 0},
		{"unknown encoding", []byte("a,b\n"), Options{Encoding: "klingon"}, 0},
		{"bad delimiter", []byte("a,b\n"), Options{Delimiter: '"'}, 0},
		{"header row past the end", []byte("a,b\n1,2\n"), Options{HeaderRow: 9}, 0},
		{"header row empty", []byte("a,b\n\n1,2\n"), Options{HeaderRow: 2}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewCSV(bytes.NewReader(tt.in), "r.csv", tt.opts)
			if !errors.Is(err, pbx.ErrRead) {
				t.Fatalf("err = %v, want pbx.ErrRead", err)
			}
			var re *Error
			if !errors.As(err, &re) || re.File != "r.csv" || re.Row != tt.row || re.Hint == "" {
				t.Errorf("err = %#v, want an *Error naming r.csv, row %d, with a hint", err, tt.row)
			}
		})
	}
}

// failReader fails after giving some bytes.
type failReader struct {
	data []byte
	err  error
}

func (f *failReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestCSVReadErrorIsSticky(t *testing.T) {
	cause := errors.New("disk on fire")
	var b strings.Builder
	b.WriteString("a,b\n")
	for i := 0; b.Len() < 3*peekSize; i++ {
		fmt.Fprintf(&b, "%d,%d\n", i, i)
	}
	r, err := NewCSV(&failReader{data: []byte(b.String()), err: cause}, "r.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rerr error
	for rerr == nil {
		_, rerr = r.Next()
	}
	if !errors.Is(rerr, pbx.ErrRead) || !errors.Is(rerr, cause) {
		t.Fatalf("err = %v, want pbx.ErrRead and the cause", rerr)
	}
	var re *Error
	if !errors.As(rerr, &re) || re.Row < 2 {
		t.Errorf("err %v does not name a row", rerr)
	}
	if _, again := r.Next(); again != rerr {
		t.Errorf("second Next = %v, want the same error", again)
	}
}

// FuzzCSV: any bytes never panic and give records as wide as the header;
// a table written by encoding/csv reads back equal, at the right lines.
func FuzzCSV(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"), "x|y|z", uint8(2))
	f.Add([]byte("\xEF\xBB\xBFName;Ext\r\n\"Zo\xc3\xab\nx\";1\r\n"), "line\nbreak|\"q\"|a,b| lead", uint8(3))
	f.Add(utf16Bytes("a\tb\r\n1\t2\r\n", false, true), "", uint8(1))
	f.Add([]byte("sep=|\na|b\n1|2|3\n\"x"), "\u00a0|\u200b|é", uint8(4))
	f.Add([]byte("t\n\nh1,h2\n1\n1,2,3\n"), "a|b|c|d|e|f", uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, table string, ncols uint8) {
		// 1. Arbitrary input.
		if r, err := NewCSV(bytes.NewReader(data), "f.csv", Options{}); err != nil {
			if !errors.Is(err, pbx.ErrRead) {
				t.Fatalf("NewCSV error %v does not wrap pbx.ErrRead", err)
			}
		} else {
			prev := r.HeaderRow()
			for {
				rec, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					if !errors.Is(err, pbx.ErrRead) {
						t.Fatalf("Next error %v does not wrap pbx.ErrRead", err)
					}
					break
				}
				if len(rec.Values) != len(r.Headers()) {
					t.Fatalf("record at row %d has %d values, header has %d", rec.Row, len(rec.Values), len(r.Headers()))
				}
				if rec.Row <= prev {
					t.Fatalf("row %d after row %d", rec.Row, prev)
				}
				prev = rec.Row
			}
		}

		// 2. Round trip of a table made from the fuzz text.
		cols := 1 + int(ncols%5)
		cells := strings.Split(table, "|")
		var rows [][]string
		for i := 0; i == 0 || i < len(cells); i += cols {
			row := make([]string, cols)
			for j := range row {
				if i+j < len(cells) {
					row[j] = Clean(strings.ToValidUTF8(strings.ReplaceAll(cells[i+j], "\r", ""), ""))
				}
			}
			rows = append(rows, row)
		}
		header := make([]string, cols)
		for j := range header {
			header[j] = "c" + strconv.Itoa(j) + rows[0][j]
		}
		rows[0] = header
		for _, row := range rows[1:] {
			if strings.Join(row, "") == "" {
				row[0] = "x"
			}
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.WriteAll(rows)
		r, err := NewCSV(bytes.NewReader(buf.Bytes()), "t.csv", Options{Delimiter: ',', Encoding: "utf-8", HeaderRow: 1})
		if err != nil {
			t.Fatalf("NewCSV of %q: %v", buf.String(), err)
		}
		if !slices.Equal(r.Headers(), header) {
			t.Fatalf("headers %q, want %q", r.Headers(), header)
		}
		line := 1 + strings.Count(strings.Join(header, ""), "\n")
		for _, want := range rows[1:] {
			line++
			rec, err := r.Next()
			if err != nil {
				t.Fatalf("Next: %v (file %q)", err, buf.String())
			}
			if !slices.Equal(rec.Values, want) || rec.Row != line || len(rec.Problems) != 0 {
				t.Fatalf("record %+v, want row %d %q (file %q)", rec, line, want, buf.String())
			}
			line += strings.Count(strings.Join(want, ""), "\n")
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("after the last record: %v", err)
		}
	})
}
