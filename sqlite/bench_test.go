package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// BenchmarkApplyOnboarding onboards N new users (each with a pool number, a
// desk phone and its line) into a fresh company of a store file that
// already holds PBXSYNC_BENCH_COMPANIES companies (default 50) of 10,000
// users, 20,000 numbers and 10,000 devices with a line each. The file is
// built once (in the system's temporary directory, kept between runs) and
// copied for every iteration; only Apply is timed.
//
//	go test ./sqlite -run XXX -bench ApplyOnboarding -benchtime 1x
func BenchmarkApplyOnboarding(b *testing.B) {
	template := bulkFile(b)
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ctx := context.Background()
			var total time.Duration
			for range b.N {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "pbxsync.db")
				copyFile(b, template, path)
				s, err := sqlite.Open(ctx, path)
				if err != nil {
					b.Fatal(err)
				}
				if err := s.Migrate(ctx); err != nil {
					b.Fatal(err)
				}
				sc := storetest.Onboarding(n)
				if err := s.Seed(ctx, sc.Seed); err != nil {
					b.Fatal(err)
				}
				st, err := s.Load(ctx, storetest.Acme)
				if err != nil {
					b.Fatal(err)
				}
				p, err := sc.Plan(st, sc.Rows(st))
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
				b.StopTimer()
				if err != nil || len(res.Failed) > 0 {
					b.Fatalf("Apply: %v (%d failed)", err, len(res.Failed))
				}
				s.Close()
			}
			b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "rows/s")
		})
	}
}

// bulkFile returns the path of a migrated store file holding the large
// live state, building it when missing.
func bulkFile(b *testing.B) string {
	companies := 50
	if v := os.Getenv("PBXSYNC_BENCH_COMPANIES"); v != "" {
		companies, _ = strconv.Atoi(v)
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("pbxsync-bench-sqlite-%d.db", companies))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	ctx := context.Background()
	start := time.Now()
	tmp := path + ".building"
	os.Remove(tmp)
	s, err := sqlite.Open(ctx, tmp)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if err := s.Seed(ctx, &pbx.Seed{Company: pbx.Company{ID: "bulk-models"}, Models: storetest.Models()}); err != nil {
		b.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", tmp+"?_pragma=foreign_keys(0)")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for c := 0; c < companies; c++ {
		co := fmt.Sprintf("bulk%03d", c)
		base := int64(20000+c) * 100000
		for _, q := range []string{
			`INSERT INTO companies (id, name, plan) VALUES (?1, ?1, 'C2')`,
			`INSERT INTO sites (company, code, region, ext_len) VALUES (?1, 'hq', 'US', 6)`,
			`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 10000)
			 INSERT INTO users (user_id, company, site, first_name, last_name, email, extension, station_type, voice_enabled, status, version)
			 SELECT 'u' || i || '@' || ?1 || '.example', ?1, 'hq', 'First', 'Last ' || i, 'u' || i || '@' || ?1 || '.example',
			 	CAST(100000 + i AS TEXT), 'standard', 1, 'active', 1 FROM g`,
			`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 20000)
			 INSERT INTO numbers (e164, company, site, target_kind, target_user, routing, saved_routing, version)
			 SELECT '+1' || (?2 + i), ?1, 'hq', CASE WHEN i <= 10000 THEN 'user' ELSE '' END,
			 	CASE WHEN i <= 10000 THEN 'u' || i || '@' || ?1 || '.example' END,
			 	CASE WHEN i <= 10000 THEN 'ext:' || (100000 + i) ELSE 'aa:main' END,
			 	CASE WHEN i <= 10000 THEN 'aa:main' ELSE '' END, 1 FROM g`,
			`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 10000)
			 INSERT INTO devices (mac, company, model, version) SELECT printf('%012x', ?2 + i), ?1, 'yealink-t42g', 1 FROM g`,
			`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 10000)
			 INSERT INTO device_lines (company, mac, port, user_id, number, lines, version)
			 SELECT ?1, printf('%012x', ?2 + i), 1, 'u' || i || '@' || ?1 || '.example', '+1' || (?2 + i), 1, 1 FROM g`,
		} {
			if _, err := tx.ExecContext(ctx, q, co, base); err != nil {
				b.Fatalf("building company %s: %v", co, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	os.Remove(tmp + "-wal")
	os.Remove(tmp + "-shm")
	b.Logf("built the live state (%d companies) in %s", companies, time.Since(start).Round(time.Millisecond))
	return path
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
