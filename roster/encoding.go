package roster

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// peekSize is how much of a CSV file is looked at to detect its encoding
// and delimiter.
const peekSize = 64 << 10

// Encoding names as Detected.Encoding reports them.
const (
	EncUTF8        = "utf-8"
	EncUTF16LE     = "utf-16le"
	EncUTF16BE     = "utf-16be"
	EncWindows1252 = "windows-1252"
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// lookupEncoding resolves an encoding name to its canonical name and
// decoder; a nil encoding means UTF-8, read as is. Besides the four names of
// Options.Encoding, any WHATWG label is accepted ("latin1", "shift_jis"...).
func lookupEncoding(name string) (string, encoding.Encoding, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8":
		return EncUTF8, nil, nil
	case "utf-16le", "utf16le", "utf-16", "utf16", "ucs-2", "unicode":
		return EncUTF16LE, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), nil
	case "utf-16be", "utf16be":
		return EncUTF16BE, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	case "windows-1252", "cp1252", "1252":
		return EncWindows1252, charmap.Windows1252, nil
	}
	enc, err := htmlindex.Get(name)
	if err != nil {
		return "", nil, fmt.Errorf("unknown encoding %q", name)
	}
	canon, _ := htmlindex.Name(enc)
	if enc == unicode.UTF8 {
		return EncUTF8, nil, nil
	}
	return canon, enc, nil
}

// bomEncoding names the encoding a byte order mark at the start of head
// announces, or "".
func bomEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, bomUTF8):
		return EncUTF8
	case bytes.HasPrefix(head, bomUTF16LE):
		return EncUTF16LE
	case bytes.HasPrefix(head, bomUTF16BE):
		return EncUTF16BE
	}
	return ""
}

// utf16NoBOM recognises UTF-16 text without a byte order mark by the zero
// bytes of its ASCII characters (delimiters, digits, Latin header names).
func utf16NoBOM(head []byte) string {
	n := min(len(head), 1024) &^ 1
	if n < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd*2 > pairs && even*10 < pairs:
		return EncUTF16LE
	case even*2 > pairs && odd*10 < pairs:
		return EncUTF16BE
	}
	return ""
}

// detectEncoding guesses the encoding from the start of a file: a byte
// order mark, UTF-16 zero bytes, else UTF-8 when the bytes are valid UTF-8
// and Windows-1252 when not. atEOF says head is the whole file.
func detectEncoding(head []byte, atEOF bool) string {
	if e := bomEncoding(head); e != "" {
		return e
	}
	if e := utf16NoBOM(head); e != "" {
		return e
	}
	if !atEOF {
		head = head[:completeRunes(head)]
	}
	if utf8.Valid(head) {
		return EncUTF8
	}
	return EncWindows1252
}

// completeRunes returns the length of b without a multi-byte character cut
// at its end.
func completeRunes(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// detectSeekable detects the encoding of a whole seekable input, then seeks
// back to where it was. ok is false when rs cannot seek.
func detectSeekable(rs io.ReadSeeker) (enc string, ok bool, err error) {
	start, err := rs.Seek(0, io.SeekCurrent)
	if err != nil {
		return "", false, nil
	}
	defer func() {
		if _, serr := rs.Seek(start, io.SeekStart); serr != nil && err == nil {
			err = serr
		}
	}()
	buf := make([]byte, peekSize)
	n, err := io.ReadFull(rs, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", true, err
	}
	atEOF := err != nil
	head := buf[:n]
	if e := detectEncoding(head, atEOF); e != EncUTF8 || atEOF {
		return e, true, nil
	}
	// The head is UTF-8: check the rest, carrying a character cut between reads.
	carry := n - completeRunes(head)
	for {
		copy(buf, buf[n-carry:n])
		m, rerr := rs.Read(buf[carry:])
		n = carry + m
		if rerr == io.EOF {
			if !utf8.Valid(buf[:n]) {
				return EncWindows1252, true, nil
			}
			return EncUTF8, true, nil
		}
		if rerr != nil {
			return "", true, rerr
		}
		c := completeRunes(buf[:n])
		if !utf8.Valid(buf[:c]) {
			return EncWindows1252, true, nil
		}
		carry = n - c
	}
}

// crReader turns lone carriage returns (classic Mac line ends, as Excel
// for Mac's "CSV (Macintosh)" writes them) into line feeds.
type crReader struct{ r io.Reader }

func (c crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := range p[:n] {
		if p[i] == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
