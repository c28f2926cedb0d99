package validate

import (
	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
)

// problems collects the problems of one pass.
type problems []*pbx.Problem

// add records a blocking problem. err is a pbx sentinel or an error wrapping one.
func (ps *problems) add(cell pbx.Cell, code, value string, err error, msg, hint string) {
	*ps = append(*ps, &pbx.Problem{Cell: cell, Severity: pbx.SevError, Code: code, Value: value, Message: msg, Hint: hint, Err: err})
}

// warn records a problem that does not block its row.
func (ps *problems) warn(cell pbx.Cell, code, value string, err error, msg, hint string) {
	*ps = append(*ps, &pbx.Problem{Cell: cell, Severity: pbx.SevWarning, Code: code, Value: value, Message: msg, Hint: hint, Err: err})
}

// blocking reports whether any problem blocks the row.
func (ps problems) blocking() bool {
	for _, p := range ps {
		if p.Blocking() {
			return true
		}
	}
	return false
}

// cellOf is where v came from; the row's file, sheet and line fill in what
// the cell leaves out.
func cellOf(m *mapping.Mapped, v mapping.Value) pbx.Cell {
	c := v.Cell
	if c.File == "" {
		c.File = m.File
	}
	if c.Sheet == "" {
		c.Sheet = m.Sheet
	}
	if c.Row == 0 {
		c.Row = m.Row
	}
	return c
}

// wholeRow is the cell of a problem that belongs to no single column.
func wholeRow(m *mapping.Mapped) pbx.Cell {
	return pbx.Cell{File: m.File, Sheet: m.Sheet, Row: m.Row, Col: -1}
}

// fieldCell is the cell of field f of m, or the whole row when the file has
// no column for f.
func fieldCell(m *mapping.Mapped, f pbx.Field) pbx.Cell {
	if v, ok := m.Values.Get(f); ok {
		return cellOf(m, v)
	}
	return wholeRow(m)
}

// rowFieldCell is the cell of field f of a validated row, or the whole row
// when the roster has no column for f.
func rowFieldCell(r *pbx.Row, f pbx.Field) pbx.Cell {
	return r.CellOr(f)
}
