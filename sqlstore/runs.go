package sqlstore

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

// RecordBatch writes to the audit log, in a batch's transaction, what the
// batch decided (its changes and notes, encoded by apply.EncodeBatch), and
// raises the run's counts by them, so that they are those of its
// committed batches whatever becomes of the process (see apply.Settled).
// A batch recorded already (written again after a retry) is counted
// already and left as it is.
func RecordBatch(ctx context.Context, tx Q, company string, run int64, b apply.Batch, changes string) error {
	n, err := Counted(ctx, tx, `INSERT INTO run_batches (company, run_id, batch, changes) VALUES ($4, $1, $2, $3)
		ON CONFLICT (company, run_id, batch) DO NOTHING RETURNING 1`, run, b.Number, changes, company)
	if err != nil || n == 0 {
		return err
	}
	applied, failed, skipped, batches := apply.BatchCounts(b)
	if applied+failed+skipped+batches == 0 {
		return nil
	}
	_, err = tx.Exec(ctx, `UPDATE runs SET applied = applied + $2, failed = failed + $3, skipped = skipped + $4,
		batches = batches + $5 WHERE company = $6 AND id = $1`, run, applied, failed, skipped, batches, company)
	return err
}

// Locked calls o.Locked once run holds the company (see
// apply.Options.Locked): a plan it replaces is recorded in the run; when
// it errs or leaves nothing to write, giveUp deletes the run as if it
// never began and done is true.
func Locked(ctx context.Context, e Engine, run *Run, lock apply.Lock, p *plan.Plan, o apply.Options, giveUp func(context.Context)) (done bool, err error) {
	replanned, err := o.Locked(ctx, lock)
	if err == nil && !replanned {
		return false, nil
	}
	if err == nil && !p.Empty() {
		planJSON, jerr := header(p)
		if jerr != nil {
			err = jerr
		} else if err = e.Write(ctx, p.Company, func(q Q) error {
			_, err := q.Exec(ctx, `UPDATE runs SET plan = $2, changes = $3, mode = $4, roster = $5, roster_hash = $6,
				options_hash = $7 WHERE company = $8 AND id = $1`, run.ID, planJSON, len(p.Changes), string(p.Mode), p.Roster, p.RosterHash, p.OptionsHash, p.Company)
			return err
		}); err == nil {
			return false, nil
		}
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	giveUp(fctx)
	return true, err
}

// runColumns are the columns of a plan.Run, in scanRun's order.
const runColumns = `id, company, who, host, pid, started_at, finished_at, mode, roster, roster_hash, atomic, outcome,
	changes, batches, applied, failed, skipped`

// scanRun scans a row of runColumns, then of more.
func scanRun(row Row, more ...any) (plan.Run, error) {
	var (
		r                 plan.Run
		mode, outcome     string
		started, finished any // a time (PostgreSQL), RFC 3339 text (SQLite), or NULL
	)
	err := row.Scan(append([]any{&r.ID, &r.Company, &r.Who, &r.Host, &r.PID, &started, &finished, &mode, &r.Roster, &r.RosterHash,
		&r.Atomic, &outcome, &r.Changes, &r.Batches, &r.Applied, &r.Failed, &r.Skipped}, more...)...)
	if err != nil {
		return r, err
	}
	r.Mode, r.Outcome = plan.Mode(mode), plan.RunOutcome(outcome)
	if r.StartedAt, err = timeOf(started); err != nil {
		return r, fmt.Errorf("run %d: start time: %w", r.ID, err)
	}
	if r.Outcome != plan.RunRunning {
		if r.FinishedAt, err = timeOf(finished); err != nil {
			return r, fmt.Errorf("run %d: end time: %w", r.ID, err)
		}
	}
	return r, nil
}

// timeOf reads a time column as the driver gives it, in UTC.
func timeOf(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v.UTC(), nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		return t.UTC(), err
	case []byte:
		t, err := time.Parse(time.RFC3339Nano, string(v))
		return t.UTC(), err
	case nil:
		return time.Time{}, nil
	}
	return time.Time{}, fmt.Errorf("%v (%T) is no time", v, v)
}

