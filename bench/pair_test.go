package bench_test

import (
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/bench"
	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/storetest"
)

// databases runs f on a fresh embedded store and a fresh PostgreSQL
// database of its own (a comparison copies the whole database, which
// PostgreSQL does only when nobody else is connected to it: not the shared
// test database), each holding smallState.
func databases(t *testing.T, f func(t *testing.T, db string)) { onBoth(t, testDatabase, f) }

// testDatabase creates an empty database on the test server, dropped when
// the test ends, and returns its URL.
func testDatabase(t *testing.T) string {
	t.Helper()
	base := storetest.PostgresURL(t)
	ctx := context.Background()
	b := make([]byte, 6)
	rand.Read(b)
	name := "pbxsync_bench_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close(ctx)
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close(ctx)
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// The comparison runs the same roster with numbers given and auto, each on
// a copy of the store, and leaves the store and no copy behind.
func TestCompareAuto(t *testing.T) {
	databases(t, func(t *testing.T, db string) {
		ctx := context.Background()
		dir := t.TempDir()
		before := companyUsers(t, db, "c0001")
		o := bench.Options{DB: db, Dir: dir, NoFloor: true,
			Roster: gen.RosterSpec{Company: "c0001", Rows: 2000, New: 0.9, Changes: 0.05, Leavers: 0.01, Moves: 0.01, Mistakes: 0.01, Seed: 1}}
		c, err := bench.CompareAuto(ctx, o, []string{bench.Auto, bench.Given})
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Problems) > 0 {
			t.Fatalf("problems: %v", c.Problems)
		}
		if !slices.Equal(c.Order, []string{bench.Auto, bench.Given}) || len(c.Copies) != 2 || c.Copies[0].Name != "copy for auto" {
			t.Errorf("order %v, copies %v: want auto first, each on its copy", c.Order, c.Copies)
		}
		g, a := c.Given, c.Auto
		if g.Statuses[plan.StatusCreated] != 1800 || !maps.Equal(g.Statuses, a.Statuses) || g.Changes != a.Changes {
			t.Errorf("given %v (%d changes), auto %v (%d changes): want the same outcomes, 1800 created",
				g.Statuses, g.Changes, a.Statuses, a.Changes)
		}
		if a.Applied != a.Changes || a.ResyncChanges != 0 || a.ResyncFullChanges != 0 || a.ResyncFull.Rows != 2000 {
			t.Errorf("auto: applied %d of %d, re-sync %d, --full %d changes over %d rows: want all applied and nothing picked again",
				a.Applied, a.Changes, a.ResyncChanges, a.ResyncFullChanges, a.ResyncFull.Rows)
		}
		if c.RatioWall <= 0 || c.RatioCPU <= 0 {
			t.Errorf("ratios %v %v", c.RatioWall, c.RatioCPU)
		}
		// The auto roster is the given one with the new users' number and
		// extension cells saying auto.
		gr, ar := readCSV(t, g.Roster), readCSV(t, a.Roster)
		if len(gr) != len(ar) {
			t.Fatalf("rosters of %d and %d lines", len(gr), len(ar))
		}
		autos := 0
		for i := range gr {
			for j := range gr[i] {
				if gr[i][j] == ar[i][j] {
					continue
				}
				if j != 4 && j != 5 || !strings.HasPrefix(ar[i][j], "auto") {
					t.Fatalf("line %d column %d: given %q, auto %q", i+1, j+1, gr[i][j], ar[i][j])
				}
				autos++
			}
		}
		if autos != 2*1800 {
			t.Errorf("%d auto cells, want 3600 (a number and an extension for each new user)", autos)
		}
		if after := companyUsers(t, db, "c0001"); after != before {
			t.Errorf("the store itself went from %d to %d users of c0001; the runs must write only to their copies", before, after)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "store.*")); len(left) > 0 {
			t.Errorf("copies left behind: %v", left)
		}
		if gen.IsPostgres(db) {
			conn, err := pgx.Connect(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			var n int
			if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname LIKE current_database() || '\_bench\_%'`).Scan(&n); err != nil || n != 0 {
				t.Errorf("%d copies of the database left behind (%v)", n, err)
			}
		}
	})
}

func TestParseOrder(t *testing.T) {
	for in, ok := range map[string]bool{"given,auto": true, "auto, given": true, "auto": false, "given,given": false, "auto,given,auto": false, "": false} {
		order, err := bench.ParseOrder(in)
		if (err == nil) != ok || ok && len(order) != 2 {
			t.Errorf("ParseOrder(%q) = %v, %v", in, order, err)
		}
	}
}

func companyUsers(t *testing.T, db, company string) int {
	t.Helper()
	ctx := context.Background()
	st, err := gen.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	live, err := st.Load(ctx, company)
	if err != nil {
		t.Fatal(err)
	}
	return len(live.Users)
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}
