package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// recordChanges writes to the audit log, in a batch's transaction, what
// the batch decided: the changes it wrote and the notes.
func recordChanges(ctx context.Context, tx pgx.Tx, run int64, p *plan.Plan, b apply.Batch) error {
	if len(b.Changes)+len(b.Notes) == 0 {
		return nil
	}
	return recordEncoded(ctx, tx, run, b, apply.EncodeBatch(p, b))
}

// recordEncoded records a batch's changes encoded by apply.EncodeBatch,
// and raises the run's counts by the batch (countBatch).
func recordEncoded(ctx context.Context, tx pgx.Tx, run int64, b apply.Batch, changes string) error {
	tag, err := tx.Exec(ctx, `INSERT INTO run_batches (run_id, batch, changes) VALUES ($1, $2, $3)
		ON CONFLICT (run_id, batch) DO NOTHING`, run, b.Number, changes)
	if err != nil || tag.RowsAffected() == 0 {
		return err // recorded already: counted already
	}
	return countBatch(ctx, tx, run, b)
}

// countBatch raises the run's counts, in a batch's transaction, by what
// the batch wrote and decided, so that they are those of its committed
// batches whatever becomes of the process (see apply.Settled).
func countBatch(ctx context.Context, tx pgx.Tx, run int64, b apply.Batch) error {
	applied, failed, skipped, batches := apply.BatchCounts(b)
	if applied+failed+skipped+batches == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `UPDATE runs SET applied = applied + $2, failed = failed + $3, skipped = skipped + $4,
		batches = batches + $5 WHERE id = $1`, run, applied, failed, skipped, batches)
	return err
}

// locked calls o.Locked once the run holds the company (see
// apply.Options.Locked): a plan it replaces is recorded in the run; when
// it errs or leaves nothing to write, the run is given up as if it never
// began (its record deleted; the lock goes with the caller's release) and
// done is true.
func (s *Store) locked(ctx context.Context, lk *companyLock, p *plan.Plan, o apply.Options) (done bool, err error) {
	replanned, err := o.Locked(ctx, apply.Lock{Waited: lk.waited, Holder: lk.holder, Generation: lk.gen})
	if err == nil && !replanned {
		return false, nil
	}
	if err == nil && !p.Empty() {
		header := *p
		header.Changes = nil
		planJSON, jerr := json.Marshal(&header)
		if jerr != nil {
			err = jerr
		} else if _, err = s.pool.Exec(ctx, `UPDATE runs SET plan = $2, changes = $3, mode = $4, roster = $5, roster_hash = $6,
				options_hash = $7 WHERE id = $1`, lk.run, string(planJSON), len(p.Changes), string(p.Mode), p.Roster, p.RosterHash, p.OptionsHash); err == nil {
			return false, nil
		}
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	s.pool.Exec(fctx, `DELETE FROM runs WHERE id = $1`, lk.run)
	return true, err
}

// settle tells what became of runs recorded as running whose process is
// gone (nobody holds their company's lock): done when their committed
// batches settled every change, interrupted otherwise (apply.Settled).
// Whether the lock is held is asked with SKIP LOCKED, which never waits;
// a database that does not let this user ask (a read-only role or
// replica) leaves the run as recorded.
func (s *Store) settle(ctx context.Context, runs []plan.Run) error {
	for i := range runs {
		r := &runs[i]
		if r.Outcome != plan.RunRunning {
			continue
		}
		free := false
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			err := tx.QueryRow(ctx, `SELECT true FROM company_locks WHERE company = $1 FOR UPDATE SKIP LOCKED`, r.Company).Scan(&free)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			continue
		}
		if free {
			r.Outcome = apply.Settled(*r)
		}
	}
	return nil
}

// finishRun records how the run ended and the changes it never reached. A
// cut-off run's counts come from the audit log itself: a batch whose commit
// went unanswered may have committed.
func (s *Store) finishRun(ctx context.Context, lk *companyLock, p *plan.Plan, t *apply.Tally) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := recordChanges(ctx, tx, lk.run, p, apply.Batch{Notes: t.NotRunNotes()}); err != nil {
			return err
		}
		if t.Outcome != plan.RunInterrupted {
			// The generation the run left, read while it holds the company.
			genAfter, err := generationAfter(ctx, tx, lk, p, t)
			if err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE runs SET outcome = $2, finished_at = now(), applied = $3, failed = $4, skipped = $5, batches = $6,
					generation_after = $7
				WHERE id = $1`, lk.run, string(t.Outcome), t.Applied, t.Failed, t.Skipped, t.Batches, genAfter)
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE runs SET outcome = $2, finished_at = now(),
				applied = c.applied, failed = c.failed, skipped = c.skipped, batches = c.batches
			FROM (SELECT count(*) FILTER (WHERE e->>'outcome' = 'applied') AS applied,
					count(*) FILTER (WHERE e->>'outcome' = 'failed') AS failed,
					count(*) FILTER (WHERE e->>'outcome' = 'skipped') AS skipped,
					count(DISTINCT b.batch) AS batches
				FROM run_batches b, json_array_elements(b.changes::json) e WHERE b.run_id = $1 AND b.batch > 0) AS c
			WHERE id = $1`, lk.run, string(t.Outcome))
		return err
	})
}

