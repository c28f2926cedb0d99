package sqlite

import (
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

// In is a JSON array parameter read by json_each: one parameter however
// many keys.
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

// uniqueNames maps SQLite's "UNIQUE constraint failed: ..." column lists to
// the constraint they belong to.
var uniqueNames = map[string]string{
	"companies.id":                                                          "companies_pkey",
	"sites.company, sites.code":                                             "sites_pkey",
	"device_models.name":                                                    "device_models_pkey",
	"users.company, users.user_id":                                          "users_pkey",
	"users.company, users.ext_scope, users.extension":                       "users_extension_key",
	"e911_locations.company, e911_locations.id":                             "e911_locations_pkey",
	"hunt_groups.company, hunt_groups.id":                                   "hunt_groups_pkey",
	"auto_attendants.company, auto_attendants.id":                           "auto_attendants_pkey",
	"numbers.company, numbers.e164":                                         "numbers_pkey",
	"number_members.company, number_members.number, number_members.user_id": "number_members_pkey",
	"devices.company, devices.mac":                                          "devices_pkey",
	"device_lines.company, device_lines.mac, device_lines.port":             "device_lines_pkey",
	"users.user_id":                                                         "login_claims_pkey", // the claims' unique indexes (010)
	"numbers.e164":                                                          "number_claims_pkey",
	"devices.mac":                                                           "device_claims_pkey",
	"runs.company, runs.id":                                                 "runs_pkey",
	"hunt_group_members.company, hunt_group_members.group_id, hunt_group_members.user_id":  "hunt_group_members_pkey",
	"hunt_group_members.company, hunt_group_members.group_id, hunt_group_members.position": "hunt_group_members_position_key",
}

// constraintOf tells which rule of the schema err broke; Kind 0 means err is
// no constraint violation.
func constraintOf(err error) sqlstore.Constraint {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return sqlstore.Constraint{}
	}
	msg := se.Error()
	detail := func(prefix string) string {
		_, d, _ := strings.Cut(msg, prefix)
		if i := strings.LastIndex(d, " ("); i >= 0 {
			d = d[:i]
		}
		return d
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		d := detail("UNIQUE constraint failed: ")
		name := uniqueNames[d]
		if strings.HasPrefix(d, "index '") {
			name = strings.TrimSuffix(strings.TrimPrefix(d, "index '"), "'")
		}
		if name == "" {
			name = d
		}
		return sqlstore.Constraint{Kind: sqlstore.CUnique, Name: name, Detail: d}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqlstore.Constraint{Kind: sqlstore.CForeignKey, Detail: "FOREIGN KEY constraint failed"}
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		d := detail("CHECK constraint failed: ")
		return sqlstore.Constraint{Kind: sqlstore.CCheck, Name: d, Detail: d}
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		d := detail("NOT NULL constraint failed: ")
		return sqlstore.Constraint{Kind: sqlstore.CNotNull, Name: d, Detail: d}
	}
	return sqlstore.Constraint{}
}

// busy reports whether err is SQLite saying another connection holds the lock.
func busy(err error) bool {
	var se *msqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// lockErr turns a failure to begin a write into an error wrapping
// pbx.ErrLocked, naming who holds the file, when another writer holds it.
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

// q runs sqlstore's SQL through database/sql. With stmts (a batch's
// transaction) it prepares each statement on first use: a batch runs the
// same few statements thousands of times, and SQLite compiles a statement
// each time it is not prepared. Commit and Rollback close them.
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
