package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

// lockFixture is a seeded store in a schema of its own, and a second session
// on the same schema to hold locks with.
func lockFixture(t *testing.T) (*postgres.Store, *pgx.Conn, string) {
	t.Helper()
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.Distribute(t, ctx, s)
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close(context.Background()) })
	return s, other, url
}

func rename(v int64, name string) *plan.Plan {
	return storetest.NewPlan(storetest.Acme,
		storetest.Change(plan.KindUser, plan.Update, string(storetest.JDoe), v, plan.AttrFirstName, name))
}

// holdCompany takes acme's lock row from another session, as a run would.
func holdCompany(t *testing.T, other *pgx.Conn) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	if _, err := other.Exec(ctx, "INSERT INTO company_locks (company) VALUES ($1) ON CONFLICT DO NOTHING", storetest.Acme); err != nil {
		t.Fatal(err)
	}
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(context.Background()) })
	if _, err := tx.Exec(ctx, "SELECT 1 FROM company_locks WHERE company = $1 FOR UPDATE", storetest.Acme); err != nil {
		t.Fatal(err)
	}
	return tx
}

// TestApplyLocked: while another run holds the company, Apply waits for
// LockWait, then fails with pbx.ErrLocked; another company is not held.
func TestApplyLocked(t *testing.T) {
	ctx := context.Background()
	s, other, _ := lockFixture(t)
	holdCompany(t, other)
	s.LockWait = 150 * time.Millisecond
	start := time.Now()
	res, err := s.Apply(ctx, rename(1, "J"), apply.Options{})
	if !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("Apply while the company is held: %+v, %v; want an error wrapping pbx.ErrLocked", res, err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("Apply gave up after %s, before the lock wait", waited)
	}
	if err := s.Seed(ctx, storetest.GlobexSeed()); err != nil {
		t.Fatal(err)
	}
	g := storetest.NewPlan(storetest.Globex, storetest.Change(plan.KindUser, plan.Update, string(storetest.WCoyote), 1, plan.AttrFirstName, "W"))
	if res, err := s.Apply(ctx, g, apply.Options{}); err != nil || res.Rollback || len(res.Failed) > 0 {
		t.Fatalf("Apply for another company while acme is held: %+v, %v", res, err)
	}
}

// TestApplyLockedNamesTheHolder: a second apply while a first one is under
// way is refused with the first run's number, host and process.
func TestApplyLockedNamesTheHolder(t *testing.T) {
	ctx := context.Background()
	s, _, url := lockFixture(t)
	paused, resume := make(chan struct{}), make(chan struct{})
	postgres.SetHook(s, func(ctx context.Context, batch, change int, pid uint32) {
		if change == -1 {
			close(paused)
			<-resume
		}
	})
	first := make(chan error, 1)
	var firstRes *plan.Result
	go func() {
		var err error
		firstRes, err = s.Apply(ctx, rename(1, "First"), apply.Options{})
		first <- err
	}()
	<-paused

	second, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	second.LockWait = 100 * time.Millisecond
	_, err = second.Apply(ctx, rename(1, "Second"), apply.Options{})
	var le *apply.LockedError
	if !errors.As(err, &le) || !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("second Apply: %v; want a *LockedError wrapping pbx.ErrLocked", err)
	}
	host, _ := os.Hostname()
	if le.Company != storetest.Acme || le.PID != os.Getpid() || le.Host != host || le.Run <= 0 {
		t.Errorf("LockedError %+v: want acme held by this process on %s", le, host)
	}
	msg := err.Error()
	for _, w := range []string{"company acme is being applied by run", fmt.Sprint(le.Run), le.Since.Local().Format("15:04"), fmt.Sprint(os.Getpid()), host} {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not say %q", msg, w)
		}
	}
	close(resume)
	if err := <-first; err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	if firstRes.RunID != le.Run {
		t.Errorf("the holder named is run %d, the first apply was run %d", le.Run, firstRes.RunID)
	}
	// Once the first is done, the second's plan is stale: it is refused, never overwrites.
	res, err := second.Apply(ctx, rename(1, "Second"), apply.Options{})
	if err != nil || len(res.Failed) != 1 || !errors.Is(res.Failed[0].Err, pbx.ErrStale) {
		t.Fatalf("second Apply after the first: %+v, %v; want its change stale", res, err)
	}
}

