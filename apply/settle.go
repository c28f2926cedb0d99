package apply

import "github.com/pbxsync/pbxsync/plan"

// A run's counts in the audit log are raised in each batch's own
// transaction (BatchCounts), so they are always those of its committed
// batches, whatever happens to the process after. A run still marked
// running whose process is gone is then told apart: when every change was
// settled (written, failed or skipped) its last batch committed and it is
// done; otherwise it was interrupted.

// BatchCounts are what a committed batch adds to its run's counts: the
// changes written, failed and skipped, and 1 batch (0 for the notes that
// close a run, batch number 0).
func BatchCounts(b Batch) (applied, failed, skipped, batches int) {
	for _, n := range b.Notes {
		switch n.Outcome {
		case plan.ChangeFailed:
			failed++
		case plan.ChangeSkipped:
			skipped++
		}
	}
	if b.Number > 0 {
		batches = 1
	}
	return len(b.Changes), failed, skipped, batches
}

// Settled is the outcome of a run that is no longer running (its process
// died, or it was cut off) from its counts: applied, partial or failed when
// a batch of it committed and every one of its changes was settled,
// interrupted otherwise.
func Settled(r plan.Run) plan.RunOutcome {
	return Outcome(r.Batches == 0 || r.Applied+r.Failed+r.Skipped < r.Changes, r.Applied, r.Failed+r.Skipped)
}

// Outcome is how a run ended: interrupted when it stopped before settling
// every change, else applied when no change failed or was skipped (notes),
// failed when none was applied, partial otherwise.
func Outcome(interrupted bool, applied, notes int) plan.RunOutcome {
	switch {
	case interrupted:
		return plan.RunInterrupted
	case notes == 0:
		return plan.RunApplied
	case applied == 0:
		return plan.RunFailed
	}
	return plan.RunPartial
}

// SettledSQL is Settled as an SQL expression over the columns of the runs
// table, the same in both stores' dialects.
const SettledSQL = `CASE WHEN batches = 0 OR applied + failed + skipped < changes THEN 'interrupted'
	WHEN failed + skipped = 0 THEN 'applied' WHEN applied = 0 THEN 'failed' ELSE 'partial' END`

// Recount sets a run's counts from the outcomes of its changes read back
// from the audit log (for a run recorded before the counts were raised
// batch by batch, or cut off before it could close itself).
func Recount(rec *plan.RunRecord) {
	applied, failed, skipped := 0, 0, 0
	for _, o := range rec.Outcomes {
		switch o.Outcome {
		case plan.ChangeApplied:
			applied++
		case plan.ChangeFailed:
			failed++
		case plan.ChangeSkipped:
			skipped++
		}
	}
	rec.Applied, rec.Failed, rec.Skipped = applied, failed, skipped
}
