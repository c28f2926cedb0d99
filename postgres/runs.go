package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Outcomes of a run and of its changes in the audit log.
const (
	OutcomeApplied    = "applied"     // the run or change was written
	OutcomeRolledBack = "rolled back" // the run failed: nothing was written
	OutcomeFailed     = "failed"      // the change that made the run fail
	OutcomeSkipped    = "skipped"     // a change after the failing one, never tried
)

// recordRun writes the run and one row per change (with COPY) to the audit
// log and returns the run's id.
func recordRun(ctx context.Context, tx pgx.Tx, who string, p *plan.Plan, started time.Time, res *plan.Result) (int64, error) {
	planJSON, err := json.Marshal(p)
	if err != nil {
		return 0, fmt.Errorf("encoding the plan: %w", err)
	}
	outcome := OutcomeApplied
	if res.Rollback {
		outcome = OutcomeRolledBack
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO runs (started_at, finished_at, who, company, mode, roster, roster_hash,
			plan, outcome, applied, failed)
		VALUES ($1, now(), $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		started, who, p.Company, string(p.Mode), p.Roster, p.RosterHash, string(planJSON), outcome,
		res.Applied, len(res.Failed)).Scan(&id)
	if err != nil {
		return 0, err
	}
	rows := make([][]any, len(p.Changes))
	for i, ch := range p.Changes {
		fields, err := json.Marshal(ch.Fields)
		if err != nil {
			return 0, fmt.Errorf("encoding change %d: %w", i, err)
		}
		if ch.Fields == nil {
			fields = []byte("[]")
		}
		outcome, reason := changeOutcome(res, i)
		rows[i] = []any{id, i, string(ch.Kind), ch.Key, string(ch.Action), string(fields), outcome, reason}
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"run_changes"},
		[]string{"run_id", "seq", "kind", "key", "action", "fields", "outcome", "error"}, pgx.CopyFromRows(rows))
	return id, err
}

// changeOutcome is what became of change i in a run with result res.
func changeOutcome(res *plan.Result, i int) (outcome, reason string) {
	if !res.Rollback {
		return OutcomeApplied, ""
	}
	first := len(res.Failed)
	for _, f := range res.Failed {
		if f.Change == i {
			return OutcomeFailed, f.Reason
		}
		first = min(first, f.Change)
	}
	if len(res.Failed) > 0 && i > first {
		return OutcomeSkipped, ""
	}
	return OutcomeRolledBack, ""
}

// RunOutcome reads back from the audit log the outcome of run id and the
// outcome of each of its changes, in plan order. A missing run wraps
// pbx.ErrNotFound.
func (s *Store) RunOutcome(ctx context.Context, id int64) (string, []string, error) {
	var outcome string
	err := s.pool.QueryRow(ctx, `SELECT outcome FROM runs WHERE id = $1`, id).Scan(&outcome)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil, fmt.Errorf("%w: run %d is not in the audit log", pbx.ErrNotFound, id)
	}
	if err != nil {
		return "", nil, fmt.Errorf("postgres: reading run %d: %w", id, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT outcome FROM run_changes WHERE run_id = $1 ORDER BY seq`, id)
	if err != nil {
		return "", nil, fmt.Errorf("postgres: reading run %d: %w", id, err)
	}
	changes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", nil, fmt.Errorf("postgres: reading run %d: %w", id, err)
	}
	return outcome, changes, nil
}
