package report

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/pbxsync/pbxsync/plan"
)

// LineSpill keeps per-row report lines in a temporary file while a run
// makes them, slice by slice (an apply in slices, docs/scale.md section
// 7), and gives them back at its end in row order: what a run holds while
// it writes is then a slice's lines, not the roster's (~300 bytes a row).
type LineSpill struct {
	f   *os.File
	w   *bufio.Writer
	enc *gob.Encoder
	n   int
}

// spilledLine is a Line as the spill encodes it: with the rows of its
// messages' cells, which gob does not see.
type spilledLine struct {
	Line
	Rows []int
}

// NewLineSpill makes a spill in a temporary file in dir ("" = the
// system's); Close removes it.
func NewLineSpill(dir string) (*LineSpill, error) {
	f, err := os.CreateTemp(dir, "pbxsync-report-*")
	if err != nil {
		return nil, fmt.Errorf("keeping the report's lines in a temporary file: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	return &LineSpill{f: f, w: w, enc: gob.NewEncoder(w)}, nil
}

// Add writes lines to the spill.
func (s *LineSpill) Add(lines []Line) error {
	for i := range lines {
		l := spilledLine{Line: lines[i]}
		for _, m := range l.Messages {
			l.Rows = append(l.Rows, m.row)
		}
		if err := s.enc.Encode(&l); err != nil {
			return fmt.Errorf("keeping the report's lines in %s: %w", s.f.Name(), err)
		}
		s.n++
	}
	return nil
}

// Lines reads back every line added, in row order (stable: lines of one
// row in the order added; leavers, row 0, last).
func (s *LineSpill) Lines() ([]Line, error) {
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("keeping the report's lines in %s: %w", s.f.Name(), err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	dec := gob.NewDecoder(bufio.NewReaderSize(s.f, 1<<20))
	out := make([]Line, 0, s.n)
	for range s.n {
		var l spilledLine
		if err := dec.Decode(&l); err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, fmt.Errorf("reading the report's lines back from %s: %w", s.f.Name(), err)
		}
		if l.Actions == nil {
			l.Actions = []string{}
		}
		if l.Messages == nil {
			l.Messages = []Message{}
		}
		for i := range l.Messages {
			if i < len(l.Rows) {
				l.Messages[i].row = l.Rows[i]
			}
		}
		out = append(out, l.Line)
	}
	slices.SortStableFunc(out, func(a, b Line) int { return plan.CompareLines(a.Row, b.Row) })
	return out, nil
}

// Close removes the spill's file.
func (s *LineSpill) Close() error {
	s.f.Close()
	return os.Remove(s.f.Name())
}
