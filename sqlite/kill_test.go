package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// The process TestKilledApply kills: when the test binary is started with
// these set, it applies the scenario's plan to the file and kills itself
// (SIGKILL, no deferred code, no closing of the run) at hook event KillAt.
const (
	envKillDB = "PBXSYNC_TEST_KILL_DB"
	envKillAt = "PBXSYNC_TEST_KILL_AT"
)

func TestMain(m *testing.M) {
	if db := os.Getenv(envKillDB); db != "" {
		at, _ := strconv.Atoi(os.Getenv(envKillAt))
		if err := applyAndDie(db, at); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// killScenario is the roster TestKilledApply applies, in batches of
// killBatchRows rows.
var killScenario = storetest.Mixed(8)

const killBatchRows = 3

// applyAndDie applies the scenario's plan to the store in db and, when at
// > 0, kills this process at hook event at.
func applyAndDie(db string, at int) error {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, db)
	if err != nil {
		return err
	}
	s.BatchRows = killBatchRows
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		return err
	}
	p, err := killScenario.Plan(st, killScenario.Rows(st))
	if err != nil {
		return err
	}
	n := 0
	sqlite.SetHook(s, func(context.Context, int, int, uint32) {
		if n++; n == at {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
	})
	if _, err := s.Apply(ctx, p, apply.Options{}); err != nil {
		return err
	}
	return s.Close()
}

// TestKilledApply kills (SIGKILL) a process applying a roster to the
// embedded store at 10 points spread over the apply (between statements,
// just before and just after a batch's commit, the last one included), so
// the run is never closed. Then: no run stays "running" (its process is
// gone: the run is applied when its last batch committed, else
// interrupted, with the counts of its committed batches); planning the
// roster again and applying it ends in the export of an uninterrupted
// apply; the killed run (and the re-run) can be reverted, and reverting
// both gives back the export from before.
func TestKilledApply(t *testing.T) {
	ctx := context.Background()
	template := filepath.Join(t.TempDir(), "template.db")
	seed := openSeeded(t, template)
	if err := seed.Seed(ctx, killScenario.Seed); err != nil {
		t.Fatal(err)
	}
	seed.Close()
	fresh := func(t *testing.T) string {
		t.Helper()
		b, err := os.ReadFile(template)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "pbxsync.db")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}

	// The uninterrupted apply, counting its hook events, in this process.
	ref := openSeeded(t, fresh(t))
	beforeExport := storetest.ExportText(t, ref, storetest.Acme)
	ref.BatchRows = killBatchRows
	st, err := ref.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	rows := killScenario.Rows(st)
	p, err := killScenario.Plan(st, rows)
	if err != nil {
		t.Fatal(err)
	}
	events := 0
	sqlite.SetHook(ref, func(context.Context, int, int, uint32) { events++ })
	if res, err := ref.Apply(ctx, p, apply.Options{}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("uninterrupted apply: %+v, %v", res, err)
	}
	finalExport := storetest.ExportText(t, ref, storetest.Acme)
	const points = 10
	t.Logf("%d changes, %d points to kill at", len(p.Changes), events)

	for i := 0; i < points; i++ {
		k := 1 + i*(events-1)/(points-1)
		t.Run(fmt.Sprint("kill after ", k), func(t *testing.T) {
			db := fresh(t)
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), envKillDB+"="+db, envKillAt+"="+strconv.Itoa(k))
			var stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = io.Discard, &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the apply was not killed: %v\n%s", err, stderr.String())
			}

			s := openSeeded(t, db)
			runs, err := s.Runs(ctx, storetest.Acme, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 1 {
				t.Fatalf("runs: %+v", runs)
			}
			killed := runs[0]
			rec, err := s.Run(ctx, killed.ID)
			if err != nil {
				t.Fatal(err)
			}
			applied := 0
			for _, o := range rec.Outcomes {
				if o.Outcome == plan.ChangeApplied {
					applied++
				}
			}
			switch {
			case killed.Outcome == plan.RunRunning || rec.Outcome != killed.Outcome:
				t.Errorf("the killed run is %q (read alone: %q)", killed.Outcome, rec.Outcome)
			case applied == len(p.Changes) && killed.Outcome != plan.RunApplied:
				t.Errorf("every batch of the killed run committed, but it is %q", killed.Outcome)
			case applied < len(p.Changes) && killed.Outcome != plan.RunInterrupted:
				t.Errorf("%d of %d changes committed, but the run is %q", applied, len(p.Changes), killed.Outcome)
			}
			if killed.Applied != applied {
				t.Errorf("the killed run counts %d changes applied, its batches recorded %d", killed.Applied, applied)
			}

			s.BatchRows = killBatchRows
			replan := func(st *pbx.State) (*plan.Plan, error) { return killScenario.Plan(st, rows) }
			storetest.RerunAndRevert(t, s, replan, killed.ID, finalExport, beforeExport)
		})
	}
}

// TestRunsRecountsInterrupted: a run marked interrupted before runs were
// counted batch by batch ("42127 changes in 0 batches: 0 applied") is
// listed and read with the counts of the changes its batches recorded.
func TestRunsRecountsInterrupted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := openSeeded(t, path)
	if err := s.Seed(ctx, killScenario.Seed); err != nil {
		t.Fatal(err)
	}
	s.BatchRows = killBatchRows
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	p, err := killScenario.Plan(st, killScenario.Rows(st))
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	sqlite.SetHook(s, func(_ context.Context, batch, change int, _ uint32) {
		if batch == 3 && change == -2 {
			cancel()
		}
	})
	res, err := s.Apply(cctx, p, apply.Options{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled apply: %v", err)
	}
	raw := rawDB(t, path)
	if _, err := raw.Exec(`UPDATE runs SET applied = 0, failed = 0, skipped = 0, batches = 0 WHERE id = ?`, res.RunID); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, storetest.Acme, 0)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := s.Run(ctx, res.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Outcome != plan.RunInterrupted || runs[0].Applied != res.Applied || res.Applied == 0 || rec.Applied != res.Applied {
		t.Errorf("runs: %+v, run: %+v; want interrupted with %d applied", runs, rec.Run, res.Applied)
	}
}

// rawDB opens the file at path with the driver alone, closed when the
// test ends.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
