package roster

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// tokenSheetReader is the reference the fast sheet scanner is tested
// against: the same rows read with encoding/xml's raw tokens.
type tokenSheetReader struct {
	dec    *xml.Decoder
	inData bool
	row    int // number of the last row read
	err    error
}

func newTokenSheetReader(r io.Reader) *tokenSheetReader {
	return &tokenSheetReader{dec: xml.NewDecoder(bufio.NewReaderSize(r, 64<<10))}
}

// next reads the next <row>: its number and its cells (which reuse buf).
// It returns errSheetEnd after the last row.
func (s *tokenSheetReader) next(buf []xlsxCell) (int, []xlsxCell, error) {
	if s.err != nil {
		return 0, nil, s.err
	}
	cells := buf[:0]
	inRow := false
	var cell *xlsxCell
	capture, inIS, phonetic := false, false, 0
	for {
		tok, err := s.dec.RawToken()
		if err == io.EOF {
			if inRow {
				err = io.ErrUnexpectedEOF
			} else {
				err = errSheetEnd
			}
		}
		if err != nil {
			s.err = err
			return 0, nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sheetData":
				s.inData = true
			case "row":
				if !s.inData {
					continue
				}
				inRow = true
				s.row++
				for _, a := range t.Attr {
					if a.Name.Local == "r" && a.Name.Space == "" {
						n, err := strconv.Atoi(a.Value)
						if err != nil || n < 1 || n > maxSheetRows {
							s.err = fmt.Errorf("row number %q is not between 1 and %d", a.Value, maxSheetRows)
							return 0, nil, s.err
						}
						s.row = n
					}
				}
				if s.row > maxSheetRows {
					s.err = fmt.Errorf("more than %d rows", maxSheetRows)
					return 0, nil, s.err
				}
			case "c":
				if !inRow {
					continue
				}
				col := 0
				if len(cells) > 0 {
					col = cells[len(cells)-1].col + 1
				}
				c := xlsxCell{col: col}
				for _, a := range t.Attr {
					if a.Name.Space != "" {
						continue
					}
					switch a.Name.Local {
					case "r":
						n, ok := columnIndex(a.Value)
						if !ok {
							s.err = fmt.Errorf("cell reference %q in row %d is not a cell", a.Value, s.row)
							return 0, nil, s.err
						}
						c.col = n
					case "t":
						c.typ = a.Value
					case "s":
						c.style, _ = strconv.Atoi(a.Value)
					}
				}
				if c.col >= maxSheetCols {
					s.err = fmt.Errorf("row %d has a cell past column XFD", s.row)
					return 0, nil, s.err
				}
				if n := len(cells); n < cap(cells) {
					cells = cells[:n+1]
					v := cells[n].value[:0]
					cells[n] = c
					cells[n].value = v
				} else {
					cells = append(cells, c)
				}
				cell = &cells[len(cells)-1]
			case "v":
				capture = cell != nil
			case "is":
				inIS = cell != nil
			case "rPh":
				phonetic++
			case "t":
				capture = inIS && phonetic == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v", "t":
				capture = false
			case "is":
				inIS = false
			case "rPh":
				phonetic--
			case "c":
				cell = nil
			case "row":
				if inRow {
					return s.row, cells, nil
				}
			case "sheetData":
				s.inData = false
				s.err = errSheetEnd
				return 0, nil, errSheetEnd
			}
		case xml.CharData:
			if capture && cell != nil {
				cell.value = append(cell.value, t...)
			}
		}
	}
}

// readSharedStringsTokens is the reference the fast shared-strings reader
// is tested against, with encoding/xml's raw tokens. Rich text runs are
// joined; phonetic runs (rPh, furigana) are left out, as Excel shows them.
// Past inMemory bytes of text the table moves to a temporary file.
func readSharedStringsTokens(r io.Reader, inMemory int64) (_ *sharedStrings, err error) {
	s := &sharedStrings{}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	dec := xml.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	inSI, capture, phonetic := false, false, 0
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			if s.w != nil {
				if err := s.w.Flush(); err != nil {
					return nil, err
				}
			}
			return s, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				inSI = true
			case "rPh":
				phonetic++
			case "t":
				capture = inSI && phonetic == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				if err := s.end(); err != nil {
					return nil, err
				}
				inSI = false
			case "rPh":
				phonetic--
			case "t":
				capture = false
			}
		case xml.CharData:
			if capture {
				if err := s.add(t, inMemory); err != nil {
					return nil, err
				}
			}
		}
	}
}
