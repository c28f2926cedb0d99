package apply

import (
	"encoding/json"
	"fmt"
	"strconv"
	"sync"

	"github.com/pbxsync/pbxsync/plan"
)

// afterVersion is the version a change leaves its object at when written:
// every update raises it by one from the version the plan saw, a create
// starts at 1, a delete leaves none.
func afterVersion(ch *plan.Change) int64 {
	switch {
	case ch.Action == plan.Delete:
		return 0
	case ch.Action == plan.Create:
		return 1
	}
	return ch.Version + 1
}

// ChangeRecord is one change of a run as the audit log holds it (one
// object of a run_batches row's JSON array). Empty values are left out: the
// log of an onboarding of 100,000 users is some 140 MB of JSON (381 bytes a
// change), and every byte of it is sent, compressed and stored.
type ChangeRecord struct {
	Seq          int           `json:"seq"`
	Kind         plan.Kind     `json:"kind"`
	Key          string        `json:"key"`
	Action       plan.Action   `json:"action"`
	Version      int64         `json:"version,omitempty"`
	Fields       []FieldRecord `json:"fields,omitempty"`
	Reason       string        `json:"reason,omitempty"`
	Rows         []int         `json:"rows,omitempty"`
	Outcome      string        `json:"outcome"`
	Error        string        `json:"error,omitempty"`
	AfterVersion int64         `json:"after_version,omitempty"`
}

// FieldRecord is a plan.FieldChange in the audit log: an empty before (a
// create's) or after is left out.
type FieldRecord struct {
	Field  string `json:"field"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// EncodeBatch encodes what batch b decided, the changes it wrote and the
// notes, as the audit log records it: a JSON array of change records, the
// encoding encoding/json gives ChangeRecord, written without its
// reflection (an onboarding of 100,000 users records 370,000 changes).
func EncodeBatch(p *plan.Plan, batch Batch) string {
	changes, notes := batch.Changes, batch.Notes
	b := make([]byte, 0, 200*(len(changes)+len(notes)))
	b = append(b, '[')
	add := func(ci int, outcome string, err error) {
		if len(b) > 1 {
			b = append(b, ',')
		}
		ch := &p.Changes[ci]
		var after int64
		if outcome == plan.ChangeApplied {
			after = afterVersion(ch)
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, int64(ci+batch.Seq), 10)
		b = append(b, `,"kind":`...)
		b = plan.AppendJSONString(b, string(ch.Kind))
		b = append(b, `,"key":`...)
		b = plan.AppendJSONString(b, ch.Key)
		b = append(b, `,"action":`...)
		b = plan.AppendJSONString(b, string(ch.Action))
		if ch.Version != 0 {
			b = append(b, `,"version":`...)
			b = strconv.AppendInt(b, ch.Version, 10)
		}
		if !ch.Fields.IsZero() {
			b = append(b, `,"fields":`...)
			b = appendFields(b, ch.Fields)
		}
		if ch.Reason != "" {
			b = append(b, `,"reason":`...)
			b = plan.AppendJSONString(b, ch.Reason)
		}
		if len(ch.Rows) > 0 {
			b = append(b, `,"rows":`...)
			b = appendInts(b, ch.Rows)
		}
		b = append(b, `,"outcome":`...)
		b = plan.AppendJSONString(b, outcome)
		if err != nil {
			if msg := err.Error(); msg != "" {
				b = append(b, `,"error":`...)
				b = plan.AppendJSONString(b, msg)
			}
		}
		if after != 0 {
			b = append(b, `,"after_version":`...)
			b = strconv.AppendInt(b, after, 10)
		}
		b = append(b, '}')
	}
	for _, ci := range changes {
		add(ci, plan.ChangeApplied, nil)
	}
	for _, n := range notes {
		add(n.Change, n.Outcome, n.Err)
	}
	return string(append(b, ']'))
}

// EncodeLater starts EncodeBatch(p, batch) on a goroutine of its own and
// returns a function that waits for its result: a store encodes a batch's
// audit record while the batch is being written.
func EncodeLater(p *plan.Plan, batch Batch) func() string {
	c := make(chan string, 1)
	go func() { c <- EncodeBatch(p, batch) }()
	return sync.OnceValue(func() string { return <-c })
}

// DecodeBatch decodes a batch's audit record (see EncodeBatch) into the
// run record's changes and outcomes; a change already decided is not
// overwritten by a later "not run" (a batch whose commit went unanswered
// may have committed).
func DecodeBatch(rec *plan.RunRecord, data []byte) error {
	var crs []ChangeRecord
	if err := json.Unmarshal(data, &crs); err != nil {
		return err
	}
	for _, cr := range crs {
		if cr.Seq < 0 {
			return fmt.Errorf("change %d of the audit log is not in the plan", cr.Seq)
		}
		for cr.Seq >= len(rec.Plan.Changes) { // a run recorded before the count was
			rec.Plan.Changes = append(rec.Plan.Changes, plan.Change{})
			rec.Outcomes = append(rec.Outcomes, plan.RunChange{Outcome: plan.ChangeNotRun})
		}
		if cr.Outcome == plan.ChangeNotRun && rec.Plan.Changes[cr.Seq].Kind != "" {
			continue
		}
		ch := plan.Change{Action: cr.Action, Kind: cr.Kind, Key: cr.Key, Version: cr.Version, Reason: cr.Reason, Rows: cr.Rows}
		for _, f := range cr.Fields {
			ch.Fields = ch.Fields.Append(plan.FieldChange{Field: f.Field, Before: f.Before, After: f.After})
		}
		if len(ch.Rows) == 0 {
			ch.Rows = nil
		}
		rec.Plan.Changes[cr.Seq] = ch
		rec.Outcomes[cr.Seq] = plan.RunChange{Outcome: cr.Outcome, Error: cr.Error, AfterVersion: cr.AfterVersion}
	}
	return nil
}

// NewRunRecord starts the record of run r: its plan header (as recorded)
// with room for its changes, each "not run" until the audit log says
// (DecodeBatch).
func NewRunRecord(r plan.Run, planJSON []byte) (*plan.RunRecord, error) {
	p := &plan.Plan{}
	if err := json.Unmarshal(planJSON, p); err != nil {
		return nil, fmt.Errorf("run %d: reading its plan: %w", r.ID, err)
	}
	rec := &plan.RunRecord{Run: r, Plan: p}
	p.Changes = make([]plan.Change, r.Changes)
	rec.Outcomes = make([]plan.RunChange, r.Changes)
	for i := range rec.Outcomes {
		rec.Outcomes[i].Outcome = plan.ChangeNotRun
	}
	return rec, nil
}

// appendFields appends fields as encoding/json writes []FieldRecord.
func appendFields(b []byte, fields plan.Fields) []byte {
	b = append(b, '[')
	for i, f := range fields.All() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = plan.AppendJSONString(b, f.Field)
		if f.Before != "" {
			b = append(b, `,"before":`...)
			b = plan.AppendJSONString(b, f.Before)
		}
		if f.After != "" {
			b = append(b, `,"after":`...)
			b = plan.AppendJSONString(b, f.After)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendInts(b []byte, xs []int) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return append(b, ']')
}