// Runs lists the runs of a company in the audit log, newest first; limit
// <= 0 lists them all. A run recorded as running whose process is gone is
// told as done or interrupted (Engine.Settle), and an interrupted run's
// counts are those of the changes its committed batches recorded.
func (s *Store) Runs(ctx context.Context, company string, limit int) ([]plan.Run, error) {
	query := `SELECT ` + runColumns + ` FROM runs WHERE company = $1 ORDER BY id DESC`
	args := []any{company}
	if limit > 0 {
		query += ` LIMIT $2`
		args = append(args, limit)
	}
	var runs []plan.Run
	err := s.E.Snapshot(ctx, func(q Q) error {
		return each(ctx, q, query, func(r Rows) error {
			run, err := scanRun(r)
			runs = append(runs, run)
			return err
		}, args...)
	})
	for i := 0; err == nil && i < len(runs); i++ {
		err = s.E.Settle(ctx, &runs[i])
	}
	if err != nil {
		return nil, fmt.Errorf("%s: listing the runs of company %s: %w", s.E.Name(), company, err)
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
// became of each change. A missing run wraps pbx.ErrNotFound. A run
// recorded as running whose process is gone is told as done or
// interrupted (Engine.Settle), and an interrupted run's counts are those
// of the changes its committed batches recorded.
func (s *Store) Run(ctx context.Context, id int64) (rec *plan.RunRecord, err error) {
	err = s.E.Snapshot(ctx, func(q Q) error {
		rec, err = readRun(ctx, q, id)
		return err
	})
	if err == nil {
		err = s.E.Settle(ctx, &rec.Run)
	}
	if err != nil {
		if errors.Is(err, pbx.ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: reading run %d: %w", s.E.Name(), id, err)
	}
	if rec.Outcome == plan.RunInterrupted {
		apply.Recount(rec)
	}
	return rec, nil
}

func readRun(ctx context.Context, q Q, id int64) (*plan.RunRecord, error) {
	r, err := scanRun(q.QueryRow(ctx, `SELECT `+runColumns+` FROM runs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: run %d is not in the audit log (pbxsync runs lists them)", pbx.ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	// By id alone once (the caller knows no company: on a distributed
	// engine a read of every shard of runs, for one row); by company and
	// id after.
	var planJSON []byte
	if err := q.QueryRow(ctx, `SELECT plan FROM runs WHERE company = $1 AND id = $2`, r.Company, id).Scan(&planJSON); err != nil {
		return nil, err
	}
	rec, err := apply.NewRunRecord(r, planJSON)
	if err != nil {
		return nil, err
	}
	// Runs recorded before run_batches: one row per change.
	var old []apply.ChangeRecord
	err = each(ctx, q, `SELECT seq, kind, key, action, CAST(fields AS TEXT), outcome, error FROM run_changes WHERE company = $2 AND run_id = $1 ORDER BY seq`,
		func(r Rows) error {
			var cr apply.ChangeRecord
			var fields []byte
			if err := r.Scan(&cr.Seq, &cr.Kind, &cr.Key, &cr.Action, &fields, &cr.Outcome, &cr.Error); err != nil {
				return err
			}
			if err := json.Unmarshal(fields, &cr.Fields); err != nil {
				return fmt.Errorf("run %d: change %d: %w", id, cr.Seq, err)
			}
			old = append(old, cr)
			return nil
		}, id, r.Company)
	if err != nil {
		return nil, err
	}
	if len(old) > 0 {
		b, _ := json.Marshal(old)
		if err := apply.DecodeBatch(rec, b); err != nil {
			return nil, fmt.Errorf("run %d: %w", id, err)
		}
	}
	err = each(ctx, q, `SELECT changes FROM run_batches WHERE company = $2 AND run_id = $1 ORDER BY batch`, func(r Rows) error {
		var data []byte
		if err := r.Scan(&data); err != nil {
			return err
		}
		if err := apply.DecodeBatch(rec, data); err != nil {
			return fmt.Errorf("run %d: %w", id, err)
		}
		return nil
	}, id, r.Company)
	return rec, err
}

// UnchangedSince returns the newest run of company that applied the roster
// with hash rosterHash under the options with hash optionsHash in full
// (outcome applied, no change failed or skipped), after which nothing has
// been written to the company (its generation is the one the run left),
// with the plan the run recorded (its rows, summary and notes; not its
// changes). It returns nil when there is none.
func (s *Store) UnchangedSince(ctx context.Context, company, rosterHash, optionsHash string) (rec *plan.RunRecord, err error) {
	if rosterHash == "" || optionsHash == "" {
		return nil, nil
	}
	err = s.E.Snapshot(ctx, func(q Q) error {
		row := q.QueryRow(ctx, `SELECT `+runColumns+`, plan FROM runs
			WHERE company = $1 AND roster_hash = $2 AND options_hash = $3 AND outcome = $4 AND failed = 0 AND skipped = 0
				AND generation_after = (SELECT generation FROM companies WHERE id = $1)
			ORDER BY id DESC LIMIT 1`, company, rosterHash, optionsHash, string(plan.RunApplied))
		var planJSON []byte
		r, err := scanRun(row, &planJSON)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("looking for a run of the same roster: %w", err)
		}
		rec, err = apply.NewRunRecord(r, planJSON)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.E.Name(), err)
	}
	return rec, nil
}
