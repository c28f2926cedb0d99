package sqlstore

// CKind is the kind of rule of the schema a statement broke.
type CKind int

const (
	CUnique CKind = iota + 1
	CForeignKey
	CCheck
	CNotNull
)

// Constraint is a broken rule of the schema. Name is the constraint's name
// as the PostgreSQL schema declares it (SQLite's messages are mapped to the
// same names), "" for a foreign key SQLite does not name.
type Constraint struct {
	Kind   CKind
	Name   string
	Detail string // the engine's own words
}
