package postgres

import (
	"errors"

	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATE codes of the errors the store turns into domain errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
	codeNotNullViolation    = "23502"
	codeLockNotAvailable    = "55P03"
)

// ckind is the kind of rule a statement broke.
type ckind int

const (
	cUnique ckind = iota + 1
	cForeignKey
	cCheck
	cNotNull
)

// constraint is a broken rule of the schema, named as the schema names it.
type constraint struct {
	kind   ckind
	name   string
	detail string // the server's own words
}

// constraintOf tells which rule of the schema err broke; kind 0 means err is
// no constraint violation.
func constraintOf(err error) constraint {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return constraint{}
	}
	c := constraint{name: pe.ConstraintName, detail: pe.Message}
	if pe.Detail != "" {
		c.detail += ": " + pe.Detail
	}
	switch pe.Code {
	case codeUniqueViolation:
		c.kind = cUnique
	case codeForeignKeyViolation:
		c.kind = cForeignKey
	case codeCheckViolation:
		c.kind = cCheck
	case codeNotNullViolation:
		c.kind = cNotNull
		c.name = pe.TableName + "." + pe.ColumnName
	}
	return c
}

// lockNotAvailable reports whether err is the server giving up waiting for a
// lock (lock_timeout).
func lockNotAvailable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == codeLockNotAvailable
}
