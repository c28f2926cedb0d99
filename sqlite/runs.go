package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// recordChanges writes to the audit log, in a batch's transaction, what
// the batch decided: the changes it wrote and the notes; and raises the
// run's counts by them, so that they are those of its committed batches
// whatever becomes of the process (see apply.Settled).
func recordChanges(ctx context.Context, tx *sql.Tx, run int64, p *plan.Plan, b apply.Batch) error {
	if len(b.Changes)+len(b.Notes) == 0 {
		return nil
	}
	res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO run_batches (run_id, batch, changes) VALUES (?1, ?2, ?3)`,
		run, b.Number, apply.EncodeBatch(p, b))
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return err // recorded already: counted already
	}
	applied, failed, skipped, batches := apply.BatchCounts(b)
	if _, err = tx.ExecContext(ctx, `UPDATE runs SET applied = applied + ?2, failed = failed + ?3, skipped = skipped + ?4,
		batches = batches + ?5 WHERE id = ?1`, run, applied, failed, skipped, batches); err != nil {
		return err
	}
	// The lease runs from the end of the batch: a run that waited for the
	// file while this batch was written finds the heartbeat fresh.
	_, err = tx.ExecContext(ctx, `UPDATE company_locks SET heartbeat = ?1 WHERE company = ?2 AND run_id = ?3`,
		time.Now().UTC().Format(time.RFC3339Nano), p.Company, run)
	return err
}

// locked calls o.Locked once the run holds the company (see
// apply.Options.Locked): a plan it replaces is recorded in the run; when
// it errs or leaves nothing to write, the run is given up as if it never
// began (its record and lock deleted) and done is true.
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
		} else if _, err = s.w.ExecContext(ctx, `UPDATE runs SET plan = ?2, changes = ?3, mode = ?4, roster = ?5, roster_hash = ?6,
				options_hash = ?7 WHERE id = ?1`, lk.run, string(planJSON), len(p.Changes), string(p.Mode), p.Roster, p.RosterHash, p.OptionsHash); err == nil {
			return false, nil
		}
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, aerr := s.w.ExecContext(fctx, `DELETE FROM company_locks WHERE company = ?1 AND run_id = ?2`, lk.company, lk.run); aerr == nil {
		s.w.ExecContext(fctx, `DELETE FROM runs WHERE id = ?1`, lk.run)
	}
	return true, err
}

// settle tells what became of a run recorded as running whose process is
// gone (no lock names it, or its lease expired): done when its committed
// batches settled every change, interrupted otherwise (apply.Settled).
func (s *Store) settle(ctx context.Context, r *plan.Run) error {
	if r.Outcome != plan.RunRunning {
		return nil
	}
	h, err := s.holderOf(ctx, r.Company)
	if err != nil {
		return err
	}
	if h != nil && h.run == r.ID && !h.gone(s.staleLock()) {
		return nil
	}
	r.Outcome = apply.Settled(*r)
	return nil
}

// finishRun records how the run ended and the changes it never reached,
// and releases the company.
func (s *Store) finishRun(ctx context.Context, lk *companyLock, p *plan.Plan, t *apply.Tally) error {
	conn, err := s.writer(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.lockErr(ctx, err, lk.company)
	}
	defer tx.Rollback()
	if err := recordChanges(ctx, tx, lk.run, p, apply.Batch{Notes: t.NotRunNotes()}); err != nil {
		return err
	}
	released, err := tx.ExecContext(ctx, `DELETE FROM company_locks WHERE company = ?1 AND run_id = ?2`, lk.company, lk.run)
	if err != nil {
		return err
	}
	// The generation the run left, read while it still holds the company
	// (a run whose stale lock another run took is past knowing it).
	var genAfter any
	if n, err := released.RowsAffected(); err == nil && n == 1 {
		if genAfter, err = generationAfter(ctx, tx, lk, p, t); err != nil {
			return err
		}
	}
	// The counts: SQLite commits what it says it committed, so the tally is
	// exact.
	_, err = tx.ExecContext(ctx, `UPDATE runs SET outcome = ?2, finished_at = ?3, applied = ?4, failed = ?5, skipped = ?6, batches = ?7,
			generation_after = ?8
		WHERE id = ?1`, lk.run, string(t.Outcome), time.Now().UTC().Format(time.RFC3339Nano), t.Applied, t.Failed, t.Skipped, t.Batches, genAfter)
	if err != nil {
		return err
	}
	return tx.Commit()
}

// runColumns are the columns of a plan.Run, in scanRun's order.
const runColumns = `id, company, who, host, pid, started_at, finished_at, mode, roster, roster_hash, atomic, outcome,
	changes, batches, applied, failed, skipped`

type scanner interface{ Scan(dest ...any) error }

func scanRun(row scanner) (plan.Run, error) {
	var (
		r                 plan.Run
		mode, outcome     string
		started, finished string
	)
	err := row.Scan(&r.ID, &r.Company, &r.Who, &r.Host, &r.PID, &started, &finished, &mode, &r.Roster, &r.RosterHash,
		&r.Atomic, &outcome, &r.Changes, &r.Batches, &r.Applied, &r.Failed, &r.Skipped)
	if err != nil {
		return r, err
	}
	r.Mode, r.Outcome = plan.Mode(mode), plan.RunOutcome(outcome)
	if r.StartedAt, err = time.Parse(time.RFC3339Nano, started); err != nil {
		return r, fmt.Errorf("run %d: start time %q: %w", r.ID, started, err)
	}
	if r.Outcome != plan.RunRunning {
		if r.FinishedAt, err = time.Parse(time.RFC3339Nano, finished); err != nil {
			return r, fmt.Errorf("run %d: end time %q: %w", r.ID, finished, err)
		}
	}
	return r, nil
}

// Runs lists the runs of a company in the audit log, newest first; limit
// <= 0 lists them all.
func (s *Store) Runs(ctx context.Context, company string, limit int) ([]plan.Run, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+runColumns+` FROM runs WHERE company = ?1 ORDER BY id DESC LIMIT ?2`, company, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing the runs of company %s: %w", company, err)
	}
	defer rows.Close()
	var runs []plan.Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: listing the runs of company %s: %w", company, err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: listing the runs of company %s: %w", company, err)
	}
	rows.Close()
	for i := range runs {
		if err := s.settle(ctx, &runs[i]); err != nil {
			return nil, fmt.Errorf("sqlite: listing the runs of company %s: %w", company, err)
		}
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
// A run recorded as running whose process is gone is told as done or
// interrupted (see settle), and an interrupted run's counts are those of
// the changes its committed batches recorded.
func (s *Store) Run(ctx context.Context, id int64) (*plan.RunRecord, error) {
	rec, err := s.readRun(ctx, id)
	if err == nil {
		err = s.settle(ctx, &rec.Run)
	}
	if err != nil && !errors.Is(err, pbx.ErrNotFound) {
		return nil, fmt.Errorf("sqlite: reading run %d: %w", id, err)
	}
	if err == nil && rec.Outcome == plan.RunInterrupted {
		apply.Recount(rec)
	}
	return rec, err
}

func (s *Store) readRun(ctx context.Context, id int64) (*plan.RunRecord, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r, err := scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: run %d is not in the audit log (pbxsync runs lists them)", pbx.ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	var planJSON string
	if err := tx.QueryRowContext(ctx, `SELECT plan FROM runs WHERE id = ?1`, id).Scan(&planJSON); err != nil {
		return nil, err
	}
	rec, err := apply.NewRunRecord(r, []byte(planJSON))
	if err != nil {
		return nil, err
	}
	// Runs recorded before run_batches: one row per change.
	rows, err := tx.QueryContext(ctx, `SELECT seq, kind, key, action, fields, outcome, error FROM run_changes WHERE run_id = ?1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	var old []apply.ChangeRecord
	for rows.Next() {
		var cr apply.ChangeRecord
		var fields string
		if err := rows.Scan(&cr.Seq, &cr.Kind, &cr.Key, &cr.Action, &fields, &cr.Outcome, &cr.Error); err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal([]byte(fields), &cr.Fields); err != nil {
			rows.Close()
			return nil, fmt.Errorf("run %d: change %d: %w", id, cr.Seq, err)
		}
		old = append(old, cr)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(old) > 0 {
		b, _ := json.Marshal(old)
		if err := apply.DecodeBatch(rec, b); err != nil {
			return nil, fmt.Errorf("run %d: %w", id, err)
		}
	}
	batches, err := tx.QueryContext(ctx, `SELECT changes FROM run_batches WHERE run_id = ?1 ORDER BY batch`, id)
	if err != nil {
		return nil, err
	}
	defer batches.Close()
	for batches.Next() {
		var data string
		if err := batches.Scan(&data); err != nil {
			return nil, err
		}
		if err := apply.DecodeBatch(rec, []byte(data)); err != nil {
			return nil, fmt.Errorf("run %d: %w", id, err)
		}
	}
	return rec, batches.Err()
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
