package mapping

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pbxsync/pbxsync/pbx"
)

// shortFields are the short names a template may use for a field.
var shortFields = map[string]pbx.Field{
	"first": pbx.FFirstName,
	"last":  pbx.FLastName,
	"ext":   pbx.FExtension,
}

// template builds a value from other fields of the same row:
// "{first:1}{last}@acme.example".
type template struct {
	segs []segment
	deps []pbx.Field // the fields it reads, in order of first use
}

// segment is literal text, or a field's value cut to its first n letters
// (n = 0: the whole value).
type segment struct {
	lit   string
	field pbx.Field
	n     int
}

// parseTemplate parses "{field}" and "{field:N}" placeholders in s.
func parseTemplate(s string) (*template, error) {
	t := &template{}
	rest := s
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			if strings.IndexByte(rest, '}') >= 0 {
				return nil, fmt.Errorf("template %q has a } without its {", s)
			}
			t.segs = append(t.segs, segment{lit: rest})
			break
		}
		if open > 0 {
			if strings.IndexByte(rest[:open], '}') >= 0 {
				return nil, fmt.Errorf("template %q has a } without its {", s)
			}
			t.segs = append(t.segs, segment{lit: rest[:open]})
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fmt.Errorf("template %q has a { without its }", s)
		}
		seg, err := parsePlaceholder(rest[open+1 : open+end])
		if err != nil {
			return nil, fmt.Errorf("template %q: %v", s, err)
		}
		t.segs = append(t.segs, seg)
		if !containsField(t.deps, seg.field) {
			t.deps = append(t.deps, seg.field)
		}
		rest = rest[open+end+1:]
	}
	if len(t.deps) == 0 {
		return nil, fmt.Errorf("template %q names no {field}; for a constant use default", s)
	}
	return t, nil
}

// parsePlaceholder parses "last" or "first:1".
func parsePlaceholder(p string) (segment, error) {
	name, count, hasCount := strings.Cut(strings.TrimSpace(p), ":")
	f, err := fieldByName(strings.TrimSpace(name))
	if err != nil {
		return segment{}, err
	}
	seg := segment{field: f}
	if hasCount {
		n, err := strconv.Atoi(strings.TrimSpace(count))
		if err != nil || n < 1 {
			return segment{}, fmt.Errorf("{%s}: the count after : must be a whole number of 1 or more", p)
		}
		seg.n = n
	}
	return seg, nil
}

// fieldByName resolves a field name or a short name (first, last, ext).
func fieldByName(name string) (pbx.Field, error) {
	if f, ok := shortFields[name]; ok {
		return f, nil
	}
	if f := pbx.Field(name); pbx.KnownField(f) {
		return f, nil
	}
	return "", fmt.Errorf("%q is not a field (use one of %s, or first, last, ext)", name, fieldList())
}

// fieldList names every field, for messages.
func fieldList() string {
	names := make([]string, len(pbx.Fields))
	for i, f := range pbx.Fields {
		names[i] = string(f)
	}
	return strings.Join(names, ", ")
}

func containsField(fs []pbx.Field, f pbx.Field) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
}

// eval builds the value from the row's fields mapped so far (every dep is
// bound, Bind sees to it). When a field it reads is empty on this row the
// result is empty too: half a login is worse than none. The cell is the
// first field's.
func (t *template) eval(vals *Values) (string, pbx.Cell) {
	cell := vals.At(t.deps[0]).Cell
	if len(t.segs) == 1 && t.segs[0].n == 0 {
		return firstText(vals.At(t.segs[0].field)), cell
	}
	var b strings.Builder
	for _, s := range t.segs {
		if s.field == "" {
			b.WriteString(s.lit)
			continue
		}
		text := firstText(vals.At(s.field))
		if text == "" {
			return "", cell
		}
		if s.n > 0 {
			text = firstRunes(text, s.n)
		}
		b.WriteString(text)
	}
	return b.String(), cell
}

// firstText is a value's text, or its first part for a multi-value field.
func firstText(v Value) string {
	if len(v.Parts) > 0 {
		return v.Parts[0]
	}
	return v.Text
}

// firstRunes returns the first n letters of s.
func firstRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
