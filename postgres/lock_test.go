package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

// lockFixture is a seeded store in a schema of its own, and a second session
// on the same schema to hold locks with.
func lockFixture(t *testing.T) (*postgres.Store, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	base := storetest.PostgresURL(t)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("pbxsync_lock_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close(context.Background())
	})
	url := storetest.WithSearchPath(base, schema)
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close(context.Background()) })
	return s, other
}

func rename(v int64, name string) *plan.Plan {
	return storetest.NewPlan(storetest.Acme,
		storetest.Change(plan.KindUser, plan.Update, string(storetest.JDoe), v, plan.AttrFirstName, name))
}

// TestApplyLocked: while another run holds the company, Apply waits for
// LockTimeout, then fails with pbx.ErrLocked.
func TestApplyLocked(t *testing.T) {
	ctx := context.Background()
	s, other := lockFixture(t)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT id FROM companies WHERE id = $1 FOR UPDATE", storetest.Acme); err != nil {
		t.Fatal(err)
	}
	s.LockTimeout = 150 * time.Millisecond
	start := time.Now()
	res, err := s.Apply(ctx, rename(1, "J"))
	if !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("Apply while the company is held: %+v, %v; want an error wrapping pbx.ErrLocked", res, err)
	}
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("Apply gave up after %s, before the lock timeout", waited)
	}
	// Another company is not held.
	if err := s.Seed(ctx, storetest.GlobexSeed()); err != nil {
		t.Fatal(err)
	}
	g := storetest.NewPlan(storetest.Globex, storetest.Change(plan.KindUser, plan.Update, string(storetest.WCoyote), 1, plan.AttrFirstName, "W"))
	if res, err := s.Apply(ctx, g); err != nil || res.Rollback {
		t.Fatalf("Apply for another company while acme is held: %+v, %v", res, err)
	}
}

// TestApplyWaitsThenSeesStale: a run that waited for the company lock
// checks versions only once it holds it, so it sees what the other run
// wrote and fails with pbx.ErrStale instead of overwriting it.
func TestApplyWaitsThenSeesStale(t *testing.T) {
	ctx := context.Background()
	s, other := lockFixture(t)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SELECT id FROM companies WHERE id = $1 FOR UPDATE", storetest.Acme); err != nil {
		t.Fatal(err)
	}
	type result struct {
		res *plan.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := s.Apply(ctx, rename(1, "Second"))
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
	if !r.res.Rollback || len(r.res.Failed) != 1 || !errors.Is(r.res.Failed[0].Err, pbx.ErrStale) {
		t.Fatalf("Apply after the other run: %+v, want a rollback wrapping pbx.ErrStale", r.res)
	}
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if u := st.Users[storetest.JDoe]; u.FirstName != "First" || u.Version != 2 {
		t.Errorf("user after both runs: %+v, want the first run's write", u)
	}
}