// TestApplyWaitsThenSeesStale: a run that waited for the company lock
// checks versions only once it holds it, so it sees what the other run
// wrote and fails with pbx.ErrStale instead of overwriting it.
func TestApplyWaitsThenSeesStale(t *testing.T) {
	ctx := context.Background()
	s, other, _ := lockFixture(t)
	tx := holdCompany(t, other)
	type result struct {
		res *plan.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := s.Apply(ctx, rename(1, "Second"), apply.Options{})
		done <- result{res, err}
	}()
	time.Sleep(100 * time.Millisecond) // let Apply queue on the lock
	if _, err := tx.Exec(ctx, "UPDATE users SET first_name = 'First', version = version + 1 WHERE user_id = $1", string(storetest.JDoe)); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("Apply: %v", r.err)
	}
	if r.res.Rollback || len(r.res.Failed) != 1 || !errors.Is(r.res.Failed[0].Err, pbx.ErrStale) {
		t.Fatalf("Apply after the other run: %+v, want its change failed wrapping pbx.ErrStale", r.res)
	}
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if u := st.Users[storetest.JDoe]; u.FirstName != "First" || u.Version != 2 {
		t.Errorf("user after both runs: %+v, want the first run's write", u)
	}
}

// TestLockOfADeadRun: a run whose process died leaves its run 'running';
// the server released its lock with its connection, so the next run goes
// ahead and marks the dead one interrupted.
func TestLockOfADeadRun(t *testing.T) {
	ctx := context.Background()
	s, other, _ := lockFixture(t)
	if _, err := other.Exec(ctx, `INSERT INTO runs (started_at, finished_at, company, plan, outcome, host, pid)
		VALUES (now(), now(), $1, '{}', 'running', 'gone-host', 1)`, storetest.Acme); err != nil {
		t.Fatal(err)
	}
	res, err := s.Apply(ctx, rename(1, "J"), apply.Options{})
	if err != nil || len(res.Failed) > 0 {
		t.Fatalf("Apply after a dead run: %+v, %v", res, err)
	}
	runs, err := s.Runs(ctx, storetest.Acme, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].Outcome != plan.RunApplied || runs[1].Outcome != plan.RunInterrupted {
		t.Fatalf("runs after: %+v; want this one applied and the dead one interrupted", runs)
	}
}

// TestApplyGivesUpOnALockedRow: a row the batch reads is locked by another
// session: Apply gives up after LockWait with pbx.ErrLocked instead of
// waiting for that session to end. On Citus the wait is on a worker, which
// sees the lock timeout only as a SET LOCAL the coordinator propagates.
func TestApplyGivesUpOnALockedRow(t *testing.T) {
	ctx := context.Background()
	s, other, _ := lockFixture(t)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback(context.Background()) })
	if _, err := tx.Exec(ctx, "UPDATE users SET first_name = 'Held' WHERE company = $1 AND user_id = $2", storetest.Acme, string(storetest.JDoe)); err != nil {
		t.Fatal(err)
	}
	const hold = 8 * time.Second
	go func() { time.Sleep(hold); tx.Rollback(context.Background()) }()
	s.LockWait = time.Second
	start := time.Now()
	res, err := s.Apply(ctx, rename(1, "Second"), apply.Options{})
	took := time.Since(start)
	if took > 4*time.Second {
		t.Errorf("Apply took %s with a lock wait of %s: it waited for the other session (held %s)", took.Round(time.Millisecond), s.LockWait, hold)
	}
	failed := err != nil && errors.Is(err, pbx.ErrLocked)
	if res != nil && len(res.Failed) == 1 && errors.Is(res.Failed[0].Err, pbx.ErrLocked) {
		failed = true
	}
	if !failed {
		t.Errorf("Apply while a row it reads is locked: %+v, %v; want it refused wrapping pbx.ErrLocked", res, err)
	}
}
