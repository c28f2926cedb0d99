package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// engine is the store's side of sqlstore.Engine.
type engine struct {
	dialect
	s *Store
}

// Snapshot runs read in a repeatable-read, read-only transaction.
func (e engine) Snapshot(ctx context.Context, read func(sqlstore.Q) error) error {
	return pgx.BeginTxFunc(ctx, e.s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly},
		func(tx pgx.Tx) error { return read(q{tx}) })
}

// Settle tells what became of a run recorded as running whose process is
// gone (nobody holds its company's lock): done when its committed batches
// settled every change, interrupted otherwise (apply.Settled). Whether the
// lock is held is asked with SKIP LOCKED, which never waits; a database
// that does not let this user ask (a read-only role or replica) leaves the
// run as recorded.
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

// Write runs write in a transaction of its own.
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
		counted := apply.Tally{Outcome: t.Outcome, NotRun: t.NotRun} // the notes are batch 0
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
