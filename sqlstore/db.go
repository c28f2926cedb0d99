package sqlstore

import (
	"context"
)

// Q runs SQL ($1, $2... parameters): a transaction, a connection or a pool
// of either engine.
type Q interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error) // rows affected
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Rows is a result being read (as pgx.Rows).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Row is one row of a result; a query that found nothing scans an error
// that errors.Is sql.ErrNoRows (pgx.ErrNoRows is one too).
type Row interface {
	Scan(dest ...any) error
}

// Dialect is what differs between the engines in the SQL written once here.
type Dialect interface {
	Name() string                      // prefixes the store's own errors
	ConstraintOf(err error) Constraint // Kind 0: err is no constraint violation
	LockTimeout(err error) bool        // err is the engine giving up waiting for a row
	In(expr, param string) string      // expr is one of the keys of param, a List
	List(keys []string) any            // a list of text keys as one parameter
	// Unnest is a FROM item "k" of rows whose columns cols are read from
	// the List parameters params, one row per position.
	Unnest(params, cols []string) string
	// ForShare locks the rows a SELECT reads until the transaction ends;
	// "" when the transaction holds the whole database.
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
	err = each(ctx, q, query, func(Rows) error { n++; return nil }, args...)
	return n, err
}
