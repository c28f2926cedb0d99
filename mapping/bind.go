package mapping

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Problem codes Bind reports, each on the header row.
const (
	CodeAmbiguous     = "mapping.ambiguous"      // two columns map to one field
	CodeMissingColumn = "mapping.missing_column" // a column the profile requires is not in the file
	CodeProfile       = "mapping.profile"        // the profile itself is wrong
)

// Sentinels wrapped by Bind's problems; both wrap pbx.ErrRead.
var (
	ErrAmbiguous     = fmt.Errorf("%w: two columns map to one field", pbx.ErrRead)
	ErrMissingColumn = fmt.Errorf("%w: a column the profile requires is missing", pbx.ErrRead)
)

// Binding is a profile resolved against one file's headers: which column (or
// derivation, or default) gives each field. Map uses it on every row.
type Binding struct {
	profile    string
	file       string
	sheet      string
	steps      []step // in dependency order: a derived field after what it reads
	unknown    []string
	ignored    []string
	recognized int // headers used or deliberately ignored
	used       int // headers used
	headers    int // headers with a name

	leftOut []leftOutCol // columns describing objects pbxsync does not create yet
}

type stepKind int

const (
	stepColumn stepKind = iota
	stepCountry
	stepJoin
	stepTemplate
	stepDefault
)

// step makes one field of a row.
type step struct {
	field pbx.Field
	kind  stepKind
	cols  []int // stepColumn: [col]; stepCountry: [national, code]; stepJoin: the parts present
	sep   string
	tmpl  *template
	pipe  *pipeline
	mask  pbx.Field // fills the X's of the value with this field's last digits ("" = none)
	text  string    // stepDefault
	cell  pbx.Cell  // Row is set per row
	how   string    // for Describe
	alt   *step     // or_if_empty: the next alternative, for rows where this one is empty
}

// Bind resolves the profile against a file's headers (found on headerRow,
// as the user counts rows). For each field the first source the file can
// give wins (a column: one of its aliases is a header; a join: any of its
// columns is; a derivation: the fields it reads are bound); a field with no
// source bound takes its default,
// if any, else is absent from every row. Problems, on the header row: a
// required field with no column (mapping.missing_column), one source matched
// by two columns (mapping.ambiguous; the first is used), or a profile that
// does not compile (mapping.profile; the binding then maps nothing).
func (p *Profile) Bind(file, sheet string, headerRow int, headers []string) (*Binding, []*pbx.Problem) {
	b := &Binding{profile: p.Name, file: file, sheet: sheet}
	here := pbx.Cell{File: file, Sheet: sheet, Row: headerRow, Col: -1}
	c, err := compile(p)
	if err != nil {
		return b, []*pbx.Problem{{Cell: here, Severity: pbx.SevError, Code: CodeProfile,
			Message: err.Error(), Hint: "fix the mapping profile", Err: err}}
	}
	r := &resolver{c: c, b: b, here: here, headers: headers, keys: make([]string, len(headers)),
		used: make([]bool, len(headers)), state: map[pbx.Field]int{}}
	for i, h := range headers {
		r.keys[i] = NormalizeHeader(h)
	}
	for _, rule := range c.rules {
		r.resolve(rule.field)
	}
	seen := map[string]bool{}
	for i, h := range headers {
		k := r.keys[i]
		if k == "" {
			continue
		}
		b.headers++
		switch {
		case r.used[i]:
			b.recognized++
			b.used++
		case c.leavesOut(k) != "":
			b.recognized++
			b.leftOut = append(b.leftOut, leftOutCol{col: i, what: c.leavesOut(k), cell: r.cell(i)})
		case c.ignores(k):
			b.recognized++
			if !seen[k] {
				b.ignored = append(b.ignored, cleanHeader(h))
			}
		case !seen[k]:
			b.unknown = append(b.unknown, cleanHeader(h))
		}
		seen[k] = true
	}
	return b, r.problems
}

// resolver binds fields one by one, a derived field after the fields it reads.
type resolver struct {
	c        *compiled
	b        *Binding
	here     pbx.Cell
	headers  []string
	keys     []string // the headers, normalised
	used     []bool
	state    map[pbx.Field]int // 0 unseen, 1 in progress, 2 bound, 3 absent
	problems []*pbx.Problem
}

