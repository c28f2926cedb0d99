package mapping

import (
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Map maps one data row (row as the user counts rows). Cells missing at the
// end of a short row are empty. Only the map and the text the transforms
// create allocate; no regular expression runs.
func (b *Binding) Map(row int, values []string) *Mapped {
	m := &Mapped{Row: row, File: b.file, Sheet: b.sheet}
	for i := range b.steps {
		s := &b.steps[i]
		v := s.value(row, values, &m.Values)
		for alt := s.alt; v.Text == "" && alt != nil; alt = alt.alt {
			if w := alt.value(row, values, &m.Values); w.Text != "" {
				v = w
			}
		}
		m.Values.Set(s.field, v)
	}
	if len(b.leftOut) > 0 {
		b.mapLeftOut(m, row, values)
	}
	return m
}

// value makes the step's value for one row; vals holds the fields made so far.
func (s *step) value(row int, values []string, vals *Values) Value {
	v := Value{Cell: s.cell}
	v.Cell.Row = row
	switch s.kind {
	case stepDefault:
		v.Text = s.text
	case stepColumn:
		s.pipe.apply(&v, cellAt(values, s.cols[0]), "")
	case stepCountry:
		s.pipe.apply(&v, cellAt(values, s.cols[0]), cellAt(values, s.cols[1]))
	case stepJoin:
		s.pipe.apply(&v, joinCells(values, s.cols, s.sep), "")
	case stepTemplate:
		text, cell := s.tmpl.eval(vals)
		v.Cell = cell
		s.pipe.apply(&v, text, "")
	}
	if s.mask != "" {
		fillMasks(&v, firstText(vals.At(s.mask)))
	}
	return v
}

// fillMasks fills the X's of a value (and of each part) from digits.
func fillMasks(v *Value, digits string) {
	if strings.IndexAny(v.Text, "Xx") < 0 {
		return
	}
	if v.Parts == nil {
		v.Text = fillMask(v.Text, digits)
		return
	}
	for i, p := range v.Parts {
		v.Parts[i] = fillMask(p, digits)
	}
	v.Text = strings.Join(v.Parts, "; ")
}

// fillMask replaces the X's of a CUCM external phone number mask, right to
// left, with the last digits of digits: "415555XXXX" and "5201" give
// "4155555201". X's left over when digits runs out stay, so validation can
// report the number.
func fillMask(mask, digits string) string {
	if strings.IndexAny(mask, "Xx") < 0 {
		return mask
	}
	b := []byte(mask)
	j := len(digits) - 1
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] != 'X' && b[i] != 'x' {
			continue
		}
		for j >= 0 && (digits[j] < '0' || digits[j] > '9') {
			j--
		}
		if j < 0 {
			break
		}
		b[i] = digits[j]
		j--
	}
	return string(b)
}

// Unknown lists the headers that map to nothing and that the profile does
// not ignore on purpose, each once, in file order: what the user should know
// is not imported.
func (b *Binding) Unknown() []string { return b.unknown }

// Ignored lists the headers the profile ignores on purpose (its ignore:
// list) and that no field uses, each once.
func (b *Binding) Ignored() []string { return b.ignored }

// Profile names the profile bound.
func (b *Binding) Profile() string { return b.profile }

// Fields lists the fields every mapped row carries, in pbx.Fields order.
func (b *Binding) Fields() []pbx.Field {
	var fs []pbx.Field
	for _, f := range pbx.Fields {
		for i := range b.steps {
			if b.steps[i].field == f {
				fs = append(fs, f)
				break
			}
		}
	}
	return fs
}

// Placement says where a field of the binding comes from.
type Placement struct {
	Field pbx.Field
	Cell  pbx.Cell // the source column (Row 0); Col -1 for a default or a derived field
	How   string   // `column "Name" (B)`, `join of ...`, `derived from email`, `default "standard"`
}

// Describe lists how each field is placed, in pbx.Fields order, for a user
// checking a mapping before importing.
func (b *Binding) Describe() []Placement {
	var ps []Placement
	for _, f := range b.Fields() {
		for i := range b.steps {
			if s := &b.steps[i]; s.field == f {
				c := s.cell
				if s.kind == stepTemplate {
					c = pbx.Cell{File: b.file, Sheet: b.sheet, Col: -1}
				}
				ps = append(ps, Placement{Field: f, Cell: c, How: s.how})
			}
		}
	}
	return ps
}

// cellAt is values[i], or "" past the end of a short row.
func cellAt(values []string, i int) string {
	if i < len(values) {
		return values[i]
	}
	return ""
}

// joinCells joins the non-empty cells at cols with sep.
func joinCells(values []string, cols []int, sep string) string {
	var b strings.Builder
	for _, c := range cols {
		v := strings.TrimSpace(cellAt(values, c))
		if v == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(v)
	}
	return b.String()
}

// withCountryCode makes "+CC national" from a country code cell ("1", "+1",
// "001") and a national number. A number that already starts with + or 00,
// or an empty code, leaves the number as it is.
func withCountryCode(code, national string) string {
	national = strings.TrimSpace(national)
	if national == "" || strings.HasPrefix(national, "+") || strings.HasPrefix(national, "00") {
		return national
	}
	var digits []byte
	for i := 0; i < len(code); i++ {
		if c := code[i]; c >= '0' && c <= '9' {
			digits = append(digits, c)
		}
	}
	d := strings.TrimPrefix(string(digits), "00")
	if d == "" {
		return national
	}
	return "+" + d + " " + national
}
