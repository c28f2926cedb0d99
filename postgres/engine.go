package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

type engine struct {
	dialect
	s *Store
}

func (e engine) Snapshot(ctx context.Context, read func(sqlstore.Q) error) error {
	return pgx.BeginTxFunc(ctx, e.s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error { return read(q{tx}) })
}

// Settle asks whether the company's lock is held with SKIP LOCKED, which
// never waits; a database that does not let this user ask (a read-only
// role or replica) leaves the run as recorded.
func (e engine) Settle(ctx context.Context, r *plan.Run) error {
	if r.Outcome != plan.RunRunning {
		return nil
	}
	free := false
	err := pgx.BeginFunc(ctx, e.s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT true FROM company_locks WHERE company = $1 FOR UPDATE SKIP LOCKED`, r.Company).Scan(&free)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil && ctx.Err() == nil {
		return nil
	}
	if err == nil && free {
		r.Outcome = apply.Settled(*r)
	}
	return err
}

func (e engine) Write(ctx context.Context, _ string, write func(sqlstore.Q) error) error {
	return pgx.BeginFunc(ctx, e.s.pool, func(tx pgx.Tx) error { return write(q{tx}) })
}

// finishRun records how the run ended and the changes it never reached
// (sqlstore.FinishRun). A cut-off run's counts come from the audit log
// itself: a batch whose commit went unanswered may have committed.
func (s *Store) finishRun(ctx context.Context, lk *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if t.Outcome != plan.RunInterrupted {
			return sqlstore.FinishRun(ctx, q{tx}, "now()", lk, p, t, true)
		}
		// Counted first, written after: an UPDATE ... FROM a subquery is
		// one statement Citus plans only when it can prove both on one shard.
		counted := apply.Tally{Outcome: t.Outcome, NotRun: t.NotRun, Seq: t.Seq} // the notes are batch 0
		err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE e->>'outcome' = 'applied'),
				count(*) FILTER (WHERE e->>'outcome' = 'failed'),
				count(*) FILTER (WHERE e->>'outcome' = 'skipped'),
				count(DISTINCT b.batch)
			FROM run_batches b, json_array_elements(b.changes::json) e WHERE b.company = $2 AND b.run_id = $1 AND b.batch > 0`,
			lk.ID, lk.Company).Scan(&counted.Applied, &counted.Failed, &counted.Skipped, &counted.Batches)
		if err != nil {
			return err
		}
		return sqlstore.FinishRun(ctx, q{tx}, "now()", lk, p, &counted, false)
	})
}

// The store's side of Apply: the company's lock (lock.go), the batches'
// transactions, the run's end.

func (e engine) Lock(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, func(), error) {
	return e.s.lockCompany(ctx, p, atomic)
}

// GiveUp deletes the run (the lock goes with its release).
func (e engine) GiveUp(ctx context.Context, run *sqlstore.Run) {
	e.s.pool.Exec(ctx, `DELETE FROM runs WHERE company = $1 AND id = $2`, run.Company, run.ID)
}

// Finish records the run's end (finishRun), trying again on a fresh
// connection: the one the pool gave may have died with the run's batch (a
// lost connection).
func (e engine) Finish(ctx context.Context, run *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	err := e.s.finishRun(ctx, run, p, t)
	for try := 1; err != nil && try < 3 && ctx.Err() == nil; try++ {
		time.Sleep(time.Duration(try) * 50 * time.Millisecond)
		err = e.s.finishRun(ctx, run, p, t)
	}
	return err
}

// Begin begins a batch's transaction with the lock timeout set and checks
// that the run still holds its company (sqlstore.Fence).
func (e engine) Begin(ctx context.Context, run *sqlstore.Run, number int) (sqlstore.Tx, error) {
	tx, err := e.s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("beginning batch %d: %w", number, err)
	}
	t := &batchTx{q: q{tx}, tx: tx, s: e.s}
	// On Citus, a batch that changes the device catalogue (a reference
	// table) after a statement on every shard (othersChanged raises the
	// other companies' generation) is refused in the default parallel
	// mode; sequential changes only how such rare statements are sent.
	if err := setLockTimeout(ctx, tx, e.s.Wait(), "SET LOCAL citus.multi_shard_modify_mode = 'sequential'"); err != nil {
		t.End(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("batch %d: setting the lock timeout: %w", number, err)
	}
	if err := sqlstore.Fence(ctx, t.q, pg, run); err != nil {
		t.End(context.WithoutCancel(ctx))
		return nil, err
	}
	return t, nil
}

// batchTx is a batch's transaction (sqlstore.Tx).
type batchTx struct {
	q
	tx pgx.Tx
	s  *Store
}

// Bulk copies and sends arrays (setwise.go); the devices the batch creates
// are known to be the company's.
func (t *batchTx) Bulk(p *plan.Plan, b apply.Batch) sqlstore.Bulk {
	k := bulk{tx: t.tx, company: p.Company, created: map[string]bool{}}
	for _, i := range b.Changes {
		if ch := &p.Changes[i]; ch.Kind == plan.KindDevice && ch.Action == plan.Create {
			k.created[ch.Key] = true
		}
	}
	return k
}

// Aborted: a broken rule aborts a PostgreSQL transaction; the failure is
// explained on the pool once it is rolled back.
func (t *batchTx) Aborted() func(ctx context.Context) (sqlstore.Q, error) {
	return func(ctx context.Context) (sqlstore.Q, error) { return q{t.s.pool}, t.tx.Rollback(ctx) }
}

func (t *batchTx) Commit(ctx context.Context) error { return t.tx.Commit(ctx) }
func (t *batchTx) End(ctx context.Context)          { t.tx.Rollback(ctx) }
func (t *batchTx) PID() uint32                      { return t.tx.Conn().PgConn().PID() }
