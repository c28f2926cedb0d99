package sqlstore

import (
	"context"
)

// Q runs SQL: a transaction, a connection or a pool of either engine.
// Statements number their parameters $1, $2...: PostgreSQL's form, which
// SQLite (modernc.org/sqlite) binds by the same numbers.
type Q interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error) // rows affected
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is a result being read (pgx.Rows has these methods as they are).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is one row of a result, or the error of getting it; a query that
// found nothing scans an error that errors.Is sql.ErrNoRows (pgx.ErrNoRows
// is one too).
type Row interface {
	Scan(dest ...any) error
}

// Dialect is what differs between the engines in the SQL written once here.
type Dialect interface {
	// Name prefixes the store's own errors: "postgres", "sqlite".
	Name() string
	// ConstraintOf tells which rule of the schema err broke; a Constraint
	// of Kind 0 means err is no constraint violation.
	ConstraintOf(err error) Constraint
	// LockTimeout reports whether err is the engine giving up waiting for
	// a row another session holds.
	LockTimeout(err error) bool
	// In is the condition that expr is one of the keys of the parameter
	// param, given by List.
	In(expr, param string) string
	// List is a list of text keys as one parameter.
	List(keys []string) any
	// Unnest is a FROM item "k" of rows whose columns cols are read from
	// the list parameters params (given by List), one row per position.
	Unnest(params, cols []string) string
	// ForShare is the clause that locks the rows a SELECT reads until the
	// transaction ends, "" when the transaction holds the whole database.
	ForShare() string
}

// each runs query and calls scan for every row.
func each(ctx context.Context, q Q, query string, scan func(Rows) error, args ...any) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Counted runs query and returns how many rows it returned (a statement's
// RETURNING: Citus counts an INSERT ... SELECT's rows as selected, not as
// written, when it does nothing on a conflict).
func Counted(ctx context.Context, q Q, query string, args ...any) (n int64, err error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}