// runColumns are the columns of a plan.Run, in scanRun's order.
const runColumns = `id, company, who, host, pid, started_at, finished_at, mode, roster, roster_hash, atomic, outcome,
	changes, batches, applied, failed, skipped`

func scanRun(row pgx.Row) (plan.Run, error) {
	var (
		r             plan.Run
		mode, outcome string
		finished      time.Time
	)
	err := row.Scan(&r.ID, &r.Company, &r.Who, &r.Host, &r.PID, &r.StartedAt, &finished, &mode, &r.Roster, &r.RosterHash,
		&r.Atomic, &outcome, &r.Changes, &r.Batches, &r.Applied, &r.Failed, &r.Skipped)
	r.Mode, r.Outcome = plan.Mode(mode), plan.RunOutcome(outcome)
	r.StartedAt = r.StartedAt.UTC()
	if r.Outcome != plan.RunRunning {
		r.FinishedAt = finished.UTC()
	}
	return r, err
}

// Runs lists the runs of a company in the audit log, newest first; limit
// <= 0 lists them all.
func (s *Store) Runs(ctx context.Context, company string, limit int) ([]plan.Run, error) {
	q := `SELECT ` + runColumns + ` FROM runs WHERE company = $1 ORDER BY id DESC`
	args := []any{company}
	if limit > 0 {
		q += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: listing the runs of company %s: %w", company, err)
	}
	runs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (plan.Run, error) { return scanRun(r) })
	if err == nil {
		err = s.settle(ctx, runs)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: listing the runs of company %s: %w", company, err)
	}
	for i := range runs {
		if r := runs[i]; r.Outcome == plan.RunInterrupted && r.Applied+r.Failed+r.Skipped == 0 {
			// recorded before runs were counted batch by batch: counted
			// from the audit log itself
			rec, err := s.Run(ctx, runs[i].ID)
			if err != nil {
				return nil, err
			}
			runs[i] = rec.Run
		}
	}
	return runs, nil
}

// Run reads one run back from the audit log: the run, its plan, and what
// became of each change. A missing run wraps pbx.ErrNotFound.
func (s *Store) Run(ctx context.Context, id int64) (*plan.RunRecord, error) {
	var rec *plan.RunRecord
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		r, err := scanRun(tx.QueryRow(ctx, `SELECT `+runColumns+` FROM runs WHERE id = $1`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("%w: run %d is not in the audit log (pbxsync runs lists them)", pbx.ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		var planJSON []byte
		if err := tx.QueryRow(ctx, `SELECT plan FROM runs WHERE id = $1`, id).Scan(&planJSON); err != nil {
			return err
		}
		if rec, err = apply.NewRunRecord(r, planJSON); err != nil {
			return err
		}
		// Runs recorded before run_batches: one row per change.
		rows, err := tx.Query(ctx, `SELECT seq, kind, key, action, fields::text, outcome, error FROM run_changes WHERE run_id = $1 ORDER BY seq`, id)
		if err != nil {
			return err
		}
		var old []apply.ChangeRecord
		for rows.Next() {
			var cr apply.ChangeRecord
			var fields []byte
			if err := rows.Scan(&cr.Seq, &cr.Kind, &cr.Key, &cr.Action, &fields, &cr.Outcome, &cr.Error); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal(fields, &cr.Fields); err != nil {
				rows.Close()
				return fmt.Errorf("run %d: change %d: %w", id, cr.Seq, err)
			}
			old = append(old, cr)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(old) > 0 {
			b, _ := json.Marshal(old)
			if err := apply.DecodeBatch(rec, b); err != nil {
				return fmt.Errorf("run %d: %w", id, err)
			}
		}
		batches, err := tx.Query(ctx, `SELECT changes FROM run_batches WHERE run_id = $1 ORDER BY batch`, id)
		if err != nil {
			return err
		}
		defer batches.Close()
		for batches.Next() {
			var data []byte
			if err := batches.Scan(&data); err != nil {
				return err
			}
			if err := apply.DecodeBatch(rec, data); err != nil {
				return fmt.Errorf("run %d: %w", id, err)
			}
		}
		return batches.Err()
	})
	if err == nil {
		runs := []plan.Run{rec.Run}
		err = s.settle(ctx, runs)
		rec.Run = runs[0]
	}
	if err != nil {
		if errors.Is(err, pbx.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("postgres: reading run %d: %w", id, err)
	}
	if rec.Outcome == plan.RunInterrupted {
		apply.Recount(rec)
	}
	return rec, nil
}

// RunOutcome reads back from the audit log the outcome of run id and the
// outcome of each of its changes, in plan order. A missing run wraps
// pbx.ErrNotFound.
func (s *Store) RunOutcome(ctx context.Context, id int64) (string, []string, error) {
	rec, err := s.Run(ctx, id)
	if err != nil {
		return "", nil, err
	}
	changes := make([]string, len(rec.Outcomes))
	for i, c := range rec.Outcomes {
		changes[i] = c.Outcome
	}
	return string(rec.Outcome), changes, nil
}
