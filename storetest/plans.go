package storetest

import (
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// NewPlan returns a plan for company with the given changes, as a roster
// "roster.csv" in sync mode would have produced it.
func NewPlan(company string, changes ...plan.Change) *plan.Plan {
	return &plan.Plan{
		Format:     plan.FormatVersion,
		Company:    company,
		Mode:       plan.Sync,
		Roster:     "roster.csv",
		RosterHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		CreatedAt:  time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
		Changes:    changes,
	}
}

// Change builds a change of one object; kv are field/after pairs.
func Change(kind plan.Kind, action plan.Action, key string, version int64, kv ...string) plan.Change {
	ch := plan.Change{Kind: kind, Action: action, Key: key, Version: version, Reason: "storetest"}
	for i := 0; i+1 < len(kv); i += 2 {
		ch.Fields = ch.Fields.Append(plan.FieldChange{Field: kv[i], After: kv[i+1]})
	}
	return ch
}

// lineKey is the key of a device line change.
func lineKey(m pbx.MAC, port int) string { return pbx.LineKey(m, port) }
