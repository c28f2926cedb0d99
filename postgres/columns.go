package postgres

import (
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The tables and columns of the live state, and the conversion of a plan's
// changes into column values, are package columns', the same for both
// stores; these are their names here.
type (
	table  = columns.Table
	assign = columns.Assign
)

var (
	tables       = columns.Tables
	extScopeSQL  = sqlstore.ExtScopeSQL
	formatRanges = sqlstore.FormatRanges
	joinList     = sqlstore.JoinList
)
