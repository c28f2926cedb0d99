package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestApplyLocked: while another process writes to the file, Apply waits
// for the busy timeout, then fails with pbx.ErrLocked and writes nothing;
// once the other writer is done, the same plan applies.
func TestApplyLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := openSeeded(t, path) // migrated
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	s.LockWait = 100 * time.Millisecond
	p := storetest.NewPlan(storetest.Acme, storetest.Change(plan.KindUser, plan.Update, string(storetest.JDoe), 1, plan.AttrFirstName, "J"))
	start := time.Now()
	res, err := s.Apply(ctx, p, apply.Options{})
	if !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("Apply while another writer holds the file: %+v, %v; want an error wrapping pbx.ErrLocked", res, err)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("Apply gave up after %s, before the busy timeout", waited)
	}

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	res, err = s.Apply(ctx, p, apply.Options{})
	if err != nil || res.Rollback {
		t.Fatalf("Apply once the other writer is done: %+v, %v", res, err)
	}
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if u := st.Users[storetest.JDoe]; u.FirstName != "J" || u.Version != 2 {
		t.Errorf("after the retry: %+v, want first name J at version 2", u)
	}
}

// TestOpenRejects: a path the DSN cannot carry is refused with a hint.
func TestOpenRejects(t *testing.T) {
	for _, path := range []string{"", "a?b.db"} {
		if s, err := sqlite.Open(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}

// openSeeded opens the file at path, migrated, closed when the test ends.
func openSeeded(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// acmeWithSQL opens a new store seeded with the acme company, and the same
// file on a connection of its own, as another process would see it.
func acmeWithSQL(t *testing.T) (*sqlite.Store, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := openSeeded(t, path)
	if err := s.Seed(context.Background(), storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

func rename(v int64, name string) *plan.Plan {
	return storetest.NewPlan(storetest.Acme, storetest.Change(plan.KindUser, plan.Update, string(storetest.JDoe), v, plan.AttrFirstName, name))
}

// TestApplyLockedNamesTheHolder: a second process's apply while a first one
// is under way waits, then is refused with the first run's number, host and
// process; once the first is done, the second's stale change is refused.
func TestApplyLockedNamesTheHolder(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := openSeeded(t, path)
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	second := openSeeded(t, path)
	second.LockWait = 150 * time.Millisecond
	paused, resume := make(chan struct{}), make(chan struct{})
	sqlite.SetHook(s, func(ctx context.Context, batch, change int, pid uint32) {
		if change == -1 && batch == 1 {
			close(paused)
			<-resume
		}
	})
	p := rename(1, "First")
	p.Changes = append(p.Changes, storetest.Change(plan.KindUser, plan.Update, string(storetest.ASmith), 1, plan.AttrFirstName, "A"))
	s.BatchRows = 1
	first := make(chan error, 1)
	var firstRes *plan.Result
	go func() {
		var err error
		firstRes, err = s.Apply(ctx, p, apply.Options{})
		first <- err
	}()
	<-paused // batch 1 written, not committed: the writer is busy

	start := time.Now()
	_, err := second.Apply(ctx, rename(1, "Second"), apply.Options{})
	var le *apply.LockedError
	if !errors.As(err, &le) || !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("second Apply while the first holds the writer: %v; want a *LockedError", err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("second Apply gave up after %s, before its lock wait", waited)
	}
	close(resume)
	// Between the first run's batches, the writer is free but the company is held.
	if err := <-first; err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	if firstRes.Applied != 2 || le.Run != firstRes.RunID {
		t.Fatalf("first Apply: %+v; the refusal named run %d", firstRes, le.Run)
	}
	res, err := second.Apply(ctx, rename(1, "Second"), apply.Options{})
	if err != nil || len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, pbx.ErrStale) {
		t.Fatalf("second Apply after the first: %+v, %v; want its change stale", res, err)
	}
}

// TestCompanyHeldBetweenBatches: while a run is between two batches, another
// store on the same file waits for the company, not just for the writer, and
// its refusal names the holder.
func TestCompanyHeldBetweenBatches(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := openSeeded(t, path)
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	second := openSeeded(t, path)
	second.LockWait = 100 * time.Millisecond
	var tried error
	var firstRun int64
	sqlite.SetHook(s, func(ctx context.Context, batch, change int, pid uint32) {
		if batch == 2 && change >= 0 && tried == nil {
			// batch 1 committed, batch 2 under way on the writer: let the
			// other store try in between (it waits for the writer, then
			// finds the company held).
			done := make(chan error)
			go func() { _, err := second.Apply(ctx, rename(1, "Second"), apply.Options{}); done <- err }()
			tried = <-done
		}
	})
	p := rename(1, "First")
	p.Changes = append(p.Changes, storetest.Change(plan.KindUser, plan.Update, string(storetest.ASmith), 1, plan.AttrFirstName, "A"))
	s.BatchRows = 1
	res, err := s.Apply(ctx, p, apply.Options{})
	if err != nil || res.Applied != 2 {
		t.Fatalf("first Apply: %+v, %v", res, err)
	}
	firstRun = res.RunID
	var le *apply.LockedError
	if !errors.As(tried, &le) || !errors.Is(tried, pbx.ErrLocked) {
		t.Fatalf("Apply between the batches of another run: %v; want a *LockedError", tried)
	}
	host, _ := os.Hostname()
	if le.Run != firstRun || le.PID != os.Getpid() || le.Host != host {
		t.Errorf("LockedError %+v, want run %d of pid %d on %s", le, firstRun, os.Getpid(), host)
	}
	for _, w := range []string{"company acme is being applied by run", fmt.Sprint(firstRun), le.Since.Local().Format("15:04"), host} {
		if !strings.Contains(tried.Error(), w) {
			t.Errorf("message %q does not say %q", tried, w)
		}
	}
}

// TestLockOfADeadRun: a lock whose holder's process is gone, or whose
// heartbeat is stale, is taken over, and the dead run marked interrupted.
func TestLockOfADeadRun(t *testing.T) {
	ctx := context.Background()
	host, _ := os.Hostname()
	for _, tc := range []struct {
		name      string
		host      string
		pid       int
		heartbeat time.Time
	}{
		{"process gone", host, 1 << 30, time.Now()},
		{"stale heartbeat", "elsewhere", 1, time.Now().Add(-time.Hour)},
		// by the lease alone, whatever the lock says of host and process:
		// the lease (30 s) expired, the process id is alive (reused)
		{"lease expired, pid reused", host, 1, time.Now().Add(-45 * time.Second)},
		{"lease expired, host renamed", "container-before-restart", 1, time.Now().Add(-45 * time.Second)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, db := acmeWithSQL(t)
			now := tc.heartbeat.UTC().Format(time.RFC3339Nano)
			if _, err := db.ExecContext(ctx, `INSERT INTO runs (id, started_at, finished_at, heartbeat, company, plan, outcome, host, pid)
				VALUES (7, ?1, ?1, ?1, 'acme', '{}', 'running', ?2, ?3)`, now, tc.host, tc.pid); err != nil {
				t.Fatal(err)
			}
			s.LockWait = 100 * time.Millisecond
			res, err := s.Apply(ctx, rename(1, "J"), apply.Options{})
			if err != nil || len(res.Failed) > 0 {
				t.Fatalf("Apply after a dead run: %+v, %v", res, err)
			}
			runs, err := s.Runs(ctx, storetest.Acme, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 2 || runs[0].Outcome != plan.RunApplied || runs[1].ID != 7 || runs[1].Outcome != plan.RunInterrupted {
				t.Fatalf("runs after: %+v; want this one applied and run 7 interrupted", runs)
			}
		})
	}
	// A live holder (this very process, on this host, fresh heartbeat) is waited for.
	s, db := acmeWithSQL(t)
	now := time.Now().UTC().Format(time.RFC3339Nano)
	if _, err := db.ExecContext(ctx, `INSERT INTO runs (id, started_at, finished_at, heartbeat, company, plan, outcome, host, pid)
		VALUES (7, ?1, ?1, ?1, 'acme', '{}', 'running', ?2, ?3)`, now, host, os.Getpid()); err != nil {
		t.Fatal(err)
	}
	s.LockWait = 100 * time.Millisecond
	if _, err := s.Apply(ctx, rename(1, "J"), apply.Options{}); !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("Apply while a live run holds the company: %v; want pbx.ErrLocked", err)
	}
}

// TestLostLockStops: a run whose lock was taken over (it stalled past the
// stale limit) stops at its next batch instead of writing beside the new
// holder; what it wrote before stays.
func TestLostLockStops(t *testing.T) {
	ctx := context.Background()
	s, db := acmeWithSQL(t)
	sqlite.SetHook(s, func(ctx context.Context, batch, change int, pid uint32) {
		if batch == 1 && change == -2 { // batch 1 committed: another run takes the lock over, settling this one
			if _, err := db.ExecContext(ctx, `UPDATE runs SET outcome = 'interrupted' WHERE company = 'acme' AND outcome = 'running'`); err != nil {
				t.Error(err)
			}
		}
	})
	s.BatchRows = 1
	p := rename(1, "First")
	p.Changes = append(p.Changes, storetest.Change(plan.KindUser, plan.Update, string(storetest.ASmith), 1, plan.AttrFirstName, "A"))
	res, err := s.Apply(ctx, p, apply.Options{})
	if !errors.Is(err, pbx.ErrLocked) || res == nil || res.Applied != 1 {
		t.Fatalf("Apply that lost its lock: %+v, %v; want batch 1 written, then pbx.ErrLocked", res, err)
	}
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if st.Users[storetest.JDoe].FirstName != "First" || st.Users[storetest.ASmith].FirstName != "Ann" {
		t.Errorf("after the lost lock: jdoe %q, asmith %q; want only batch 1 written", st.Users[storetest.JDoe].FirstName, st.Users[storetest.ASmith].FirstName)
	}
	runs, err := s.Runs(ctx, storetest.Acme, 0)
	if err != nil || len(runs) != 1 || runs[0].Outcome != plan.RunInterrupted || runs[0].Applied != 1 {
		t.Fatalf("runs: %+v, %v; want one interrupted run that applied 1 change", runs, err)
	}
}

// TestReadersDuringWrite: while a run holds the file's write lock longer
// than the busy timeout (inside a batch), another process's commands that
// only read (migration check, companies, load, runs) answer at once; a
// write gives up after the busy timeout with an error that names the run
// holding the file, not a raw "database is locked".
func TestReadersDuringWrite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := openSeeded(t, path)
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	inBatch, release := make(chan struct{}), make(chan struct{})
	sqlite.SetHook(s, func(_ context.Context, _, change int, _ uint32) {
		if change == -1 { // in the batch's transaction, before its commit
			close(inBatch)
			<-release
		}
	})
	applied := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, rename(1, "J"), apply.Options{})
		applied <- err
	}()
	<-inBatch
	defer func() {
		close(release)
		if err := <-applied; err != nil {
			t.Errorf("the writer: %v", err)
		}
	}()

	r, err := sqlite.Open(ctx, path) // another process, as far as SQLite is concerned
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.BusyTimeout = 300 * time.Millisecond
	start := time.Now()
	if err := r.Migrate(ctx); err != nil {
		t.Fatalf("Migrate of a current schema while a batch is written: %v", err)
	}
	if _, err := r.Companies(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := r.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if u := st.Users[storetest.JDoe]; u.Version != 1 {
		t.Errorf("a reader sees the batch before its commit: %+v", u)
	}
	runs, err := r.Runs(ctx, storetest.Acme, 0)
	if err != nil || len(runs) != 1 || runs[0].Outcome != plan.RunRunning {
		t.Fatalf("runs while the run is under way: %+v, %v", runs, err)
	}
	if took := time.Since(start); took > r.BusyTimeout {
		t.Errorf("the readers took %s: they waited for the writer", took)
	}
	err = r.Seed(ctx, storetest.AcmeSeed())
	if !errors.Is(err, pbx.ErrLocked) || !strings.Contains(err.Error(), fmt.Sprintf("run %d of company acme", runs[0].ID)) ||
		strings.Contains(err.Error(), "SQLITE_BUSY") {
		t.Errorf("a write while the file is held: %v; want pbx.ErrLocked naming run %d", err, runs[0].ID)
	}
}

// TestLongBatchRenewsLease: a batch that holds the writer longer than a
// third of the lease (the keep-alive cannot renew it meanwhile) renews
// the lease as it commits, so that a run waiting for the file does not
// find it stale the moment the batch ends.
func TestLongBatchRenewsLease(t *testing.T) {
	ctx := context.Background()
	s, db := acmeWithSQL(t)
	s.StaleLock = 600 * time.Millisecond
	var age time.Duration
	sqlite.SetHook(s, func(ctx context.Context, batch, change int, pid uint32) {
		switch change {
		case -1: // in the batch, before its commit: longer than a third of the lease
			time.Sleep(400 * time.Millisecond)
		case -2: // committed
			var beat string
			if err := db.QueryRowContext(ctx, `SELECT heartbeat FROM runs WHERE outcome = 'running'`).Scan(&beat); err != nil {
				t.Error(err)
				return
			}
			at, err := time.Parse(time.RFC3339Nano, beat)
			if err != nil {
				t.Error(err)
			}
			age = time.Since(at)
		}
	})
	if _, err := s.Apply(ctx, rename(1, "J"), apply.Options{}); err != nil {
		t.Fatal(err)
	}
	if age == 0 || age > 150*time.Millisecond {
		t.Errorf("the heartbeat was %s old when the long batch committed; want it renewed at the commit", age)
	}
}
