package bench_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/roster"
	"github.com/pbxsync/pbxsync/storetest"
	"github.com/pbxsync/pbxsync/validate"
)

// The stage benchmarks run at a small size by default: a roster of 1,000
// rows (90% new users) against 3 companies of 1,000 users each. Set
// PBXSYNC_BENCH_ROWS to scale the roster and the state with it, e.g.
//
//	PBXSYNC_BENCH_ROWS=100000 go test -run X -bench . -benchtime 3x ./bench/
//
// The end-to-end command is `pbxsync bench`.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("PBXSYNC_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1000
}

// stageFixture is a generated state in an embedded store, a roster for its
// first company, and the roster read, mapped and validated once.
type stageFixture struct {
	dir     string
	db      string // the pristine store's file, never written after setup
	spec    gen.Spec
	roster  string
	records []roster.Record
	binding *mapping.Binding
	mapped  []*mapping.Mapped
	state   *pbx.State
	rows    []*pbx.Row
}

var (
	fixtureOnce sync.Once
	fixture     *stageFixture
	fixtureErr  error
)

func stateFor(rows int) gen.Spec {
	users := max(3000, rows/3)
	return gen.Spec{Seed: 1, Companies: 3, Users: users, Numbers: 4*users + rows, SitePool: rows + rows/10}
}

func getFixture(b *testing.B) *stageFixture {
	b.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = newFixture() })
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixture
}

func newFixture() (*stageFixture, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "pbxsync-stages-")
	if err != nil {
		return nil, err
	}
	n := benchRows()
	f := &stageFixture{dir: dir, db: filepath.Join(dir, "state.db"), spec: stateFor(n), roster: filepath.Join(dir, "roster.csv")}
	if _, err := gen.WriteState(ctx, f.db, f.spec, nil); err != nil {
		return nil, err
	}
	st, err := gen.OpenStore(ctx, f.db)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	ro, err := gen.RosterFromStore(ctx, st, gen.RosterSpec{Company: "c0001", Rows: n, New: 0.9, Changes: 0.05, Moves: 0.01, Seed: 1})
	if err != nil {
		return nil, err
	}
	if err := ro.WriteFile(f.roster); err != nil {
		return nil, err
	}
	if f.state, err = st.Load(ctx, "c0001"); err != nil {
		return nil, err
	}
	rd, err := roster.Open(f.roster, roster.Options{})
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	p, err := mapping.Builtin("pbxsync")
	if err != nil {
		return nil, err
	}
	f.binding, _ = p.Bind(rd.File(), rd.Sheet(), rd.HeaderRow(), rd.Headers())
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		f.records = append(f.records, rec)
	}
	c := validate.New(f.state)
	for _, rec := range f.records {
		m := f.binding.Map(rec.Row, rec.Values)
		f.mapped = append(f.mapped, m)
		if row, _ := c.Row(m); row != nil {
			f.rows = append(f.rows, row)
		}
	}
	if len(f.rows) != n {
		return nil, errors.New("the fixture roster has invalid rows")
	}
	return f, nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture != nil {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func rowsPerSec(b *testing.B, rows int) {
	b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkMap: each record's values bound to pbxsync's fields.
func BenchmarkMap(b *testing.B) {
	f := getFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, rec := range f.records {
			f.binding.Map(rec.Row, rec.Values)
		}
	}
	rowsPerSec(b, len(f.records))
}

// BenchmarkValidate: the field and row rules of every row, on one core
// (one Checker, as importer.Check uses).
func BenchmarkValidate(b *testing.B) {
	f := getFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		c := validate.New(f.state)
		for _, m := range f.mapped {
			c.Row(m)
		}
	}
	rowsPerSec(b, len(f.mapped))
}

// BenchmarkValidateRosterLive: the cross-row rules and the live-state rules.
func BenchmarkValidateRosterLive(b *testing.B) {
	f := getFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		validate.Roster(f.state, f.rows)
		validate.Live(f.state, f.rows)
	}
	rowsPerSec(b, len(f.rows))
}

// BenchmarkPlan: plan.Make of the valid rows against the loaded state.
func BenchmarkPlan(b *testing.B) {
	f := getFixture(b)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := plan.Make(f.state, f.rows, plan.Options{Mode: plan.Onboard}); err != nil {
			b.Fatal(err)
		}
	}
	rowsPerSec(b, len(f.rows))
}

