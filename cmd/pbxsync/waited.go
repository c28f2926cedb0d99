package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// What apply does once it holds the company's lock (apply.Options.Locked):
// a plan made before another run changed the company is not written as it
// is. A roster is planned again against the live state the lock holds
// still; a saved plan, which someone reviewed, is refused as stale.

// waitedFor says how long the lock was waited for, and for which run.
func waitedFor(l apply.Lock, company string) string {
	if l.Holder > 0 {
		return fmt.Sprintf("waited %s for run %d to release company %s", l.Waited.Round(time.Millisecond), l.Holder, company)
	}
	return fmt.Sprintf("took the lock of company %s", company)
}

// replanRoster is the Locked of a roster's apply: when the company's
// generation moved since p was made, it plans the roster again into p (and
// the checked roster's problems and source into problems and src), saying
// that it waited and what changed; --strict refuses a new plan with rows
// left out.
func replanRoster(e *env, st importer.Store, o applyOptions, path string, p *plan.Plan, problems *[]*pbx.Problem, src *importer.Source, sum *runSummary) func(context.Context, apply.Lock) (bool, error) {
	return func(ctx context.Context, l apply.Lock) (bool, error) {
		if p.Generation == 0 || l.Generation == p.Generation {
			if l.Holder > 0 {
				fmt.Fprintf(e.stderr, "%s; nothing was written to it meanwhile: applying the plan as made\n", waitedFor(l, p.Company))
			}
			return false, nil
		}
		fmt.Fprintf(e.stderr, "%s; it was written to since this plan was made: planning the roster again against the live state\n", waitedFor(l, p.Company))
		np, nc, nsrc, err := makePlan(ctx, e, st, o.store, o.roster, o.plan, true, path)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(e.stderr, "plan made again: %s (it was: %s)\n", np.Summary, p.Summary)
		if o.strict && (np.Summary.Invalid > 0 || np.Summary.Conflict > 0) {
			return false, fmt.Errorf("%w: --strict: planned again, %d invalid and %d conflicting rows; nothing applied", pbx.ErrRefused, np.Summary.Invalid, np.Summary.Conflict)
		}
		*p = *np
		*src = nsrc
		*problems = nil
		if nc != nil {
			*problems = nc.Problems
		}
		sum.s.SetPlan(p)
		return true, nil
	}
}

// refuseStaleSaved is the Locked of a saved plan's apply: when the
// company was written to since the plan was made, the live state is read
// (the lock keeps other writers out) and a plan any of whose rows changed
// is refused, whole, naming every changed row; so is one that waited for
// a run that wrote to the company.
func refuseStaleSaved(e *env, st importer.Store, p *plan.Plan) func(context.Context, apply.Lock) (bool, error) {
	return func(ctx context.Context, l apply.Lock) (bool, error) {
		if p.Generation == 0 || l.Generation == p.Generation {
			return false, nil
		}
		live, err := st.Load(ctx, p.Company)
		if err != nil {
			return false, err
		}
		stale := staleRows(live, p)
		if len(stale) == 0 && l.Holder == 0 {
			return false, nil // written to, but nothing this plan touches
		}
		why := fmt.Sprintf("company %s was written to after this plan was made", p.Company)
		if l.Holder > 0 {
			why = fmt.Sprintf("%s, which wrote to it after this plan was made", waitedFor(l, p.Company))
		}
		if len(stale) > 0 {
			why += fmt.Sprintf("; %d row(s) of the plan changed:\n  %s", len(stale), strings.Join(stale, "\n  "))
		}
		return false, fmt.Errorf("%w: the saved plan is stale, nothing applied: %s\nplan again: make a new plan with 'pbxsync plan --out FILE'",
			pbx.ErrStale, why)
	}
}

// replanRevert is the Locked of a revert: when the company was written to
// since the revert of rec was planned (at generation gen), it is planned
// again into p against the live state the lock holds.
func replanRevert(e *env, st importer.Store, rec *plan.RunRecord, gen int64, p *plan.Plan, sum *runSummary) func(context.Context, apply.Lock) (bool, error) {
	return func(ctx context.Context, l apply.Lock) (bool, error) {
		if gen == 0 || l.Generation == gen {
			return false, nil
		}
		fmt.Fprintf(e.stderr, "%s; it was written to since this revert was planned: planning it again against the live state\n", waitedFor(l, p.Company))
		live, err := st.Load(ctx, rec.Company)
		if err != nil {
			return false, err
		}
		np, err := plan.Revert(live, rec)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(e.stderr, "revert planned again: %s; %d row(s) refused (it was: %s)\n", np.Summary, np.Summary.Conflict, p.Summary)
		*p = *np
		sum.s.SetPlan(p)
		return true, nil
	}
}
