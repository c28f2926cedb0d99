package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
)

// compareLoad times the store's load of the company against a plain scan of
// the same columns of the same rows into plain structs, and a plain scan of
// every user and number of the store for reference. Each starts from a
// settled heap. The two loads of the company take turns, twice, and the
// faster of each counts, so that neither pays alone for a cold cache.
func compareLoad(ctx context.Context, st importer.Store, db, company string) (Load, error) {
	var l Load
	q, err := openQuerier(ctx, db)
	if err != nil {
		return l, err
	}
	defer q.close()
	if _, err := q.each(ctx, `SELECT 1`, func(rows) error { return nil }); err != nil { // connect before the clock starts
		return l, err
	}
	for round := range 2 {
		w := startWatch(true)
		t := time.Now()
		live, err := st.Load(ctx, company)
		if err != nil {
			return l, err
		}
		s := Stage{Name: "Store.Load", Wall: time.Since(t), Rows: objects(live)}
		w.end(&s)
		live = nil
		if round == 0 || s.Wall < l.Store.Wall {
			l.Store = s
		}

		w = startWatch(true)
		t = time.Now()
		n, err := plainCompany(ctx, q, company)
		if err != nil {
			return l, fmt.Errorf("plain scan of company %s: %w", company, err)
		}
		s = Stage{Name: "plain scan", Wall: time.Since(t), Rows: n}
		w.end(&s)
		if round == 0 || s.Wall < l.Plain.Wall {
			l.Plain = s
		}
	}
	if l.Plain.Wall > 0 {
		l.Ratio = l.Store.Wall.Seconds() / l.Plain.Wall.Seconds()
	}

	w := startWatch(true)
	t := time.Now()
	n, err := plainAll(ctx, q)
	if err != nil {
		return l, fmt.Errorf("plain scan of every user and number: %w", err)
	}
	l.Full = Stage{Name: "plain scan, all users and numbers", Wall: time.Since(t), Rows: n}
	w.end(&l.Full)
	return l, nil
}

// objects counts what a loaded state holds.
func objects(st *pbx.State) int {
	return len(st.Sites) + len(st.Users) + len(st.Numbers) + len(st.Members) + len(st.Devices) + len(st.Lines) +
		len(st.Locations) + len(st.Hunts) + len(st.AAs) + len(st.Models)
}

// querier runs a query on PostgreSQL (pgx) or SQLite (database/sql) alike.
type querier interface {
	each(ctx context.Context, query string, scan func(rows) error, args ...any) (int, error)
	close()
}

// rows is what pgx.Rows and *sql.Rows share.
type rows interface {
	Scan(dest ...any) error
}

func openQuerier(ctx context.Context, db string) (querier, error) {
	if gen.IsPostgres(db) {
		conn, err := pgx.Connect(ctx, db)
		if err != nil {
			return nil, err
		}
		return pgQuerier{conn}, nil
	}
	d, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	return sqlQuerier{d}, nil
}

type pgQuerier struct{ c *pgx.Conn }

