package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// dialect is PostgreSQL's side of the SQL written once in sqlstore.
type dialect struct{}

var pg dialect

func (dialect) Name() string { return "postgres" }

// In is an array parameter: a text[] is one parameter however many keys.
func (dialect) In(expr, param string) string               { return expr + " = ANY(" + param + "::text[])" }
func (dialect) List(keys []string) any                     { return keys }
func (dialect) ForShare() string                           { return " FOR SHARE" }
func (dialect) LockTimeout(err error) bool                 { return lockNotAvailable(err) }
func (dialect) ConstraintOf(err error) sqlstore.Constraint { return constraintOf(err) }

// Lookup looks each key up by its index: a LATERAL subquery kept from being
// flattened into a join by OFFSET 0, whatever the statistics say. "=
// ANY($n)" (and an OR of two) became a filter run on every row of the
// table (3.3 s for 100,000 keys against a 500,000-user database); a join,
// which a bare LATERAL subquery is turned into, a hash of the whole table
// (0.8 s for 9,000 new logins); one index probe per key is 0.07 s for
// those 9,000.
func (dialect) Lookup(cols, table, keyExpr, param string) string {
	return `SELECT x.* FROM unnest(` + param + `::text[]) AS k(want)
		JOIN LATERAL (SELECT ` + cols + ` FROM ` + table + ` WHERE ` + keyExpr + ` = k.want AND company <> $1 OFFSET 0) x ON true`
}

// SQLSTATE codes of the errors the store turns into domain errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
	codeNotNullViolation    = "23502"
	codeLockNotAvailable    = "55P03"
)

// constraintOf tells which rule of the schema err broke; Kind 0 means err
// is no constraint violation.
func constraintOf(err error) sqlstore.Constraint {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.Constraint{}
	}
	c := sqlstore.Constraint{Name: pe.ConstraintName, Detail: pe.Message}
	if pe.Detail != "" {
		c.Detail += ": " + pe.Detail
	}
	switch pe.Code {
	case codeUniqueViolation:
		c.Kind = sqlstore.CUnique
	case codeForeignKeyViolation:
		c.Kind = sqlstore.CForeignKey
	case codeCheckViolation:
		c.Kind = sqlstore.CCheck
	case codeNotNullViolation:
		c.Kind = sqlstore.CNotNull
		c.Name = pe.TableName + "." + pe.ColumnName
	}
	return c
}

// lockNotAvailable reports whether err is the server giving up waiting for a
// lock (lock_timeout).
func lockNotAvailable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == codeLockNotAvailable
}

// pgxQ is what pgx.Tx, *pgx.Conn and *pgxpool.Pool have in common.
type pgxQ interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// q runs sqlstore's SQL through pgx.
type q struct{ pgxQ }

func (x q) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := x.pgxQ.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (x q) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	return x.pgxQ.Query(ctx, sql, args...)
}

func (x q) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return x.pgxQ.QueryRow(ctx, sql, args...)
}
