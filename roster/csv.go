package roster

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/transform"
)

// csvReader reads a CSV roster; it is a Reader and a Detected.
type csvReader struct {
	*table
}

// Encoding names the encoding the file is read with.
func (r *csvReader) Encoding() string { return r.encoding }

// Delimiter is the delimiter the file is read with.
func (r *csvReader) Delimiter() rune { return r.delim }

func newCSV(r io.Reader, name string, opts Options) (*csvReader, error) {
	fail := func(msg, hint string, err error) (*csvReader, error) {
		return nil, &Error{File: name, Msg: msg, Hint: hint, Err: err}
	}
	encName := opts.Encoding
	if encName == "" {
		if rs, ok := r.(io.ReadSeeker); ok {
			e, seekable, err := detectSeekable(rs)
			if err != nil {
				return fail("cannot read the file", "", err)
			}
			if seekable {
				encName = e
			}
		}
	}
	br := bufio.NewReaderSize(r, peekSize)
	head, err := br.Peek(peekSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fail("cannot read the file", "", err)
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return fail("this is an XLSX (zip) file, not CSV text", "rename it to .xlsx", nil)
	}
	if e := bomEncoding(head); e != "" {
		encName = e // a byte order mark is definite
	} else if encName == "" {
		encName = detectEncoding(head, err == io.EOF)
	}
	canon, enc, lerr := lookupEncoding(encName)
	if lerr != nil {
		return fail("cannot decode the file", "give utf-8, utf-16le, utf-16be or windows-1252", lerr)
	}
	text := br
	if enc == nil {
		if bytes.HasPrefix(head, bomUTF8) {
			br.Discard(len(bomUTF8))
		}
	} else {
		text = bufio.NewReaderSize(transform.NewReader(br, enc.NewDecoder()), peekSize)
	}
	thead, err := text.Peek(peekSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fail("cannot read the file", "", err)
	}
	var in io.Reader = text
	if bytes.IndexByte(thead, '\n') < 0 && bytes.IndexByte(thead, '\r') >= 0 {
		in = crReader{text}
		thead = bytes.ReplaceAll(thead, []byte{'\r'}, []byte{'\n'})
	}

	delim := opts.Delimiter
	sep, sepLine := sepDirective(thead)
	if delim == 0 {
		delim = sep
	}
	if delim == 0 {
		delim = sniffDelimiter(thead)
	}
	if !validDelim(delim) {
		return fail(fmt.Sprintf("%q cannot be a delimiter", delim), "use , ; | or tab", nil)
	}
	cr := csv.NewReader(in)
	cr.Comma = delim
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	t := &table{
		file: name, src: &csvSource{r: cr, file: name, sepLine: sepLine},
		ragged: true, checkUTF8: enc == nil, encoding: canon, delim: delim,
	}
	if err := t.start(opts.HeaderRow); err != nil {
		return nil, err
	}
	return &csvReader{t}, nil
}

// csvSource yields the records of encoding/csv with their row numbers as a
// spreadsheet shows the file: a record is one row however many lines its
// quoted cells span, so a record's row is its first line less the line
// breaks inside the quoted cells of the records before it.
type csvSource struct {
	r       *csv.Reader
	file    string
	sepLine bool // line 1 is Excel's "sep=" directive, not data
	end     int  // last line of the last record
	inside  int  // line breaks inside quoted cells so far
}

func (s *csvSource) next() (rawRow, error) {
	for {
		rec, err := s.r.Read()
		if err == io.EOF {
			return rawRow{}, io.EOF
		}
		if err != nil {
			line := s.end + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			line -= s.inside
			return rawRow{}, &Error{File: s.file, Row: line, Msg: "cannot read the row", Err: err,
				Hint: "check the file is complete and saved as CSV text"}
		}
		line, _ := s.r.FieldPos(0)
		last := len(rec) - 1
		end, _ := s.r.FieldPos(last)
		end += strings.Count(rec[last], "\n")
		s.end = end
		row := line - s.inside
		s.inside += end - line
		if s.sepLine && line == 1 {
			continue
		}
		return rawRow{row: row, end: row, cells: rec}, nil
	}
}

func (s *csvSource) close() error { return nil }
