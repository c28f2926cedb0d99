package sqlstore

import "github.com/pbxsync/pbxsync/columns"

// The tables and columns of the live state, and the conversion of a plan's
// changes into column values, are package columns', the same for both
// stores; these are their names here.
type (
	table  = columns.Table
	assign = columns.Assign
)

var tables = columns.Tables