// BenchmarkBatches: apply's cutting of the plan into groups (what must be
// written together) and batches, before the first batch is written.
func BenchmarkBatches(b *testing.B) {
	f := getFixture(b)
	p, err := plan.Make(f.state, f.rows, plan.Options{Mode: plan.Onboard})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		apply.Batches(p, 0)
	}
	rowsPerSec(b, len(f.rows))
}

// BenchmarkEncodeAudit: the audit records of every batch of the plan.
func BenchmarkEncodeAudit(b *testing.B) {
	f := getFixture(b)
	p, err := plan.Make(f.state, f.rows, plan.Options{Mode: plan.Onboard})
	if err != nil {
		b.Fatal(err)
	}
	batches := apply.Batches(p, 0)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i, cs := range batches {
			apply.EncodeBatch(p, apply.Batch{Number: i + 1, Changes: cs})
		}
	}
	rowsPerSec(b, len(f.rows))
}

// BenchmarkCheck: importer.Check of the roster file (load, read, map,
// validate, cross-row and live rules), on the embedded store.
func BenchmarkCheck(b *testing.B) {
	f := getFixture(b)
	st := openCopy(b, f)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := importer.Check(context.Background(), st, importer.Source{Path: f.roster}, importer.Options{Company: "c0001"}); err != nil {
			b.Fatal(err)
		}
	}
	rowsPerSec(b, len(f.records))
}

// BenchmarkLoad: Store.Load of the roster's company.
func BenchmarkLoad(b *testing.B) {
	f := getFixture(b)
	b.Run("sqlite", func(b *testing.B) { benchLoad(b, openCopy(b, f)) })
	b.Run("postgres", func(b *testing.B) { benchLoad(b, openPostgres(b, f)) })
}

func benchLoad(b *testing.B, st importer.Store) {
	b.ReportAllocs()
	b.ResetTimer()
	objects := 0
	for range b.N {
		live, err := st.Load(context.Background(), "c0001")
		if err != nil {
			b.Fatal(err)
		}
		objects = len(live.Users) + len(live.Numbers) + len(live.Devices) + len(live.Lines)
	}
	b.ReportMetric(float64(objects*b.N)/b.Elapsed().Seconds(), "objects/s")
}

// BenchmarkApply: Store.Apply of the roster's plan, each time on a fresh copy
// of the state (made with the timer stopped).
func BenchmarkApply(b *testing.B) {
	f := getFixture(b)
	b.Run("sqlite", func(b *testing.B) { benchApply(b, func() importer.Store { return openCopy(b, f) }) })
	b.Run("postgres", func(b *testing.B) { benchApply(b, func() importer.Store { return openPostgres(b, f) }) })
}

func benchApply(b *testing.B, fresh func() importer.Store) {
	ctx := context.Background()
	f := getFixture(b)
	changes := 0
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		st := fresh()
		p, _, err := importer.Plan(ctx, st, importer.Source{Path: f.roster}, importer.Options{Company: "c0001"})
		if err != nil {
			b.Fatal(err)
		}
		changes = len(p.Changes)
		b.StartTimer()
		res, err := importer.Apply(ctx, st, p, apply.Options{})
		if err != nil || res.Rollback {
			b.Fatalf("apply: %v %+v", err, res)
		}
	}
	rowsPerSec(b, len(f.records))
	b.ReportMetric(float64(changes*b.N)/b.Elapsed().Seconds(), "changes/s")
}

// openCopy opens a copy of the fixture's store, so that nothing a benchmark
// writes reaches the fixture.
func openCopy(b *testing.B, f *stageFixture) importer.Store {
	b.Helper()
	data, err := os.ReadFile(f.db)
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "copy.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	st, err := gen.OpenStore(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// openPostgres writes the fixture's state into a fresh PostgreSQL schema.
func openPostgres(b *testing.B, f *stageFixture) importer.Store {
	b.Helper()
	url := storetest.PostgresSchemaURL(b)
	if _, err := gen.WriteState(context.Background(), url, f.spec, nil); err != nil {
		b.Fatal(err)
	}
	st, err := gen.OpenStore(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}
