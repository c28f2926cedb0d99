package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// syncBuffer is a bytes.Buffer safe to read while a command writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestWaitingWriterReplans: an apply that plans, then waits for the
// company's lock while another run changes a user its plan updates, plans
// the roster again once it holds the lock and writes that plan: exit 0,
// the roster's values in the live state, and stderr says it waited for
// which run and what changed. (Before, it wrote the plan made before the
// wait: the row failed as stale, exit 3.) A saved plan that waited so is
// refused as stale instead.
func TestWaitingWriterReplans(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pbxsync.db")
	c := cli{t, db}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	c.must(exitOK, "apply", "--yes", filepath.Join(demo, "onboarding.csv"))
	orig, err := os.ReadFile(filepath.Join(demo, "onboarding.csv"))
	if err != nil {
		t.Fatal(err)
	}
	roster := filepath.Join(dir, "renamed.csv")
	writeFile(t, roster, strings.Replace(string(orig), "Ann,Lee,", "Anna,Lee,", 1))
	saved := filepath.Join(dir, "renamed.plan.json")
	c.must(exitOK, "plan", "--out", saved, roster)

	raw, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(5000)") // pbxsync polls for the lock meanwhile
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	host, _ := os.Hostname()
	// Run 100 of this very process holds acme (a fresh lease).
	hold := func() {
		now := time.Now().UTC().Format(time.RFC3339Nano)
		if _, err := raw.Exec(`INSERT INTO runs (id, started_at, finished_at, heartbeat, company, plan, outcome, host, pid, changes)
			VALUES (100, ?1, ?1, ?1, 'acme', '{}', 'running', ?2, ?3, 1)`, now, host, os.Getpid()); err != nil {
			t.Fatal(err)
		}
	}
	// ... changes a user (another last name, a new version) and lets go.
	user := "alee@acme.example"
	write := func() { // in one transaction, as a run's last batch and its end
		tx, err := raw.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Commit()
		for _, q := range []string{
			`UPDATE users SET last_name = 'Lee-Park', version = version + 1 WHERE user_id = '` + user + `'`,
			`UPDATE companies SET generation = generation + 1 WHERE id = 'acme'`,
			`UPDATE runs SET outcome = 'applied', applied = 1, batches = 1 WHERE id = 100`,
		} {
			if _, err := tx.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
	waiting := func(args ...string) (int, string) {
		hold()
		var out, errs syncBuffer
		done := make(chan int, 1)
		go func() {
			done <- run(context.Background(), append([]string{args[0], "--db", db}, args[1:]...), strings.NewReader(""), &out, &errs)
		}()
		// once it has planned, it waits for run 100
		planned := func() bool {
			return strings.Contains(errs.String(), "plan: ") || strings.Contains(errs.String(), "revert of run")
		}
		for deadline := time.Now().Add(4 * time.Second); !planned() && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond)
		write()
		return <-done, errs.String()
	}

	code, errs := waiting("apply", "--yes", roster)
	if code != exitOK || !strings.Contains(errs, "waited") || !strings.Contains(errs, "for run 100") || !strings.Contains(errs, "planning the roster again") {
		t.Fatalf("the waiting apply: exit %d\n%s", code, errs)
	}
	users := c.must(exitOK, "export", "--what", "users")
	if !strings.Contains(users, "alee@acme.example,Anna,Lee,") {
		t.Errorf("the roster's values are not in the live state:\n%s", users)
	}

	if _, err := raw.Exec(`DELETE FROM runs WHERE id = 100`); err != nil {
		t.Fatal(err)
	}
	code, errs = waiting("apply", saved)
	if code != exitFatal || !strings.Contains(errs, "stale") || !strings.Contains(errs, "for run 100") || !strings.Contains(errs, "row 2: user alee@acme.example is at version") {
		t.Fatalf("the waiting saved plan: exit %d\n%s", code, errs)
	}

	// A revert of run 1 that waits while run 100 changes bmartin plans
	// again: bmartin's row is refused (changed since), the others are
	// reverted, and nothing fails as it is written.
	if _, err := raw.Exec(`DELETE FROM runs WHERE id = 100`); err != nil {
		t.Fatal(err)
	}
	user = "bmartin@acme.example"
	code, errs = waiting("revert", "--yes", "--detailed-exitcode", "1")
	if code != exitPartial || !strings.Contains(errs, "planning it again") || strings.Contains(errs, "not written") {
		t.Fatalf("the waiting revert: exit %d\n%s", code, errs)
	}
	users = c.must(exitOK, "export", "--what", "users")
	if !strings.Contains(users, "bmartin@acme.example,Bob,Lee-Park") || strings.Contains(users, "cdiaz@") {
		t.Errorf("after the revert:\n%s", users)
	}
}

// TestReadOnlyCommandsDuringAWrite: while another process holds the
// embedded store's write lock (a long batch), validate, plan, runs and
// export answer at once from the last committed state (before, each
// waited 5 s for the write lock to check the schema, then failed with
// "database is locked").
func TestReadOnlyCommandsDuringAWrite(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "pbxsync.db")
	c := cli{t, db}
	c.must(exitOK, "init", "--seed", filepath.Join(demo, "company.json"))
	roster := filepath.Join(demo, "onboarding.csv")
	c.must(exitOK, "apply", "--yes", roster)

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	conn, err := raw.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(context.Background(), `ROLLBACK`)
	if _, err := conn.ExecContext(context.Background(), `UPDATE users SET first_name = 'Held' WHERE user_id = 'alee@acme.example'`); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for _, args := range [][]string{{"validate", roster}, {"plan", roster}, {"runs"}, {"export", "--what", "users"}} {
		want := exitOK
		if args[0] == "validate" {
			want = exitPartial // the demo's invalid rows
		}
		out := c.must(want, args...)
		if strings.Contains(out, "Held") {
			t.Errorf("%s sees the uncommitted write", args[0])
		}
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("the read-only commands took %s: they waited for the writer", took)
	}
}
