package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// DefaultLockWait is how long Apply waits for another run to release the
// company before failing with pbx.ErrLocked.
const DefaultLockWait = 5 * time.Second

// Where this process runs, recorded with every run.
var (
	Hostname, _ = os.Hostname()
	PID         = os.Getpid()
)

// Store is what both engines' stores are made of: the reads, Seed, Apply,
// and the settings a command may change. Each engine's Store embeds it.
type Store struct {
	E Engine
	Migrator
	Who string // the author recorded with every run: the operating-system user unless a command says
	// LockWait bounds Apply's wait for the company lock (and, on
	// PostgreSQL, for any row another session holds); 0 means
	// DefaultLockWait.
	LockWait  time.Duration
	BatchRows int    // roster rows per batch; 0 means apply.DefaultBatchRows
	Tune      Tuning // what a test changes in how batches are written
}

func NewStore(e Engine, m Migrator) Store {
	who := ""
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	return Store{E: e, Migrator: m, Who: who, LockWait: DefaultLockWait}
}

// ClaimTables: see Engine.
func (s *Store) ClaimTables() bool { return s.E.ClaimTables() }

// Wait is LockWait, or DefaultLockWait when it is not set.
func (s *Store) Wait() time.Duration {
	if s.LockWait > 0 {
		return s.LockWait
	}
	return DefaultLockWait
}

// StartRun records a run as running in tx once the run holds its company,
// and returns it and the company's generation. Any run of the company
// still marked running lost its lock (its process or connection died): it
// is settled first, done when its committed batches settled every change,
// else interrupted (apply.Settled). now is the SQL of the time: now() on
// PostgreSQL, a quoted RFC 3339 text on SQLite.
func (s *Store) StartRun(ctx context.Context, tx Q, now string, p *plan.Plan, atomic bool) (id, gen int64, err error) {
	planJSON, err := header(p)
	if err != nil {
		return 0, 0, err
	}
	if _, err := tx.Exec(ctx, `UPDATE runs SET outcome = `+apply.SettledSQL+`, finished_at = `+now+` WHERE company = $1 AND outcome = $2`,
		p.Company, string(plan.RunRunning)); err != nil {
		return 0, 0, err
	}
	if err := tx.QueryRow(ctx, `SELECT generation FROM companies WHERE id = $1`, p.Company).Scan(&gen); err != nil {
		return 0, 0, err
	}
	err = tx.QueryRow(ctx, `INSERT INTO runs (started_at, finished_at, heartbeat, who, company, mode, roster, roster_hash,
			plan, outcome, host, pid, atomic, changes, options_hash)
		VALUES (`+now+`, `+now+`, `+now+`, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		s.Who, p.Company, string(p.Mode), p.Roster, p.RosterHash, planJSON, string(plan.RunRunning),
		Hostname, PID, atomic, len(p.Changes), p.OptionsHash).Scan(&id)
	return id, gen, err
}

// header is the plan a run records: all but its changes, which its batches
// record.
func header(p *plan.Plan) (string, error) {
	h := *p
	h.Changes = nil
	b, err := json.Marshal(&h)
	if err != nil {
		return "", fmt.Errorf("encoding the plan: %w", err)
	}
	return string(b), nil
}

// Engine is what an engine package gives the shared store: its dialect,
// its transactions, and how it holds a company for a run.
type Engine interface {
	Dialect
	// Snapshot runs read in a read-only transaction that sees one
	// snapshot of the database.
	Snapshot(ctx context.Context, read func(Q) error) error
	// Write runs write in a transaction of its own, committed when write
	// returns nil; company, if any, is named when another writer holds it.
	Write(ctx context.Context, company string, write func(Q) error) error
	// Settle tells what became of r when it is recorded as running but its
	// process is gone (nobody holds its company): done when its committed
	// batches settled every change, interrupted otherwise (apply.Settled).
	Settle(ctx context.Context, r *plan.Run) error

	// Lock waits for the company's lock, then records the run (outcome
	// running, StartRun); release lets the company go (Apply has checked
	// that the company is there). A lock held longer than the wait wraps
	// pbx.ErrLocked.
	Lock(ctx context.Context, p *plan.Plan, atomic bool) (run *Run, release func(), err error)
	// Begin begins the transaction of batch number of run and checks in it
	// that the run still holds its company.
	Begin(ctx context.Context, run *Run, number int) (Tx, error)
	// Finish records how the run ended and the changes it never reached
	// (FinishRun).
	Finish(ctx context.Context, run *Run, p *plan.Plan, t *apply.Tally) error
	// GiveUp deletes a run that never wrote (apply.Options.Locked).
	GiveUp(ctx context.Context, run *Run)
	// ClaimTables reports whether the claims are tables that Apply writes
	// beside their objects (a schema distributed on Citus), not views of
	// the objects' own unique indexes (see claims.go).
	ClaimTables() bool
}

func (s *Store) Companies(ctx context.Context) (cs []pbx.Company, err error) {
	err = s.E.Snapshot(ctx, func(q Q) error {
		cs, err = companies(ctx, q, s.E)
		return err
	})
	return cs, err
}

// Load reads the whole of one company and the device catalogue (load).
func (s *Store) Load(ctx context.Context, company string) (st *pbx.State, err error) {
	err = s.E.Snapshot(ctx, func(q Q) error {
		st, err = load(ctx, q, s.E, company)
		return err
	})
	return st, err
}

// LoadForeign adds to st the objects of other companies that keys name
// (loadForeign).
func (s *Store) LoadForeign(
	ctx context.Context, st *pbx.State, keys pbx.Keys) error {
	return s.E.Snapshot(ctx, func(q Q) error { return loadForeign(ctx, q, s.E, st, keys) })
}