// resolve binds field f and reports whether it is bound.
func (r *resolver) resolve(f pbx.Field) bool {
	switch r.state[f] {
	case 1, 3: // a circle (compile rejects them) or absent
		return false
	case 2:
		return true
	}
	r.state[f] = 1
	rule := r.c.byFld[f]
	if rule == nil {
		r.state[f] = 3
		return false
	}
	var first, last *step
	for _, s := range rule.sources {
		st, ok := r.bind(f, s)
		if !ok {
			continue
		}
		if first == nil {
			first, last = &st, &st
			if !rule.orIfEmpty {
				break
			}
			continue
		}
		last.alt = &st
		last = last.alt
		first.how += ", else " + st.how
	}
	if first != nil {
		r.b.steps = append(r.b.steps, *first)
		r.state[f] = 2
		return true
	}
	if rule.def != "" {
		r.b.steps = append(r.b.steps, step{field: f, kind: stepDefault, text: rule.def,
			cell: pbx.Cell{File: r.b.file, Sheet: r.b.sheet, Col: -1, Header: "default of profile " + r.c.name},
			how:  fmt.Sprintf("default %q", rule.def)})
		r.state[f] = 2
		return true
	}
	r.state[f] = 3
	if rule.required {
		r.problems = append(r.problems, &pbx.Problem{Cell: r.here, Severity: pbx.SevError, Code: CodeMissingColumn,
			Message: fmt.Sprintf("no column for %s: profile %s expects %s", f, r.c.name, rule.expects()),
			Hint:    "add the column, rename a header to one of these names, or edit the mapping profile",
			Err:     ErrMissingColumn})
	}
	return false
}

// bind tries one source of field f.
func (r *resolver) bind(f pbx.Field, s *compiledSource) (step, bool) {
	st := step{field: f, pipe: &s.pipe}
	switch s.kind {
	case srcColumns:
		col, ok := r.column(f, s.keys)
		if !ok {
			return st, false
		}
		st.kind, st.cols, st.cell = stepColumn, []int{col}, r.cell(col)
		st.how = fmt.Sprintf("column %s", r.name(col))
		if s.cc != nil {
			if cc, ok := r.column(f, s.cc); ok {
				st.kind, st.cols = stepCountry, []int{col, cc}
				st.how += fmt.Sprintf(" with country code %s", r.name(cc))
			}
		}
	case srcJoin:
		var names []string
		for _, k := range s.keys {
			if col, ok := r.column(f, []string{k}); ok {
				st.cols = append(st.cols, col)
				names = append(names, r.name(col))
			}
		}
		if len(st.cols) == 0 {
			return st, false
		}
		st.kind, st.sep, st.cell = stepJoin, s.sep, r.cell(st.cols[0])
		st.how = "join of " + strings.Join(names, ", ")
	case srcTemplate:
		for _, d := range s.tmpl.deps {
			if !r.resolve(d) {
				return st, false
			}
		}
		st.kind, st.tmpl = stepTemplate, s.tmpl
		st.how = "derived from " + joinFields(s.tmpl.deps, ", ")
	}
	// A mask's X's are filled from another field, bound first so its
	// step comes before this one; without it the mask is left as it is
	// (and validation reports it).
	if s.mask != "" && r.resolve(s.mask) {
		st.mask = s.mask
		st.how += ", X's filled from " + string(s.mask)
	}
	for _, col := range st.cols {
		r.used[col] = true
	}
	return st, true
}

// column finds the one column matching any of keys. With several it reports
// mapping.ambiguous on the second and uses the first.
func (r *resolver) column(f pbx.Field, keys []string) (int, bool) {
	first, n := -1, 0
	for col := range r.headers {
		if !r.matches(col, keys) {
			continue
		}
		n++
		if first < 0 {
			first = col
			continue
		}
		if n == 2 {
			c := r.cell(col)
			c.Row = r.here.Row
			r.problems = append(r.problems, &pbx.Problem{Cell: c, Severity: pbx.SevError, Code: CodeAmbiguous,
				Value:   cleanHeader(r.headers[col]),
				Message: fmt.Sprintf("columns %s and %s both map to %s", r.name(first), r.name(col), f),
				Hint:    "remove or rename one of them, or name the one to use in a mapping profile",
				Err:     ErrAmbiguous})
		}
	}
	return first, first >= 0
}

func (r *resolver) matches(col int, keys []string) bool {
	k := r.keys[col]
	for _, want := range keys {
		if k == want {
			return true
		}
	}
	return false
}

// cell is column col's cell; Map sets the row.
func (r *resolver) cell(col int) pbx.Cell {
	return pbx.Cell{File: r.b.file, Sheet: r.b.sheet, Col: col, Header: cleanHeader(r.headers[col])}
}

// name renders a column for messages: "E-mail" (D).
func (r *resolver) name(col int) string {
	return fmt.Sprintf("%q (%s)", cleanHeader(r.headers[col]), pbx.ColumnLetter(col))
}

// expects says what a rule needs, for the missing-column message.
func (rule *compiledRule) expects() string {
	var names []string
	var derived []pbx.Field
	for _, s := range rule.sources {
		names = append(names, s.names...)
		if s.tmpl != nil {
			derived = append(derived, s.tmpl.deps...)
		}
	}
	out := ""
	if len(names) > 0 {
		out = "one of " + quoteList(names)
	}
	if len(derived) > 0 {
		if out != "" {
			out += ", or "
		}
		out += "the fields it derives from (" + joinFields(derived, ", ") + ")"
	}
	return out
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
