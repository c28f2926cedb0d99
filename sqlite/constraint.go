package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/pbxsync/pbxsync/sqlstore"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is SQLite's side of the SQL written once in sqlstore.
type dialect struct{}

var lite dialect

func (dialect) Name() string { return "sqlite" }

// In and List: a JSON array parameter read by json_each.
func (dialect) In(expr, param string) string {
	return expr + " IN (SELECT value FROM json_each(" + param + "))"
}
func (dialect) List(keys []string) any {
	b, _ := json.Marshal(keys)
	return string(b)
}
func (dialect) Unnest(params, cols []string) string {
	sel := make([]string, len(cols))
	from := make([]string, len(params))
	for i := range params {
		j := "j" + strconv.Itoa(i)
		sel[i] = j + ".value AS " + cols[i]
		from[i] = "json_each(" + params[i] + ") AS " + j
		if i > 0 {
			from[i] += " ON " + j + ".key = j0.key"
		}
	}
	return "(SELECT " + strings.Join(sel, ", ") + " FROM " + strings.Join(from, " JOIN ") + ") AS k"
}

// ForShare is "": a write transaction (BEGIN IMMEDIATE) holds the file.
func (dialect) ForShare() string                           { return "" }
func (dialect) LockTimeout(error) bool                     { return false }
func (dialect) ConstraintOf(err error) sqlstore.Constraint { return constraintOf(err) }

// notKeys names, as the PostgreSQL schema does, the unique constraints
// other than a table's primary key by the columns SQLite's message lists
// (the claims are the objects' unique indexes, 010).
var notKeys = map[string]string{
	"users.user_id": "login_claims_pkey",
	"numbers.e164":  "number_claims_pkey",
	"devices.mac":   "device_claims_pkey",
	"users.company, users.ext_scope, users.extension":                                      "users_extension_key",
	"hunt_group_members.company, hunt_group_members.group_id, hunt_group_members.position": "hunt_group_members_position_key",
}

// kinds are the broken rules by extended result code, with their message's start.
var kinds = map[int]struct {
	kind   sqlstore.CKind
	prefix string
}{
	sqlite3.SQLITE_CONSTRAINT_UNIQUE:     {sqlstore.CUnique, "UNIQUE constraint failed: "},
	sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY: {sqlstore.CUnique, "UNIQUE constraint failed: "},
	sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY: {sqlstore.CForeignKey, "FOREIGN KEY constraint failed"},
	sqlite3.SQLITE_CONSTRAINT_CHECK:      {sqlstore.CCheck, "CHECK constraint failed: "},
	sqlite3.SQLITE_CONSTRAINT_NOTNULL:    {sqlstore.CNotNull, "NOT NULL constraint failed: "},
}

// constraintOf: a foreign key is not named: SQLite does not say which.
func constraintOf(err error) sqlstore.Constraint {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.Constraint{}
	}
	k, ok := kinds[se.Code()]
	if !ok {
		return sqlstore.Constraint{}
	}
	if k.kind == sqlstore.CForeignKey {
		return sqlstore.Constraint{Kind: k.kind, Detail: k.prefix}
	}
	_, d, _ := strings.Cut(se.Error(), k.prefix)
	if i := strings.LastIndex(d, " ("); i >= 0 {
		d = d[:i]
	}
	c := sqlstore.Constraint{Kind: k.kind, Name: d, Detail: d}
	if index, ok := strings.CutPrefix(d, "index '"); ok {
		c.Name = strings.TrimSuffix(index, "'")
	} else if table, _, _ := strings.Cut(d, "."); k.kind == sqlstore.CUnique {
		c.Name = cmp.Or(notKeys[d], table+"_pkey")
	}
	return c
}

// busy: another connection holds the file's lock.
func busy(err error) bool {
	var se *msqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// lockErr turns a failure to begin a write into one wrapping pbx.ErrLocked
// and naming who holds the file, when another writer does.
func (s *Store) lockErr(ctx context.Context, err error, company string) error {
	if busy(err) {
		what := "the store"
		if company != "" {
			what += " (company " + company + ")"
		}
		return fmt.Errorf("%w: %s is being written by %s and stayed busy for %s; wait for it to finish and try again",
			pbx.ErrLocked, what, s.holdersText(context.WithoutCancel(ctx)), s.busyTimeout())
	}
	if company == "" {
		return fmt.Errorf("sqlite: beginning a write: %w", err)
	}
	return fmt.Errorf("sqlite: beginning a write for company %s: %w", company, err)
}

// sqlQ is what *sql.Tx, *sql.Conn and *sql.DB have in common.
type sqlQ interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// q runs sqlstore's SQL through database/sql. With stmts (a transaction)
// it prepares each statement on first use: a batch runs the same few
// statements thousands of times.
type q struct {
	x     sqlQ
	stmts map[string]*sql.Stmt
}

func (x *q) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := x.stmts[query]; ok {
		return st, nil
	}
	st, err := x.x.PrepareContext(ctx, query)
	if err == nil {
		x.stmts[query] = st
	}
	return st, err
}

func (x *q) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if x.stmts == nil {
		res, err = x.x.ExecContext(ctx, query, args...)
	} else if st, perr := x.prepared(ctx, query); perr != nil {
		return 0, perr
	} else {
		res, err = st.ExecContext(ctx, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (x *q) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := x.x.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (x *q) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	if x.stmts == nil {
		return x.x.QueryRowContext(ctx, query, args...)
	}
	st, err := x.prepared(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { r.Rows.Close() }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
