package validate

import "github.com/pbxsync/pbxsync/pbx"

// fault is what is wrong with one value, before it is placed at a cell: the
// plain checking functions return faults and the row check places them.
type fault struct {
	code string
	err  error // a pbx sentinel or an error wrapping one
	msg  string
	hint string
}

// fault records f as a blocking problem at cell for value.
func (ps *problems) fault(cell pbx.Cell, value string, f *fault) {
	ps.add(cell, f.code, value, f.err, f.msg, f.hint)
}
