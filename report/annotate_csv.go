package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
)

// annotateCSV copies a CSV roster record by record: each record's bytes
// as they are, then, from the header down, the Status and Errors cells
// (and the empty cells a short record needs to reach them). A UTF-8 file
// is copied byte for byte; a file in another encoding (UTF-16, Windows-1252)
// is decoded and written back in the same encoding. A byte order mark is
// kept.
func annotateCSV(dst, src, enc string, delim rune, t *table) error {
	raw, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	bom, body := splitBOM(raw)
	var codec encoding.Encoding
	text := body
	if enc != "" && !strings.EqualFold(enc, "utf-8") {
		if codec, err = htmlindex.Get(enc); err != nil {
			return fmt.Errorf("annotating %s: encoding %s: %w", filepath.Base(src), enc, err)
		}
		if text, err = codec.NewDecoder().Bytes(body); err != nil {
			return fmt.Errorf("annotating %s: decoding %s: %w", filepath.Base(src), enc, err)
		}
	}
	if delim == 0 {
		delim = ','
	}
	recs := scanCSV(string(text), string(delim))
	out, err := t.annotateRecords(string(text), recs, string(delim))
	if err != nil {
		return fmt.Errorf("annotating %s: %w", filepath.Base(src), err)
	}
	b := []byte(out)
	if codec != nil {
		if b, err = encoding.ReplaceUnsupported(codec.NewEncoder()).Bytes(b); err != nil {
			return fmt.Errorf("annotating %s: encoding %s: %w", filepath.Base(src), enc, err)
		}
	}
	return os.WriteFile(dst, append(bom, b...), 0o644)
}

func splitBOM(b []byte) (bom, rest []byte) {
	for _, m := range [][]byte{{0xEF, 0xBB, 0xBF}, {0xFF, 0xFE}, {0xFE, 0xFF}} {
		if bytes.HasPrefix(b, m) {
			return b[:len(m):len(m)], b[len(m):]
		}
	}
	return nil, b
}

// csvRecord is one record of CSV text as the file holds it.
type csvRecord struct {
	line       int    // its row as the roster counts them: line breaks inside quoted cells do not count
	start, end int    // its bytes, without the line end
	eol        string // its line end: "\r\n", "\n", "\r", or "" at the end of the text
	fields     []string
	starts     []int // where each field starts
	quoted     []bool
	empty      bool // an empty line: not a record at all
}

func (r *csvRecord) blank() bool {
	for _, f := range r.fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (t *table) annotateRecords(text string, recs []csvRecord, d string) (string, error) {
	hi := -1
	for i := range recs {
		if !recs[i].empty && recs[i].line == t.header {
			hi = i
			break
		}
	}
	if hi < 0 {
		return "", fmt.Errorf("no header record on line %d", t.header)
	}
	hdr := &recs[hi]
	col, reuse := isReuse(hdr.fields)
	if !reuse {
		for _, r := range recs[hi:] {
			if !r.empty {
				col = max(col, len(r.fields))
			}
		}
	}
	quoteAll := true
	for _, q := range hdr.quoted {
		quoteAll = quoteAll && q
	}
	cell := func(s string) string {
		s = SafeCell(s)
		if quoteAll || s != "" && (strings.Contains(s, d) || strings.ContainsAny(s, "\"\r\n") || s[0] == ' ' || s[0] == '\t') {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	var b strings.Builder
	b.Grow(len(text) + len(text)/4)
	for i := range recs {
		r := &recs[i]
		var status, errs string
		switch l := t.rows[r.line]; {
		case r.empty || i < hi:
			writeSafeRecord(&b, text, r, len(r.fields), d, cell)
			b.WriteString(r.eol)
			continue
		case i == hi:
			status, errs = columnNames(hdr.fields, col)
		case l != nil:
			status, errs = string(l.Status), errorsText(l, " | ")
		case r.blank() && !(reuse && len(r.fields) > col):
			b.WriteString(text[r.start:r.end] + r.eol)
			continue
		}
		// an annotated roster again: its old Status and Errors are cut
		n := min(len(r.fields), col)
		writeSafeRecord(&b, text, r, n, d, cell)
		b.WriteString(strings.Repeat(d, col-n))
		b.WriteString(d + cell(status) + d + cell(errs) + r.eol)
	}
	return b.String(), nil
}

// writeSafeRecord writes the first n fields of r: the record's bytes as
// they are, except that a field a spreadsheet would run as a formula (see
// SafeCell) is written neutralised, through cell, so that the annotated
// copy is as safe to open as every other file pbxsync writes.
func writeSafeRecord(b *strings.Builder, text string, r *csvRecord, n int, d string, cell func(string) string) {
	end := r.end
	if n < len(r.fields) {
		end = r.starts[n] - len(d)
	}
	from := r.start
	for k := 0; k < n; k++ {
		f := r.fields[k]
		if SafeCell(f) == f {
			continue
		}
		fieldEnd := r.end
		if k+1 < len(r.fields) {
			fieldEnd = r.starts[k+1] - len(d)
		}
		b.WriteString(text[from:r.starts[k]])
		b.WriteString(cell(f))
		from = fieldEnd
	}
	if from < end {
		b.WriteString(text[from:end])
	}
}

// scanCSV splits CSV text into records as encoding/csv reads them with
// LazyQuotes (a quote inside an unquoted field, or a stray one inside a
// quoted field, is text), keeping where each record and field starts.
// Rows are counted as the roster counts them: by "\n", or by "\r" in text
// that has no "\n" in its first 64 KiB (classic Mac line ends), outside
// quoted cells.
func scanCSV(text, d string) []csvRecord {
	head := text[:min(len(text), 64<<10)]
	crOnly := !strings.Contains(head, "\n") && strings.Contains(head, "\r")
	eolAt := func(i int) string {
		switch {
		case strings.HasPrefix(text[i:], "\r\n"):
			return "\r\n"
		case text[i] == '\n':
			return "\n"
		case crOnly && text[i] == '\r':
			return "\r"
		}
		return ""
	}
	var recs []csvRecord
	line := 1
	for i := 0; i < len(text); {
		r := csvRecord{line: line, start: i}
		if eol := eolAt(i); eol != "" {
			r.end, r.eol, r.empty = i, eol, true
			recs = append(recs, r)
			i += len(eol)
			line++
			continue
		}
		for {
			r.starts = append(r.starts, i)
			var f strings.Builder
			quoted := i < len(text) && text[i] == '"'
			if quoted {
				i++
				for i < len(text) {
					c := text[i]
					if c == '"' {
						if strings.HasPrefix(text[i+1:], `"`) {
							f.WriteByte('"')
							i += 2
							continue
						}
						if j := i + 1; j == len(text) || strings.HasPrefix(text[j:], d) || eolAt(j) != "" {
							i++
							break
						}
					}
					f.WriteByte(c)
					i++
				}
			}
			for i < len(text) && !strings.HasPrefix(text[i:], d) && eolAt(i) == "" {
				f.WriteByte(text[i])
				i++
			}
			r.fields = append(r.fields, f.String())
			r.quoted = append(r.quoted, quoted)
			if i < len(text) && strings.HasPrefix(text[i:], d) {
				i += len(d)
				continue
			}
			break
		}
		r.end = i
		if i < len(text) {
			r.eol = eolAt(i)
			i += len(r.eol)
			line++
		}
		recs = append(recs, r)
	}
	return recs
}
