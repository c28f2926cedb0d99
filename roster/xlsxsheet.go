package roster

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"unicode/utf8"
)

// Excel's sheet limits.
const (
	maxSheetRows = 1 << 20 // 1,048,576
	maxSheetCols = 1 << 14 // 16,384 (XFD)
)

// sharedStrings is a workbook's shared string table, kept compact: every
// text end to end in one buffer and where each ends. It is the one part of a
// workbook that is not streamed (cells point into it at random); it grows
// with the number of distinct texts, not with the rows, and past
// Options.MaxXMLInMemory bytes of text it moves to a temporary file, keeping
// only the four-byte ends in memory.
type sharedStrings struct {
	data    []byte
	ends    []uint32 // ends[i] is where text i ends
	file    *os.File // the texts, once they outgrew memory
	w       *bufio.Writer
	written int64  // bytes of text so far
	head    []byte // the file's first bytes, kept: the texts early rows use, which later rows repeat
	block   []byte // a window of the file: Excel lists strings in the order rows first use them
	blockAt int64  // where block starts in the file
}

// sstBlock is the size of the window read from a shared strings file.
const sstBlock = 64 << 10

// get returns text i of the table.
func (s *sharedStrings) get(i int) (string, bool) {
	if s == nil || i < 0 || i >= len(s.ends) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = s.ends[i-1]
	}
	end := s.ends[i]
	if s.file == nil {
		return string(s.data[start:end]), true
	}
	from, to := int64(start), int64(end)
	if to <= int64(len(s.head)) {
		return string(s.head[from:to]), true
	}
	if from < s.blockAt || to > s.blockAt+int64(len(s.block)) {
		size := max(sstBlock, int(to-from))
		if cap(s.block) < size {
			s.block = make([]byte, size)
		}
		n, err := s.file.ReadAt(s.block[:size], from)
		if n < int(to-from) {
			_ = err // io.EOF past the last text is expected; a short read is not
			return "", false
		}
		s.block, s.blockAt = s.block[:n], from
	}
	return string(s.block[from-s.blockAt : to-s.blockAt]), true
}

// add appends text to the string being read.
func (s *sharedStrings) add(text []byte, inMemory int64) error {
	s.written += int64(len(text))
	if s.file == nil {
		s.data = append(s.data, text...)
		if int64(len(s.data)) <= inMemory {
			return nil
		}
		f, err := os.CreateTemp("", "pbxsync-sharedstrings-*")
		if err != nil {
			return err
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 64<<10)
		s.head = bytes.Clone(s.data[:min(len(s.data), int(min(inMemory, 1<<20)))])
		text, s.data = s.data, nil
	}
	_, err := s.w.Write(text)
	return err
}

// end closes the string being read.
func (s *sharedStrings) end() error {
	if s.written > 1<<32-1 {
		return errors.New("the shared strings are larger than 4 GiB")
	}
	s.ends = append(s.ends, uint32(s.written))
	return nil
}

// close removes the temporary file, if any.
func (s *sharedStrings) close() error {
	if s == nil || s.file == nil {
		return nil
	}
	err := s.file.Close()
	if rerr := os.Remove(s.file.Name()); err == nil {
		err = rerr
	}
	s.file = nil
	return err
}

