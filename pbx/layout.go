package pbx

// Layout says where the fields of roster rows came from: the file and sheet,
// and for each field a row carries, its column and header. Every row of a file
// has the same columns, so the rows of a roster share a handful of Layouts
// (one per set of fields present) instead of each holding a map of cells: for
// a 100,000-row roster that is the difference between ~300 MB and nothing.
//
// The zero Layout carries no field. A nil *Layout is valid and carries none.
// Layouts are compared with ==, which is how builders share equal ones.
type Layout struct {
	File  string
	Sheet string
	has   fieldSet
	cols  [numFields]column
}

// fieldSet is a set of roster fields, bit i for fieldOrder[i].
type fieldSet uint64

type column struct {
	col    int32 // 0-based; -1 when the value has no single column (a profile default)
	header string
}

// Set records that field f is in column col (0-based, -1 for none) under
// header. An unknown field is ignored.
func (l *Layout) Set(f Field, col int, header string) {
	i, ok := fieldIndexOf(f)
	if !ok {
		return
	}
	l.has |= 1 << i
	l.cols[i] = column{int32(col), header}
}

// Drop removes field f.
func (l *Layout) Drop(f Field) {
	if i, ok := fieldIndexOf(f); ok {
		l.has &^= 1 << i
		l.cols[i] = column{}
	}
}

// Has reports whether field f is carried.
func (l *Layout) Has(f Field) bool {
	if l == nil {
		return false
	}
	i, ok := fieldIndexOf(f)
	return ok && l.has&(1<<i) != 0
}

// Cell returns the cell of field f on row, and whether f is carried.
func (l *Layout) Cell(f Field, row int) (Cell, bool) {
	if !l.Has(f) {
		return Cell{}, false
	}
	i, _ := fieldIndexOf(f)
	return l.cell(i, row), true
}

// Len is the number of fields carried.
func (l *Layout) Len() int {
	if l == nil {
		return 0
	}
	n := 0
	for s := l.has; s != 0; s &= s - 1 {
		n++
	}
	return n
}

func (l *Layout) cell(i, row int) Cell {
	c := l.cols[i]
	return Cell{File: l.File, Sheet: l.Sheet, Row: row, Col: int(c.col), Header: c.header}
}

func (l *Layout) clone() *Layout {
	if l == nil {
		return &Layout{}
	}
	c := *l
	return &c
}

// Layouts hands out one shared *Layout per distinct value, for builders of
// many rows. Rows of one file rarely have more than a few distinct Layouts;
// past a bound, new ones are no longer remembered (but still correct).
// Not safe for concurrent use.
type Layouts struct {
	seen []*Layout
}

const maxLayouts = 64

// Intern returns a shared Layout equal to l.
func (ls *Layouts) Intern(l *Layout) *Layout {
	for i, s := range ls.seen {
		if *s == *l {
			if i > 0 { // keep the most recent first: rows come in runs
				ls.seen[0], ls.seen[i] = ls.seen[i], ls.seen[0]
			}
			return s
		}
	}
	c := *l
	if len(ls.seen) < maxLayouts {
		ls.seen = append(ls.seen, &c)
	}
	return &c
}
