package roster

import (
	"bytes"
	"unicode/utf8"
)

// delimiters are the candidates sniffDelimiter chooses from, in order of
// preference when they tie.
var delimiters = []byte{',', ';', '\t', '|'}

// sniffLines is how many lines sniffDelimiter looks at.
const sniffLines = 20

// sniffDelimiter picks the delimiter of CSV text from its first lines,
// ignoring quoted parts: the candidate that splits the most lines into the
// same number of cells wins (a title line or a free-text comma does not
// sway it), then the one with the most cells, then the first in
// delimiters. Text with no candidate at all is one column: ','.
func sniffDelimiter(text []byte) rune {
	var counts [sniffLines][4]int
	lines := 0
	inQuote := false
	var cur [4]int
	blank := true
	for _, b := range text {
		if lines == sniffLines {
			break
		}
		switch {
		case b == '"':
			inQuote = !inQuote
			blank = false
		case inQuote:
		case b == '\n' || b == '\r':
			if !blank {
				counts[lines] = cur
				lines++
			}
			cur, blank = [4]int{}, true
		default:
			if i := bytes.IndexByte(delimiters, b); i >= 0 {
				cur[i]++
			}
			if b != ' ' {
				blank = false
			}
		}
	}
	if !blank && lines < sniffLines {
		counts[lines] = cur
		lines++
	}
	best, bestLines, bestCells := 0, 0, 0
	for d := range delimiters {
		// The most common non-zero count of this candidate over the lines.
		freq := map[int]int{}
		mode, modeLines := 0, 0
		for _, c := range counts[:lines] {
			if c[d] == 0 {
				continue
			}
			freq[c[d]]++
			if f := freq[c[d]]; f > modeLines || f == modeLines && c[d] > mode {
				mode, modeLines = c[d], f
			}
		}
		if modeLines > bestLines || modeLines == bestLines && mode > bestCells {
			best, bestLines, bestCells = d, modeLines, mode
		}
	}
	return rune(delimiters[best])
}

// sepDirective reads Excel's "sep=;" first line, which names the delimiter.
func sepDirective(text []byte) (rune, bool) {
	line := text
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		line = text[:i]
	}
	line = bytes.TrimSuffix(line, []byte{'\r'})
	if len(line) < 5 || !bytes.EqualFold(line[:4], []byte("sep=")) {
		return 0, false
	}
	r, size := utf8.DecodeRune(line[4:])
	if r == utf8.RuneError || 4+size != len(line) || !validDelim(r) {
		return 0, false
	}
	return r, true
}

// validDelim reports whether encoding/csv accepts r as a delimiter.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}