// readSharedStrings streams the shared strings part with the sheet
// scanner. Rich text runs are joined; phonetic runs (rPh, furigana) are left
// out, as Excel shows them. Past inMemory bytes of text the table moves to a
// temporary file.
func readSharedStrings(r io.Reader, inMemory, partSize int64) (_ *sharedStrings, err error) {
	s := &sharedStrings{}
	// Room for the texts up front (the part's size bounds them), so the
	// table is not copied as it grows.
	if partSize > 0 {
		s.data = make([]byte, 0, min(partSize, inMemory+1))
	}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	sc := newSheetReader(r)
	var text []byte // the decoded text of the current <t>
	inSI, capture, phonetic := false, false, 0
	for {
		i := bytes.IndexByte(sc.buf[sc.pos:sc.end], '<')
		if i < 0 {
			if capture {
				sc.raw = append(sc.raw, sc.buf[sc.pos:sc.end]...)
			}
			sc.pos = sc.end
			more, err := sc.fill()
			if err != nil {
				return nil, err
			}
			if !more {
				break
			}
			continue
		}
		if capture {
			sc.raw = append(sc.raw, sc.buf[sc.pos:sc.pos+i]...)
			if text, err = appendUnescaped(text[:0], sc.raw); err != nil {
				return nil, fmt.Errorf("shared string %d: %w", len(s.ends), err)
			}
			if err := s.add(text, inMemory); err != nil {
				return nil, err
			}
		}
		sc.raw = sc.raw[:0]
		sc.pos += i
		t, cdata, err := sc.tag()
		if err != nil {
			return nil, err
		}
		if cdata != nil {
			if capture {
				if err := s.add(appendLineEnds(text[:0], cdata), inMemory); err != nil {
					return nil, err
				}
			}
			continue
		}
		if t.kind == '<' || t.kind == 'e' {
			switch string(t.local) {
			case "sst":
				// uniqueCount sizes the ends; a <si> takes at least 9 bytes.
				if v, ok := attr(t.attrs, "uniqueCount"); ok && s.ends == nil {
					if n, err := strconv.Atoi(string(v)); err == nil && n > 0 {
						s.ends = make([]uint32, 0, min(int64(n), partSize/9+1))
					}
				}
			case "si":
				inSI = true
			case "rPh":
				phonetic++
			case "t":
				capture = inSI && phonetic == 0
			}
		}
		if t.kind == '/' || t.kind == 'e' {
			switch string(t.local) {
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
		}
	}
	if s.w != nil {
		if err := s.w.Flush(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// xlsxCell is one cell as the sheet stores it.
type xlsxCell struct {
	col   int    // 0-based
	typ   string // the t attribute: "", n, s, str, inlineStr, b, e, d
	style int    // the s attribute: index into the workbook's cell formats
	value []byte // <v>, or the text of <is>
}

// columnIndex parses the column of a cell reference ("AB12" -> 27).
func columnIndex(ref string) (int, bool) {
	n, i := 0, 0
	for ; i < len(ref); i++ {
		c := ref[i]
		switch {
		case c >= 'A' && c <= 'Z':
			n = n*26 + int(c-'A'+1)
		case c >= 'a' && c <= 'z':
			n = n*26 + int(c-'a'+1)
		default:
			goto digits
		}
		if n > maxSheetCols {
			return 0, false
		}
	}
digits:
	if i == 0 || i == len(ref) {
		return 0, false
	}
	for _, c := range ref[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	return n - 1, true
}

// errSheetEnd ends the rows of a sheet.
var errSheetEnd = errors.New("end of sheet data")

// sheetReader streams the rows of a worksheet part: one row in memory at a
// time. It is a scanner for the little of XML a sheet's cells use (elements,
// attributes, text, character references, CDATA, comments), several times
// faster than encoding/xml's tokens, which allocate for every name,
// attribute and text; FuzzSheetReader holds it to the same rows as the
// encoding/xml reader (tokenSheetReader in the tests).
type sheetReader struct {
	r      io.Reader
	buf    []byte
	pos    int // next byte to scan
	end    int // end of the data in buf
	eof    bool
	inData bool
	row    int // number of the last row read
	err    error
	raw    []byte // text of the element being captured, character references not yet decoded
}

const sheetBufSize = 64 << 10

func newSheetReader(r io.Reader) *sheetReader {
	return &sheetReader{r: r, buf: make([]byte, sheetBufSize)}
}

// fill reads more of the part, keeping buf[pos:end]; false at the end.
func (s *sheetReader) fill() (bool, error) {
	if s.eof {
		return false, nil
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		s.buf = append(s.buf, make([]byte, len(s.buf))...) // a tag longer than the buffer
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return n > 0, nil
		}
		if err != nil {
			return false, err
		}
		if n > 0 {
			return true, nil
		}
	}
}

// tag is one markup item: a start, end or empty element (with its name's
// local part and, for start tags, the attribute bytes), or nothing the
// reader cares for (comments, declarations).
type tag struct {
	kind  byte // '<' start, '/' end, 'e' empty element, 0 other
	local []byte
	attrs []byte
}

// next reads the next <row>: its number and its cells (which reuse buf).
// It returns errSheetEnd after the last row.
func (s *sheetReader) next(buf []xlsxCell) (int, []xlsxCell, error) {
	if s.err != nil {
		return 0, nil, s.err
	}
	cells := buf[:0]
	inRow := false
	cell := -1
	capture, inIS, phonetic := false, false, 0
	fail := func(err error) (int, []xlsxCell, error) {
		s.err = err
		return 0, nil, err
	}
	for {
		// Text up to the next tag.
		i := bytes.IndexByte(s.buf[s.pos:s.end], '<')
		if i < 0 {
			if capture && cell >= 0 {
				s.raw = append(s.raw, s.buf[s.pos:s.end]...)
			}
			s.pos = s.end
			more, err := s.fill()
			if err != nil {
				return fail(err)
			}
			if !more {
				if inRow {
					return fail(io.ErrUnexpectedEOF)
				}
				return fail(errSheetEnd)
			}
			continue
		}
		if capture && cell >= 0 {
			// Text ends at markup: references and line ends never span it.
			s.raw = append(s.raw, s.buf[s.pos:s.pos+i]...)
			c := &cells[cell]
			var err error
			if c.value, err = appendUnescaped(c.value, s.raw); err != nil {
				return fail(fmt.Errorf("row %d: %w", s.row, err))
			}
		}
		s.raw = s.raw[:0]
		s.pos += i
		t, cdata, err := s.tag()
		if err != nil {
			return fail(err)
		}
		if cdata != nil {
			if capture && cell >= 0 {
				c := &cells[cell]
				c.value = appendLineEnds(c.value, cdata)
			}
			continue
		}
		if t.kind == 0 {
			continue // a comment or declaration
		}
		if t.kind == '<' || t.kind == 'e' { // an empty element starts, then ends
			switch string(t.local) {
			case "sheetData":
				s.inData = true
			case "row":
				if !s.inData {
					break
				}
				s.row++
				if v, ok := attr(t.attrs, "r"); ok {
					n, err := strconv.Atoi(string(v))
					if err != nil || n < 1 || n > maxSheetRows {
						return fail(fmt.Errorf("row number %q is not between 1 and %d", v, maxSheetRows))
					}
					s.row = n
				}
				if s.row > maxSheetRows {
					return fail(fmt.Errorf("more than %d rows", maxSheetRows))
				}
				inRow = true
			case "c":
				if !inRow {
					break
				}
				col := 0
				if len(cells) > 0 {
					col = cells[len(cells)-1].col + 1
				}
				ref, typ, styleText := cellAttrs(t.attrs)
				if ref != nil {
					n, ok := columnIndex(string(ref))
					if !ok {
						return fail(fmt.Errorf("cell reference %q in row %d is not a cell", ref, s.row))
					}
					col = n
				}
				if col >= maxSheetCols {
					return fail(fmt.Errorf("row %d has a cell past column XFD", s.row))
				}
				style := 0
				if styleText != nil {
					style, _ = strconv.Atoi(string(styleText))
				}
				if n := len(cells); n < cap(cells) {
					cells = cells[:n+1]
					cells[n] = xlsxCell{col: col, typ: typ, style: style, value: cells[n].value[:0]}
				} else {
					cells = append(cells, xlsxCell{col: col, typ: typ, style: style})
				}
				cell = len(cells) - 1
			case "v":
				capture = cell >= 0
			case "is":
				inIS = cell >= 0
			case "rPh":
				phonetic++
			case "t":
				capture = inIS && phonetic == 0
			}
		}
		if t.kind == '/' || t.kind == 'e' {
			switch string(t.local) {
			case "v", "t":
				capture = false
			case "is":
				inIS = false
			case "rPh":
				phonetic--
			case "c":
				cell = -1
			case "row":
				if inRow {
					return s.row, cells, nil
				}
			case "sheetData":
				s.inData = false
				return fail(errSheetEnd)
			}
		}
	}
}

// cellType interns the t attribute of a cell.
func cellType(v []byte) string {
	switch string(v) {
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(v)
}

// tag reads the markup at s.pos ('<'). For a CDATA section it returns its
// text instead of a tag.
func (s *sheetReader) tag() (tag, []byte, error) {
	// Make sure the first bytes are in the buffer to tell the kinds apart.
	for s.end-s.pos < 9 {
		more, err := s.fill()
		if err != nil {
			return tag{}, nil, err
		}
		if !more {
			break
		}
	}
	b := s.buf[s.pos:s.end]
	switch {
	case len(b) > 1 && b[1] != '!' && b[1] != '?':
		// an element: the common case
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		text, err := s.through("]]>", 9)
		return tag{}, text, err
	case bytes.HasPrefix(b, []byte("<!--")):
		_, err := s.through("-->", 4)
		return tag{}, nil, err
	case bytes.HasPrefix(b, []byte("<?")):
		_, err := s.through("?>", 2)
		return tag{}, nil, err
	case bytes.HasPrefix(b, []byte("<!")):
		return tag{}, nil, s.directive()
	}
	// An element tag: up to the '>' outside quoted attribute values. The
	// usual tag has only double-quoted values without '>': when the first
	// '>' has an even number of '"' and no '\'' before it, it is the end.
	if k := bytes.IndexByte(b, '>'); k > 0 {
		if in := b[1:k]; bytes.Count(in, []byte{'"'})%2 == 0 && bytes.IndexByte(in, '\'') < 0 {
			return s.element(b, k)
		}
	}
	j, quote := 1, byte(0)
	for {
		b = s.buf[s.pos:s.end]
		for ; j < len(b); j++ {
			c := b[j]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				goto found
			}
		}
		more, err := s.fill()
		if err != nil {
			return tag{}, nil, err
		}
		if !more {
			return tag{}, nil, io.ErrUnexpectedEOF
		}
	}
found:
	return s.element(b, j)
}

// element makes the tag of b[:j+1] ("<...>") and consumes it.
func (s *sheetReader) element(b []byte, j int) (tag, []byte, error) {
	body := b[1:j]
	s.pos += j + 1
	t := tag{kind: '<'}
	if len(body) > 0 && body[0] == '/' {
		t.kind = '/'
		body = body[1:]
	} else if len(body) > 0 && body[len(body)-1] == '/' {
		t.kind = 'e'
		body = body[:len(body)-1]
	}
	n := 0
	for n < len(body) && !isXMLSpace(body[n]) {
		n++
	}
	name := body[:n]
	if n == 0 {
		return tag{}, nil, errors.New("an element without a name")
	}
	if k := bytes.IndexByte(name, ':'); k >= 1 && k < len(name)-1 { // prefix:local, as encoding/xml splits it
		name = name[k+1:]
	}
	t.local, t.attrs = name, body[n:]
	return t, nil, nil
}

// directive consumes a declaration such as <!DOCTYPE ...> the way
// encoding/xml does: the byte after "<!" belongs to it whatever it is, then
// up to the '>' that is outside quotes and closes every '<' opened inside.
func (s *sheetReader) directive() error {
	j, depth, quote := 3, 0, byte(0)
	for {
		b := s.buf[s.pos:s.end]
		for ; j < len(b); j++ {
			c := b[j]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '<':
				depth++
			case c == '>' && depth == 0:
				s.pos += j + 1
				return nil
			case c == '>':
				depth--
			}
		}
		more, err := s.fill()
		if err != nil {
			return err
		}
		if !more {
			return io.ErrUnexpectedEOF
		}
	}
}

// through consumes markup up to and including end, the content starting
// skip bytes after s.pos, and returns that content (valid until the next
// read).
func (s *sheetReader) through(end string, skip int) ([]byte, error) {
	from := skip
	for {
		b := s.buf[s.pos:s.end]
		if from <= len(b) {
			if k := bytes.Index(b[from:], []byte(end)); k >= 0 {
				text := b[skip : from+k]
				s.pos += from + k + len(end)
				return text, nil
			}
			from = max(skip, len(b)-len(end)+1)
		}
		more, err := s.fill()
		if err != nil {
			return nil, err
		}
		if !more {
			return nil, io.ErrUnexpectedEOF
		}
	}
}

// cellAttrs reads the r, t and s attributes of a <c> in one pass; an
// attribute missing is nil (t: ""). Malformed attributes, or ones that need
// decoding, go the slow way through attr.
func cellAttrs(attrs []byte) (ref []byte, typ string, style []byte) {
	if bytes.IndexByte(attrs, '&') >= 0 || bytes.IndexByte(attrs, '\r') >= 0 || bytes.IndexByte(attrs, '\'') >= 0 {
		ref, _ = attr(attrs, "r")
		if v, ok := attr(attrs, "t"); ok {
			typ = cellType(v)
		}
		style, _ = attr(attrs, "s")
		return ref, typ, style
	}
	var t []byte
	haveT := false
	i := 0
	for i < len(attrs) {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		start := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		key := attrs[start:i]
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || attrs[i] != '=' {
			break
		}
		i++
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || attrs[i] != '"' {
			break
		}
		i++
		k := bytes.IndexByte(attrs[i:], '"')
		if k < 0 {
			break
		}
		val := attrs[i : i+k]
		i += k + 1
		if len(key) == 1 {
			switch key[0] {
			case 'r':
				ref = val
			case 't':
				t, haveT = val, true
			case 's':
				style = val
			}
		}
	}
	if haveT {
		typ = cellType(t)
	}
	return ref, typ, style
}

// attr finds an unprefixed attribute in a tag's attribute bytes (the last,
// should a malformed tag repeat it, as encoding/xml leaves it).
func attr(attrs []byte, name string) ([]byte, bool) {
	var found []byte
	ok := false
	i := 0
	for i < len(attrs) {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		start := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		key := attrs[start:i]
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || attrs[i] != '=' {
			break // not well-formed: no more values
		}
		i++
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || attrs[i] != '"' && attrs[i] != '\'' {
			break
		}
		q := attrs[i]
		i++
		vstart := i
		for i < len(attrs) && attrs[i] != q {
			i++
		}
		if i >= len(attrs) {
			break
		}
		val := attrs[vstart:i]
		i++
		if string(key) == name {
			found, ok = val, true
		}
	}
	if ok && (bytes.IndexByte(found, '&') >= 0 || bytes.IndexByte(found, '\r') >= 0) {
		if dec, err := appendUnescaped(nil, found); err == nil {
			found = dec
		}
	}
	return found, ok
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendUnescaped appends text with its character and entity references
// decoded and its line ends normalised (\r\n and \r to \n), as XML reads it.
func appendUnescaped(dst, src []byte) ([]byte, error) {
	if bytes.IndexByte(src, '&') < 0 && bytes.IndexByte(src, '\r') < 0 {
		return append(dst, src...), nil
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
		case '&':
			k := bytes.IndexByte(src[i:], ';')
			if k < 0 {
				return dst, fmt.Errorf("unterminated entity reference %q", src[i:min(len(src), i+10)])
			}
			ref := src[i+1 : i+k]
			switch string(ref) {
			case "lt":
				dst = append(dst, '<')
			case "gt":
				dst = append(dst, '>')
			case "amp":
				dst = append(dst, '&')
			case "apos":
				dst = append(dst, '\'')
			case "quot":
				dst = append(dst, '"')
			default:
				r, ok := charRef(ref)
				if !ok {
					return dst, fmt.Errorf("invalid character entity &%s;", ref)
				}
				dst = utf8.AppendRune(dst, r)
			}
			i += k
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

// charRef decodes "#65" or "#x41".
func charRef(ref []byte) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ref[1] == 'x' {
		n, err = strconv.ParseUint(string(ref[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(ref[1:]), 10, 32)
	}
	r := rune(n)
	if err != nil || !isXMLChar(r) {
		return 0, false
	}
	return r, true
}

// isXMLChar reports whether r may appear in an XML document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// appendLineEnds appends CDATA text with its line ends normalised.
func appendLineEnds(dst, text []byte) []byte {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
		}
		dst = append(dst, c)
	}
	return dst
}
