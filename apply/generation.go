package apply

import "github.com/pbxsync/pbxsync/plan"

// A run may record the company generation it leaves (for the unchanged-roster
// fast path) only when that generation is the live state its plan read plus
// the run's own writes. The stores read the generations; these say when.

// MayRecordGeneration reports whether run t of plan p can record its
// generation at all: it applied in full, and the company's generation when
// the run took the lock (atLock) is the one the plan read, so nobody wrote
// between planning and applying (a seed takes no company lock).
func MayRecordGeneration(p *plan.Plan, t *Tally, atLock int64) bool {
	return t.Outcome == plan.RunApplied && p.Generation > 0 && atLock == p.Generation
}

// OnlyOwnWrites reports whether the generation now is the one at the lock
// raised once per batch the run committed: nobody else wrote during it.
func OnlyOwnWrites(now, atLock int64, commits int) bool {
	return now == atLock+int64(commits)
}
