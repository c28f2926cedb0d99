package postgres

import (
	"context"
	"errors"
	"regexp"
	"strings"

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

func (dialect) Unnest(params, cols []string) string {
	ps := make([]string, len(params))
	for i, p := range params {
		ps[i] = p + "::text[]"
	}
	return "unnest(" + strings.Join(ps, ", ") + ") AS k (" + strings.Join(cols, ", ") + ")"
}

// SQLSTATE codes of the errors the store turns into domain errors.
const (
	codeLockNotAvailable = "55P03"
	codeInternalError    = "XX000"
)

// kinds are the broken rules by SQLSTATE, and by the word of a message
// (distributedConstraint).
var kinds = map[string]sqlstore.CKind{"23505": sqlstore.CUnique, "23503": sqlstore.CForeignKey, "23514": sqlstore.CCheck,
	"23502": sqlstore.CNotNull, "unique": sqlstore.CUnique, "foreign key": sqlstore.CForeignKey, "check": sqlstore.CCheck,
	"not-null": sqlstore.CNotNull}

// distributedConstraint reads a broken rule from the message of an error
// a Citus worker raised that the coordinator passed on as SQLSTATE XX000
// (a COPY into a distributed table, a multi-shard statement): the kind and
// the constraint's name, which carries the shard's number
// ("login_claims_pkey_102040").
var distributedConstraint = regexp.MustCompile(`violates (unique|foreign key|check|not-null) constraint "([^"]+)"`)

// shardSuffix is the _<shard id> a Citus worker's constraint names end with.
var shardSuffix = regexp.MustCompile(`_[0-9]{4,}$`)

func constraintOf(err error) sqlstore.Constraint {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return sqlstore.Constraint{}
	}
	c := sqlstore.Constraint{Kind: kinds[pe.Code], Name: pe.ConstraintName, Detail: pe.Message}
	if m := distributedConstraint.FindStringSubmatch(pe.Message); m != nil && (c.Name == "" || pe.Code == codeInternalError) {
		c.Name = m[2]
		if pe.Code == codeInternalError {
			c.Kind = kinds[m[1]]
		}
	}
	switch {
	case c.Kind == 0:
		return sqlstore.Constraint{}
	case c.Kind == sqlstore.CNotNull:
		c.Name = pe.TableName + "." + pe.ColumnName
	}
	c.Name = shardSuffix.ReplaceAllString(c.Name, "")
	if pe.Detail != "" {
		c.Detail += ": " + pe.Detail
	}
	return c
}

// lockNotAvailable: the server gave up waiting for a lock (lock_timeout).
func lockNotAvailable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == codeLockNotAvailable
}

// pgxQ is what pgx.Tx, *pgx.Conn and *pgxpool.Pool have in common.
type pgxQ interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// q runs sqlstore's SQL through pgx.
type q struct{ pgxQ }

func (x q) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	if c, ok := x.connFor(args); ok { // bigargs.go
		rows, err := queryApart(ctx, c, sql, args)
		if err != nil {
			return 0, err
		}
		rows.Close()
		return rows.CommandTag().RowsAffected(), rows.Err()
	}
	tag, err := x.pgxQ.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

func (x q) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	if c, ok := x.connFor(args); ok { // bigargs.go
		return queryApart(ctx, c, sql, args)
	}
	return x.pgxQ.Query(ctx, sql, args...)
}

func (x q) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return x.pgxQ.QueryRow(ctx, sql, args...)
}

// ExecSeed sends a seed's upserts in one batch (sqlstore.Batcher).
func (x q) ExecSeed(ctx context.Context, items []sqlstore.SeedItem, check func(int, int64, error) error) error {
	b := &pgx.Batch{}
	for _, it := range items {
		b.Queue(it.SQL, it.Args...)
	}
	br := x.SendBatch(ctx, b)
	defer br.Close()
	for i := range items {
		tag, err := br.Exec()
		if err := check(i, tag.RowsAffected(), err); err != nil {
			return err
		}
	}
	return br.Close()
}
