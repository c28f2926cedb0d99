package sqlstore

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// A company's generation is raised by one in every transaction that writes
// its live state. A run records the generation it left when nothing but
// the run itself wrote to the company between the plan's reading and the
// run's end, so that UnchangedSince can tell that a company is as that run
// left it.

// BumpGeneration raises the generation of company, in tx.
func BumpGeneration(ctx context.Context, tx Q, d Dialect, company string) error {
	if _, err := tx.Exec(ctx, `UPDATE companies SET generation = generation + 1 WHERE id = $1`, company); err != nil {
		return fmt.Errorf("%s: raising the generation of company %s: %w", d.Name(), company, err)
	}
	return nil
}

// GenerationAfter returns the generation a run ending now leaves, or nil
// (NULL) when it is not known to be the state the plan saw plus the run's
// own writes: the plan does not say what it read, or someone else wrote
// to the company between the plan and the lock (a seed takes no company
// lock), or during the run. gen is the company's generation when the run
// took the lock, commits the batches with changes it committed since.
func GenerationAfter(ctx context.Context, tx Q, company string, gen int64, commits int, p *plan.Plan, t *apply.Tally) (any, error) {
	if !apply.MayRecordGeneration(p, t, gen) {
		return nil, nil
	}
	var now int64
	if err := tx.QueryRow(ctx, `SELECT generation FROM companies WHERE id = $1`, company).Scan(&now); err != nil {
		return nil, err
	}
	if !apply.OnlyOwnWrites(now, gen, commits) {
		return nil, nil
	}
	return now, nil
}

// FinishRun records in tx how run ended: the changes it never reached (as
// notes), its outcome and counts, finished at now (the SQL of the time, as
// in StartRun), and, when it still holds its company (held), the
// generation it left.
func FinishRun(ctx context.Context, tx Q, now string, run *Run, p *plan.Plan, t *apply.Tally, held bool) error {
	if notes := t.NotRunNotes(); len(notes) > 0 {
		b := apply.Batch{Notes: notes, Seq: t.Seq}
		if err := RecordBatch(ctx, tx, run.Company, run.ID, b, apply.EncodeBatch(p, b)); err != nil {
			return err
		}
	}
	var genAfter any
	if held {
		var err error
		if genAfter, err = GenerationAfter(ctx, tx, run.Company, run.Gen, run.Commits, p, t); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `UPDATE runs SET outcome = $2, finished_at = `+now+`, applied = $3, failed = $4, skipped = $5, batches = $6,
			generation_after = $7
		WHERE company = $8 AND id = $1`, run.ID, string(t.Outcome), t.Applied, t.Failed, t.Skipped, t.Batches, genAfter, run.Company)
	return err
}
