package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ckind is the kind of rule a statement broke.
type ckind int

const (
	cUnique ckind = iota + 1
	cForeignKey
	cCheck
	cNotNull
)

// constraint is a broken rule of the schema. name is the constraint's name as
// the schema declares it (the same names as the PostgreSQL schema's), ""
// for a foreign key, whose name SQLite does not report.
type constraint struct {
	kind   ckind
	name   string
	detail string // SQLite's own words
}

// uniqueNames maps SQLite's "UNIQUE constraint failed: ..." column lists to
// the constraint they belong to.
var uniqueNames = map[string]string{
	"companies.id":              "companies_pkey",
	"sites.company, sites.code": "sites_pkey",
	"device_models.name":        "device_models_pkey",
	"users.user_id":             "users_pkey",
	"users.company, users.ext_scope, users.extension": "users_extension_key",
	"e911_locations.company, e911_locations.id":       "e911_locations_pkey",
	"hunt_groups.company, hunt_groups.id":             "hunt_groups_pkey",
	"auto_attendants.company, auto_attendants.id":     "auto_attendants_pkey",
	"numbers.e164": "numbers_pkey",
	"number_members.number, number_members.user_id": "number_members_pkey",
	"devices.mac":                         "devices_pkey",
	"device_lines.mac, device_lines.port": "device_lines_pkey",
}

// constraintOf tells which rule of the schema err broke; kind 0 means err is
// no constraint violation.
func constraintOf(err error) constraint {
	var se *msqlite.Error
	if !errors.As(err, &se) {
		return constraint{}
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
		return constraint{kind: cUnique, name: name, detail: d}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return constraint{kind: cForeignKey, detail: "FOREIGN KEY constraint failed"}
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		d := detail("CHECK constraint failed: ")
		return constraint{kind: cCheck, name: d, detail: d}
	case sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		d := detail("NOT NULL constraint failed: ")
		return constraint{kind: cNotNull, name: d, detail: d}
	}
	return constraint{}
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