// each runs query and scans every row; $1... placeholders.
func (q pgQuerier) each(ctx context.Context, query string, scan func(rows) error, args ...any) (int, error) {
	rs, err := q.c.Query(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	n := 0
	for rs.Next() {
		if err := scan(rs); err != nil {
			return n, err
		}
		n++
	}
	return n, rs.Err()
}

func (q pgQuerier) close() { q.c.Close(context.Background()) }

type sqlQuerier struct{ d *sql.DB }

// each runs query, its $N placeholders made ?N for SQLite.
func (q sqlQuerier) each(ctx context.Context, query string, scan func(rows) error, args ...any) (int, error) {
	rs, err := q.d.QueryContext(ctx, strings.ReplaceAll(query, "$", "?"), args...)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	n := 0
	for rs.Next() {
		if err := scan(rs); err != nil {
			return n, err
		}
		n++
	}
	return n, rs.Err()
}

func (q sqlQuerier) close() { q.d.Close() }

// chunks holds scanned rows in fixed-size blocks, so that a growing result
// is never copied: the cheapest way to keep a scan in memory.
type chunks[T any] struct{ blocks [][]T }

const chunkSize = 8192

func (c *chunks[T]) add(x T) {
	n := len(c.blocks)
	if n == 0 || len(c.blocks[n-1]) == chunkSize {
		c.blocks = append(c.blocks, make([]T, 0, chunkSize))
		n++
	}
	c.blocks[n-1] = append(c.blocks[n-1], x)
}

// Plain structs: the columns as they come, no domain types, no maps.
type (
	plainUser struct {
		id, company, site, first, last, email, ext, station string
		voice                                               bool
		callerID, status, extID                             string
		version                                             int64
	}
	plainNumber struct {
		e164, company, site, label, kind, user, hunt, aa, routing, saved, holiday string
		sms                                                                       bool
		location                                                                  string
		version                                                                   int64
	}
	plainDevice struct {
		mac, company, model string
		version             int64
	}
	plainLine struct {
		mac          string
		port         int
		user, number string
		lines        int
		version      int64
	}
)

// The same columns as the stores' loads.
const (
	plainUserCols = `user_id, company, site, first_name, last_name, COALESCE(email, ''), COALESCE(extension, ''),
		station_type, voice_enabled, caller_id, status, external_id, version`
	plainNumberCols = `e164, company, site, label, target_kind, COALESCE(target_user, ''), COALESCE(target_hunt, ''),
		COALESCE(target_aa, ''), routing, saved_routing, holiday_routing, sms, COALESCE(location, ''), version`
)

// plainCompany scans the users, numbers, devices and lines of a company, the
// bulk of what Store.Load reads, and returns the rows read.
func plainCompany(ctx context.Context, q querier, company string) (int, error) {
	var users chunks[plainUser]
	var numbers chunks[plainNumber]
	var devices chunks[plainDevice]
	var lines chunks[plainLine]
	total := 0
	for _, step := range []struct {
		query string
		scan  func(rows) error
	}{
		{`SELECT ` + plainUserCols + ` FROM users WHERE company = $1`, func(r rows) error {
			var x plainUser
			err := r.Scan(&x.id, &x.company, &x.site, &x.first, &x.last, &x.email, &x.ext, &x.station, &x.voice, &x.callerID, &x.status, &x.extID, &x.version)
			users.add(x)
			return err
		}},
		{`SELECT ` + plainNumberCols + ` FROM numbers WHERE company = $1`, func(r rows) error {
			var x plainNumber
			err := r.Scan(&x.e164, &x.company, &x.site, &x.label, &x.kind, &x.user, &x.hunt, &x.aa, &x.routing, &x.saved, &x.holiday, &x.sms, &x.location, &x.version)
			numbers.add(x)
			return err
		}},
		{`SELECT mac, company, model, version FROM devices WHERE company = $1`, func(r rows) error {
			var x plainDevice
			err := r.Scan(&x.mac, &x.company, &x.model, &x.version)
			devices.add(x)
			return err
		}},
		{`SELECT l.mac, l.port, COALESCE(l.user_id, ''), COALESCE(l.number, ''), l.lines, l.version
			FROM device_lines l WHERE l.company = $1`, func(r rows) error {
			var x plainLine
			err := r.Scan(&x.mac, &x.port, &x.user, &x.number, &x.lines, &x.version)
			lines.add(x)
			return err
		}},
	} {
		n, err := q.each(ctx, step.query, step.scan, company)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// plainAll scans every number (10 columns) and every user of the store.
func plainAll(ctx context.Context, q querier) (int, error) {
	type number struct {
		e164, company, site, label, kind, user, routing, saved string
		sms                                                    bool
		location                                               string
	}
	var numbers chunks[number]
	n1, err := q.each(ctx, `SELECT e164, company, site, label, target_kind, COALESCE(target_user, ''), routing, saved_routing, sms,
		COALESCE(location, '') FROM numbers`, func(r rows) error {
		var x number
		err := r.Scan(&x.e164, &x.company, &x.site, &x.label, &x.kind, &x.user, &x.routing, &x.saved, &x.sms, &x.location)
		numbers.add(x)
		return err
	})
	if err != nil {
		return n1, err
	}
	var users chunks[plainUser]
	n2, err := q.each(ctx, `SELECT `+plainUserCols+` FROM users`, func(r rows) error {
		var x plainUser
		err := r.Scan(&x.id, &x.company, &x.site, &x.first, &x.last, &x.email, &x.ext, &x.station, &x.voice, &x.callerID, &x.status, &x.extID, &x.version)
		users.add(x)
		return err
	})
	return n1 + n2, err
}
