package postgres_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

// The apply benchmarks onboard N new users (each with a pool number, a desk
// phone and its line, at an existing E911 address) into a fresh company of
// a store that already holds a large live state: PBXSYNC_BENCH_COMPANIES
// companies (default 50) of 10,000 users, 20,000 numbers (half assigned)
// and 10,000 devices with a line each, i.e. 500k users and 1M numbers. The
// live state is built once in the schema pbxsync_bench_apply and kept
// between runs (drop the schema to rebuild it).
//
//	PBXSYNC_TEST_DATABASE_URL=... go test ./postgres -run XXX -bench ApplyOnboarding -benchtime 1x
//
// BenchmarkApplyOnboarding/N/floor is the database's own floor for the same
// rows in the same run: one transaction that COPYs the users, assigns the
// pool numbers with one UPDATE ... FROM a COPYed temporary table (checking
// versions), COPYs the devices and INSERT ... SELECTs the lines.

const benchSchema = "pbxsync_bench_apply"

func benchURL(b *testing.B) string {
	base := storetest.PostgresURL(b)
	return storetest.WithSearchPath(base, benchSchema)
}

// bulkState builds the large live state once.
func bulkState(b *testing.B) {
	ctx := context.Background()
	companies := 50
	if v := os.Getenv("PBXSYNC_BENCH_COMPANIES"); v != "" {
		companies, _ = strconv.Atoi(v)
	}
	admin, err := pgx.Connect(ctx, storetest.PostgresURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+benchSchema); err != nil {
		b.Fatal(err)
	}
	s, err := postgres.Open(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var have int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM companies WHERE id LIKE 'bulk%'`).Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have >= companies {
		return
	}
	start := time.Now()
	if err := s.Seed(ctx, &pbx.Seed{Company: pbx.Company{ID: "bulk-models"}, Models: storetest.Models()}); err != nil {
		b.Fatal(err)
	}
	for c := have; c < companies; c++ {
		co := fmt.Sprintf("bulk%03d", c)
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			for _, q := range []string{
				`INSERT INTO companies (id, name, plan) VALUES ($1, $1, 'C2')`,
				`INSERT INTO sites (company, code, region, ext_len) VALUES ($1, 'hq', 'US', 6)`,
				`INSERT INTO users (user_id, company, site, first_name, last_name, email, extension, station_type, voice_enabled, status, version)
					SELECT 'u' || g || '@' || $1 || '.example', $1, 'hq', 'First', 'Last ' || g, 'u' || g || '@' || $1 || '.example',
						(100000 + g)::text, 'standard', true, 'active', 1
					FROM generate_series(1, 10000) g`,
				`INSERT INTO numbers (e164, company, site, target_kind, target_user, routing, saved_routing, version)
					SELECT '+1' || ($2::bigint * 100000 + g), $1, 'hq',
						CASE WHEN g <= 10000 THEN 'user' ELSE '' END,
						CASE WHEN g <= 10000 THEN 'u' || g || '@' || $1 || '.example' END,
						CASE WHEN g <= 10000 THEN 'ext:' || (100000 + g) ELSE 'aa:main' END,
						CASE WHEN g <= 10000 THEN 'aa:main' ELSE '' END, 1
					FROM generate_series(1, 20000) g`,
				`INSERT INTO devices (mac, company, model, version)
					SELECT lpad(to_hex($2::bigint * 100000 + g), 12, '0'), $1, 'yealink-t42g', 1 FROM generate_series(1, 10000) g`,
				`INSERT INTO device_lines (company, mac, port, user_id, number, lines, version)
					SELECT $1, lpad(to_hex($2::bigint * 100000 + g), 12, '0'), 1, 'u' || g || '@' || $1 || '.example',
						'+1' || ($2::bigint * 100000 + g), 1, 1
					FROM generate_series(1, 10000) g`,
			} {
				args := []any{co}
				if strings.Contains(q, "$2") {
					args = append(args, 20000+c)
				}
				if _, err := tx.Exec(ctx, q, args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatalf("building company %s: %v", co, err)
		}
	}
	if _, err := conn.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	b.Logf("built the live state (%d companies) in %s", companies, time.Since(start).Round(time.Millisecond))
}

var benchSeq = time.Now().UnixNano() % 100000

// onboardCompany creates a company with n pool numbers and returns the
// roster rows of n joiners for it.
func onboardCompany(b *testing.B, s *postgres.Store, conn *pgx.Conn, n int) (string, []*pbx.Row) {
	ctx := context.Background()
	benchSeq++
	co := fmt.Sprintf("target%05d", benchSeq)
	base := 30000 + benchSeq%60000
	loc := pbx.Location{ID: pbx.LocationID(storetest.HQ), Company: co, Address: storetest.HQ}
	sd := &pbx.Seed{Company: pbx.Company{ID: co, Name: co, Plan: "C2"}, Models: storetest.Models(), Locations: []pbx.Location{loc},
		Sites: []pbx.Site{{Code: "hq", Region: "US", ExtLen: 6}}}
	if err := s.Seed(ctx, sd); err != nil {
		b.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO numbers (e164, company, site, routing, version)
		SELECT '+1' || ($2::bigint * 1000000 + g), $1, 'hq', 'aa:main', 1 FROM generate_series(0, $3 - 1) g`, co, base, n); err != nil {
		b.Fatal(err)
	}
	rows := make([]*pbx.Row, n)
	for i := range rows {
		id := pbx.UserID(fmt.Sprintf("j%06d@%s.example", i, co))
		num := pbx.E164(fmt.Sprintf("+1%d", int64(base)*1000000+int64(i)))
		mac := pbx.MAC(fmt.Sprintf("%012x", (int64(base)*1000000+int64(i))*16))
		rows[i] = storetest.Joiner(i+2, id, pbx.Extension(fmt.Sprint(200000+i)), num, mac, "yealink-t42g", 1, storetest.HQ)
	}
	return co, rows
}

