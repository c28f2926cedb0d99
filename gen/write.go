package gen

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/dsn"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// IsPostgres reports whether db names a PostgreSQL database (a postgres://
// URL) rather than the embedded store's file.
func IsPostgres(db string) bool {
	t, err := dsn.Parse(db)
	return err == nil && t.Kind == dsn.Postgres
}

// OpenStore opens and migrates the store db names: a postgres:// URL or the
// embedded store's file.
func OpenStore(ctx context.Context, db string) (importer.Store, error) {
	var st importer.Store
	var err error
	if IsPostgres(db) {
		st, err = postgres.Open(ctx, db)
	} else {
		st, err = sqlite.Open(ctx, db)
	}
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// StateStats says what WriteState wrote and how long it took.
type StateStats struct {
	Companies, Users, Numbers, Devices, Lines int
	Seed, Bulk, Analyze                       time.Duration
}

// WriteState writes the live state of spec into the store db names (a
// postgres:// URL or the embedded store's file), which must not hold any of
// the spec's companies yet. The small part of each company goes through the
// store's own Seed; users, numbers, devices and lines are written in bulk, in
// one transaction: COPY on PostgreSQL, multi-row INSERTs on SQLite. The
// tables' statistics are refreshed afterwards. Progress goes to log.
func WriteState(ctx context.Context, db string, spec Spec, log io.Writer) (*StateStats, error) {
	if err := spec.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = io.Discard
	}
	st, err := OpenStore(ctx, db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	have, err := st.Companies(ctx)
	if err != nil {
		return nil, err
	}
	if len(have) > 0 {
		first, last := spec.Company(0).ID, spec.Company(spec.Companies-1).ID
		for _, c := range have {
			if c.ID >= first && c.ID <= last && len(c.ID) == len(first) {
				return nil, fmt.Errorf("the store already holds company %s: generate into an empty store (a new file, or a fresh database or schema)", c.ID)
			}
		}
	}
	stats := &StateStats{Companies: spec.Companies, Users: spec.Users, Numbers: spec.Numbers, Devices: spec.Users, Lines: spec.Users}
	t := time.Now()
	for i := range spec.Companies {
		sd, err := spec.CompanySeed(spec.Company(i), i == 0)
		if err != nil {
			return nil, err
		}
		if err := st.Seed(ctx, sd); err != nil {
			return nil, fmt.Errorf("seeding company %s: %w", sd.Company.ID, err)
		}
	}
	stats.Seed = time.Since(t)
	fmt.Fprintf(log, "gen: %d companies seeded (sites, E911 locations, catalogue, hunt group, auto attendant) in %s\n",
		spec.Companies, stats.Seed.Round(time.Millisecond))
	// The claims are written only where they are tables (Citus); elsewhere
	// they are views of the objects (sqlstore/claims.go).
	ts := tables
	if c, ok := st.(interface{ ClaimTables() bool }); !ok || !c.ClaimTables() {
		ts = slices.DeleteFunc(slices.Clone(ts), func(t table) bool { return strings.HasSuffix(t.name, "_claims") })
	}
	var bulk bulkWriter
	if IsPostgres(db) {
		bulk = &pgBulk{url: db, tables: ts}
	} else {
		bulk = &sqliteBulk{path: db, tables: ts}
	}
	t = time.Now()
	if err := bulk.write(ctx, spec, log); err != nil {
		return nil, err
	}
	stats.Bulk = time.Since(t)
	t = time.Now()
	if err := bulk.analyze(ctx); err != nil {
		return nil, fmt.Errorf("refreshing the statistics: %w", err)
	}
	stats.Analyze = time.Since(t)
	fmt.Fprintf(log, "gen: %d users, %d numbers, %d devices and lines written in %s (statistics refreshed in %s)\n",
		spec.Users, spec.Numbers, spec.Users, stats.Bulk.Round(time.Millisecond), stats.Analyze.Round(time.Millisecond))
	return stats, nil
}

// bulkWriter writes the users, numbers, devices and lines of a spec.
type bulkWriter interface {
	write(ctx context.Context, spec Spec, log io.Writer) error
	analyze(ctx context.Context) error
}

// table is one bulk-written table: its columns, and a cursor over its rows.
type table struct {
	name string
	cols []string
	rows func(spec Spec) rowSource
}

// rowSource yields a table's rows one at a time.
type rowSource interface {
	Next() bool
	Values() []any
	Err() error
}

// nullable stores "" as NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// tables are the bulk-written tables, in foreign-key order.
var tables = []table{
	{"users", []string{"user_id", "company", "site", "first_name", "last_name", "email", "extension", "ext_scope",
		"station_type", "voice_enabled", "caller_id", "status", "external_id", "version"},
		func(s Spec) rowSource {
			return &usersOf{cur: userCursor{s: s}, values: func(r *UserRecord) []any {
				u := &r.User
				return []any{string(u.ID), u.Company, u.Site, u.FirstName, u.LastName, nullable(u.Email), nullable(string(u.Extension)), "",
					u.StationType, u.VoiceEnabled, u.CallerID, string(u.Status), u.ExternalID, u.Version}
			}}
		}},
	{"numbers", numberCols, func(s Spec) rowSource { return &numbersOf{users: userCursor{s: s}, pool: poolCursor{s: s}} }},
	{"devices", []string{"mac", "company", "model", "version"},
		func(s Spec) rowSource {
			return &usersOf{cur: userCursor{s: s}, values: func(r *UserRecord) []any {
				d := &r.Device
				return []any{string(d.MAC), d.Company, d.Model, d.Version}
			}}
		}},
	{"device_lines", []string{"company", "mac", "port", "user_id", "number", "lines", "version"},
		func(s Spec) rowSource {
			return &usersOf{cur: userCursor{s: s}, values: func(r *UserRecord) []any {
				l := &r.Line
				return []any{r.Device.Company, string(l.MAC), l.Port, string(l.User), string(l.Number), l.Lines, l.Version}
			}}
		}},
	// The claims that keep logins, e-mails, numbers and MACs unique across
	// companies (sqlstore/claims.go), written beside their objects where
	// they are tables.
	{"login_claims", []string{"user_id", "company"},
		func(s Spec) rowSource {
			return &usersOf{cur: userCursor{s: s}, values: func(r *UserRecord) []any { return []any{string(r.User.ID), r.User.Company} }}
		}},
	{"email_claims", []string{"email", "company", "user_id"},
		func(s Spec) rowSource {
			return &usersOf{cur: userCursor{s: s}, skip: func(r *UserRecord) bool { return r.User.Email == "" }, values: func(r *UserRecord) []any {
				return []any{sqlstore.Email(r.User.Email), r.User.Company, string(r.User.ID)}
			}}
		}},
	{"number_claims", []string{"e164", "company"},
		func(s Spec) rowSource { return &firstTwo{&numbersOf{users: userCursor{s: s}, pool: poolCursor{s: s}}} }},
	{"device_claims", []string{"mac", "company"},
		func(s Spec) rowSource {
			return &usersOf{cur: userCursor{s: s}, values: func(r *UserRecord) []any { return []any{string(r.Device.MAC), r.Device.Company} }}
		}},
}

// firstTwo yields the first two columns of another source's rows (a
// number's e164 and company, for its claim).
type firstTwo struct{ rowSource }

func (f *firstTwo) Values() []any { return f.rowSource.Values()[:2] }

var numberCols = []string{"e164", "company", "site", "label", "target_kind", "target_user", "target_hunt", "target_aa",
	"routing", "saved_routing", "holiday_routing", "sms", "location", "version"}

// usersOf yields one row per user, made by values.
type usersOf struct {
	cur    userCursor
	skip   func(*UserRecord) bool // nil: none
	values func(*UserRecord) []any
}

func (u *usersOf) Next() bool {
	for u.cur.Next() {
		if u.skip == nil || !u.skip(&u.cur.rec) {
			return true
		}
	}
	return false
}
func (u *usersOf) Values() []any { return u.values(&u.cur.rec) }
func (u *usersOf) Err() error    { return u.cur.err }

// numbersOf yields the users' numbers, then the pools.
type numbersOf struct {
	users  userCursor
	pool   poolCursor
	inPool bool
	row    []any
}

func (n *numbersOf) Next() bool {
	if !n.inPool {
		if n.users.Next() {
			x := &n.users.rec.Number
			n.row = []any{string(x.E164), x.Company, x.Site, x.Label, "user", string(x.Target.User()), nil, nil,
				string(x.Routing), string(x.SavedRouting), string(x.HolidayRouting), x.SMS, nullable(x.Location), x.Version}
			return true
		}
		if n.users.err != nil {
			return false
		}
		n.inPool = true
	}
	if !n.pool.Next() {
		return false
	}
	x := &n.pool.num
	n.row = []any{string(x.E164), x.Company, x.Site, x.Label, "", nil, nil, nil,
		string(x.Routing), string(x.SavedRouting), string(x.HolidayRouting), x.SMS, nullable(x.Location), x.Version}
	return true
}

func (n *numbersOf) Values() []any { return n.row }

func (n *numbersOf) Err() error {
	if n.users.err != nil {
		return n.users.err
	}
	return n.pool.err
}
