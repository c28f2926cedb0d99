package sqlstore

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/plan"
)

// An engine's set-based path (its bulk path: COPY and statements over
// arrays on PostgreSQL, multi-row VALUES on SQLite) writes a batch with a few
// statements per kind of change; its meaning is the Applier's, statement
// for statement, and when a statement breaks a rule or writes fewer rows
// than it has changes the batch is written again change by change, which
// names the change at fault. Both cut the batch the same way: SetRuns.

// SetRow is one change ready for a set-based statement.
type SetRow = apply.Row[columns.Assign]

// SetRun is changes of one kind and operation, written by one statement
// per group of the same columns.
type SetRun = apply.Run[SetRow]

// SetRuns cuts the changes of p into runs (apply.Runs) of rows ready for
// the set-based statements; ok is false when a change can only be written
// change by change (an action or value the set-based statements do not
// take, which the per-change path reports).
func SetRuns(p *plan.Plan, company string, changes []int) ([]SetRun, bool) {
	return apply.Runs(p, changes, func(i int, op apply.Op) (SetRow, bool) {
		return columns.RowOf(&p.Changes[i], i, op, company)
	})
}

// LoadScopes reads the extension scope of each site of the company into
// a.Scopes: its code when it has a dial plan of its own, else "" (as
// ExtScopeSQL says), for statements that send it as a value.
func (a *Applier) LoadScopes(ctx context.Context) error {
	a.Scopes = map[string]string{}
	err := each(ctx, a.Q, `SELECT code, CASE WHEN own_dial_plan THEN code ELSE '' END FROM sites WHERE company = $1`, func(r Rows) error {
		var code, scope string
		err := r.Scan(&code, &scope)
		a.Scopes[code] = scope
		return err
	}, a.Company)
	if err != nil {
		return fmt.Errorf("%s: reading the sites of company %s: %w", a.D.Name(), a.Company, err)
	}
	return nil
}
