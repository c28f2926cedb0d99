package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The company lock is a row lock on the company's row of company_locks,
// taken with SELECT ... FOR UPDATE in a transaction that a connection of its
// own keeps open for the whole run. A row lock rather than an advisory lock:
// it works the same on PostgreSQL-compatible distributed databases (Citus,
// CockroachDB, YugabyteDB), it is released by the server when the holder's
// connection dies, and a waiter's wait is bounded by lock_timeout.
//
// Who holds it is recorded in the holder's run (outcome 'running'), which
// the holder writes once it has the lock; a waiter that gives up reads it
// there to say who is in the way. Every batch goes on only while its run is
// still 'running' (sqlstore.Fence, which keeps the run's row locked until
// the batch ends): a run that lost its lock (its lock connection died and
// another run marked it interrupted) stops at its next batch instead of
// writing beside the new holder.

// lockCompany waits up to LockWait for the company's lock, then records the
// run (outcome 'running') and returns the held lock. A lock held longer
// than the wait wraps pbx.ErrLocked and says by which run.
func (s *Store) lockCompany(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, func(), error) {
	company := p.Company
	wait := s.Wait()
	// The run under way, if any: the one this run waits for.
	var running int64
	if err := s.pool.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM runs WHERE company = $1 AND outcome = $2`,
		company, string(plan.RunRunning)).Scan(&running); err != nil {
		return nil, nil, fmt.Errorf("postgres: looking up the runs of company %s: %w", company, err)
	}
	start := time.Now()
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("postgres: connecting to lock company %s: %w", company, err)
	}
	var tx pgx.Tx
	release := func() {
		if tx != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			tx.Rollback(ctx)
		}
		conn.Release()
	}
	if _, err := conn.Exec(ctx, `INSERT INTO company_locks (company) VALUES ($1) ON CONFLICT (company) DO NOTHING`, company); err != nil {
		release()
		return nil, nil, fmt.Errorf("postgres: locking company %s: %w", company, err)
	}
	tx, err = conn.Begin(ctx)
	if err != nil {
		tx = nil
		release()
		return nil, nil, fmt.Errorf("postgres: locking company %s: %w", company, err)
	}
	lk := &sqlstore.Run{Company: company}
	var one int
	err = setLockTimeout(ctx, tx, wait, "SET LOCAL idle_in_transaction_session_timeout = 0")
	if err == nil {
		err = tx.QueryRow(ctx, `SELECT 1 FROM company_locks WHERE company = $1 FOR UPDATE`, company).Scan(&one)
	}
	if err != nil {
		release()
		if lockNotAvailable(err) {
			return nil, nil, s.lockedError(context.WithoutCancel(ctx), company, wait)
		}
		return nil, nil, fmt.Errorf("postgres: locking company %s: %w", company, err)
	}
	lk.Waited = time.Since(start)
	if lk.ID, lk.Gen, err = s.startRun(ctx, p, atomic, wait); err != nil {
		release()
		return nil, nil, err
	}
	if running != lk.ID && lk.Waited > 50*time.Millisecond {
		lk.Holder = running // it was under way, and this run waited: for it
	}
	return lk, release, nil
}

// lockedError says who holds the company.
func (s *Store) lockedError(ctx context.Context, company string, wait time.Duration) error {
	h, err := sqlstore.Holder(ctx, q{s.pool}, company)
	if err != nil || h == nil {
		return fmt.Errorf("%w: company %s is being applied by another pbxsync run (waited %s); wait for it to finish and try again",
			pbx.ErrLocked, company, wait)
	}
	h.Waited = wait
	return &h.LockedError
}

// startRun records a run as 'running' (sqlstore.StartRun), once the
// company lock is held, waiting for a batch still being written no longer
// than wait.
func (s *Store) startRun(ctx context.Context, p *plan.Plan, atomic bool, wait time.Duration) (id, gen int64, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := setLockTimeout(ctx, tx, wait); err != nil {
			return err
		}
		id, gen, err = s.StartRun(ctx, q{tx}, `now()`, p, atomic)
		return err
	})
	if lockNotAvailable(err) {
		return 0, 0, fmt.Errorf("%w: company %s: a batch of an earlier run is still being written; wait for it to finish and try again", pbx.ErrLocked, p.Company)
	}
	if err != nil {
		return 0, 0, fmt.Errorf("postgres: recording the run: %w", err)
	}
	return id, gen, nil
}

// setLockTimeout gives up, for the rest of tx, waiting longer than wait for
// a row another session holds, and runs the other SET LOCALs in more.
// SET LOCAL, not set_config: on Citus the waits happen on the workers,
// which see the settings of the coordinator's transaction only as SET
// LOCAL commands it propagates (citus.propagate_set_commands = 'local';
// on a PostgreSQL without Citus that is a setting nobody reads).
func setLockTimeout(ctx context.Context, tx pgx.Tx, wait time.Duration, more ...string) error {
	sql := fmt.Sprintf("SET LOCAL citus.propagate_set_commands = 'local'; SET LOCAL lock_timeout = '%dms'", max(wait.Milliseconds(), 1))
	for _, m := range more {
		sql += "; " + m
	}
	_, err := tx.Exec(ctx, sql) // no arguments: the simple protocol, several statements
	return err
}
