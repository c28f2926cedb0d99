package mapping

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// LeftOut names columns whose cells describe objects pbxsync does not create
// yet (a phone's second line, a shared line appearance): Binding.Map hands
// each non-empty cell of them to the validator, which warns about it on its
// row, so nothing is dropped without a word. A column a field uses is never
// left out, so `DIRECTORY NUMBER*` leaves out lines 2..N once line 1 is the
// extension.
type LeftOut struct {
	What    string `yaml:"what" json:"what"`       // what a cell describes, for the warning: "line", "shared line"
	Columns Names  `yaml:"columns" json:"columns"` // headers, or prefixes ending in *
}

// LeftOutValue is one non-empty cell of a left-out column.
type LeftOutValue struct {
	What string
	Value
}

// compiledLeftOut is a LeftOut with its header keys normalised.
type compiledLeftOut struct {
	what     string
	keys     map[string]bool
	prefixes []string
}

// compileLeftOut checks the profile's left_out entries.
func compileLeftOut(p *Profile) ([]compiledLeftOut, []error) {
	var out []compiledLeftOut
	var errs []error
	for i, lo := range p.LeftOut {
		c := compiledLeftOut{what: strings.TrimSpace(lo.What), keys: map[string]bool{}}
		if c.what == "" {
			errs = append(errs, &ProfileError{Profile: p.Name, Msg: fmt.Sprintf("left_out[%d]: what: is empty; say what the columns describe (line, device)", i)})
		}
		if len(lo.Columns) == 0 {
			errs = append(errs, &ProfileError{Profile: p.Name, Msg: fmt.Sprintf("left_out[%d]: columns: is empty", i)})
		}
		for _, h := range lo.Columns {
			prefix, isPrefix := strings.CutSuffix(strings.TrimSpace(h), "*")
			k := NormalizeHeader(prefix)
			switch {
			case k == "":
				errs = append(errs, &ProfileError{Profile: p.Name, Msg: fmt.Sprintf("left_out[%d]: %q has no letters or digits to match a header by", i, h)})
			case isPrefix:
				c.prefixes = append(c.prefixes, k)
			default:
				c.keys[k] = true
			}
		}
		out = append(out, c)
	}
	return out, errs
}

// leavesOut returns what a header (by its normalised key) describes when the
// profile leaves it out, else "".
func (c *compiled) leavesOut(key string) string {
	for _, lo := range c.leftOut {
		if lo.keys[key] {
			return lo.what
		}
		for _, p := range lo.prefixes {
			if strings.HasPrefix(key, p) {
				return lo.what
			}
		}
	}
	return ""
}

// leftOutCol is a column of the file the binding leaves out.
type leftOutCol struct {
	col  int
	what string
	cell pbx.Cell
}

// LeftOut lists the headers the binding leaves out (see Profile.LeftOut),
// each with what it describes.
func (b *Binding) LeftOut() []string {
	var hs []string
	for _, lo := range b.leftOut {
		hs = append(hs, lo.cell.Header)
	}
	return hs
}

// mapLeftOut adds the non-empty cells of the left-out columns to m.
func (b *Binding) mapLeftOut(m *Mapped, row int, values []string) {
	for _, lo := range b.leftOut {
		text := strings.TrimSpace(cellAt(values, lo.col))
		if text == "" {
			continue
		}
		v := LeftOutValue{What: lo.what, Value: Value{Text: text, Cell: lo.cell}}
		v.Cell.Row = row
		m.LeftOut = append(m.LeftOut, v)
	}
}