func BenchmarkApplyOnboarding(b *testing.B) {
	bulkState(b)
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.Run("apply", func(b *testing.B) { benchApply(b, n, 0) })
			if n <= 10_000 {
				b.Run("apply-change-by-change", func(b *testing.B) { benchApply(b, n, 1<<30) })
			}
			b.Run("floor", func(b *testing.B) { benchFloor(b, n) })
		})
	}
}

func benchApply(b *testing.B, n, setwiseFrom int) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	postgres.SetSetwiseFrom(s, setwiseFrom)
	if v := os.Getenv("PBXSYNC_BENCH_BATCH_ROWS"); v != "" {
		s.BatchRows, _ = strconv.Atoi(v)
	}
	conn, err := pgx.Connect(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var total time.Duration
	for range b.N {
		b.StopTimer()
		co, rows := onboardCompany(b, s, conn, n)
		st, err := s.Load(ctx, co)
		if err != nil {
			b.Fatal(err)
		}
		p, err := plan.Make(st, rows, plan.Options{Mode: plan.Onboard})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Changes) != 4*n {
			b.Fatalf("%d changes planned, want %d", len(p.Changes), 4*n)
		}
		b.StartTimer()
		start := time.Now()
		res, err := s.Apply(ctx, p, apply.Options{})
		total += time.Since(start)
		if err != nil || len(res.Failed) > 0 {
			b.Fatalf("Apply: %v (%d failed)", err, len(res.Failed))
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "rows/s")
}

// benchFloor loads the same rows as the onboarding by the database's
// fastest path, in one transaction.
func benchFloor(b *testing.B, n int) {
	ctx := context.Background()
	s, err := postgres.Open(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	pool, err := pgxpool.New(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	conn, err := pgx.Connect(ctx, benchURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var total time.Duration
	for range b.N {
		b.StopTimer()
		co, rows := onboardCompany(b, s, conn, n)
		users, numbers, devices := make([][]any, n), make([][]any, n), make([][]any, n)
		for i, r := range rows {
			u := r.User
			users[i] = []any{string(u.ID), co, "hq", u.FirstName, u.LastName, u.Email, string(u.Extension), "", "standard", true, "active", int64(1)}
			numbers[i] = []any{string(r.Numbers[0]), int64(1), "user", string(u.ID), "ext:" + string(u.Extension), "aa:main", pbx.LocationID(storetest.HQ)}
			devices[i] = []any{string(r.Device.MAC), co, "yealink-t42g", int64(1)}
		}
		b.StartTimer()
		start := time.Now()
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"users"}, []string{"user_id", "company", "site", "first_name", "last_name", "email",
				"extension", "ext_scope", "station_type", "voice_enabled", "status", "version"}, pgx.CopyFromRows(users)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `CREATE TEMP TABLE floor_numbers (e164 text, version bigint, target_kind text, target_user text,
				routing text, saved_routing text, location text) ON COMMIT DROP`); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"floor_numbers"}, []string{"e164", "version", "target_kind", "target_user",
				"routing", "saved_routing", "location"}, pgx.CopyFromRows(numbers)); err != nil {
				return err
			}
			tag, err := tx.Exec(ctx, `UPDATE numbers n SET target_kind = t.target_kind, target_user = t.target_user, routing = t.routing,
					saved_routing = t.saved_routing, location = t.location, version = n.version + 1
				FROM floor_numbers t WHERE n.e164 = t.e164 AND n.version = t.version AND n.company = $1`, co)
			if err != nil {
				return err
			}
			if tag.RowsAffected() != int64(n) {
				return fmt.Errorf("floor: %d numbers assigned, want %d", tag.RowsAffected(), n)
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"devices"}, []string{"mac", "company", "model", "version"}, pgx.CopyFromRows(devices)); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `INSERT INTO device_lines (company, mac, port, user_id, number, lines, version)
				SELECT $1, d.mac, 1, t.target_user, t.e164, 1, 1 FROM floor_numbers t
				JOIN devices d ON d.mac = lpad(to_hex(((substr(t.e164, 3))::bigint) * 16), 12, '0') AND d.company = $1`, co)
			return err
		})
		total += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "rows/s")
}
