package report

import (
	"errors"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Problem codes of apply outcomes, as plan.Settle also writes them.
const (
	CodeApplyFailed   = "apply.failed"   // the store refused the change; the message is its reason
	CodeApplyStale    = "apply.stale"    // the object changed since it was planned
	CodeApplyConflict = "apply.conflict" // the live state stands in the way (a key already used)
	CodeApplySkipped  = "apply.skipped"  // not written because the run was rolled back
)

// Applied is the per-row report of an applied plan: Lines(p) with the
// outcome res merged in. A row one of whose changes failed is "failed" with
// the store's reason; one whose changes failed only because the object
// changed since it was planned is a "conflict" (never overwritten). When
// the store rolled back, every other row that had changes is "skipped".
// Rows whose changes all went through keep their planned status. It may
// follow plan.Settle: a message already on a row is not added twice.
func Applied(p *plan.Plan, res *plan.Result) []Line {
	lines := Lines(p)
	if res == nil {
		return lines
	}
	failed := map[int][]plan.Outcome{}
	for _, o := range res.Failed {
		failed[o.Change] = append(failed[o.Change], o)
	}
	for i, r := range p.Rows {
		l := &lines[i]
		var outs []plan.Outcome
		for _, ci := range r.Changes {
			outs = append(outs, failed[ci]...)
		}
		if len(outs) == 0 {
			if res.Rollback && len(r.Changes) > 0 {
				l.Status = plan.StatusSkipped
				l.add(Message{Severity: pbx.SevWarning, Code: CodeApplySkipped,
					Message: "not written: the run was rolled back because another row failed",
					Hint:    "fix the failed rows and run the roster again"})
			}
			continue
		}
		l.Status = plan.StatusConflict
		for _, o := range outs {
			code := outcomeCode(o.Err)
			if code != CodeApplyStale {
				l.Status = plan.StatusFailed
			}
			key := ""
			if o.Change >= 0 && o.Change < len(p.Changes) {
				key = p.Changes[o.Change].Key
			}
			hint := "this row was not written, the others were; fix it and run the roster again"
			if res.Rollback {
				hint = "nothing was written; fix this and run again (plan again if the live state changed)"
			}
			if code == CodeApplyStale {
				hint = "someone changed it since the plan was made: plan again and check the change"
			}
			l.add(Message{Severity: pbx.SevError, Code: code, Value: key, Message: reasonOf(o), Hint: hint})
		}
	}
	return lines
}

// add appends m unless the line has a message with its code, value and text.
func (l *Line) add(m Message) {
	for _, have := range l.Messages {
		if have.Code == m.Code && have.Value == m.Value && have.Message == m.Message {
			return
		}
	}
	l.Messages = append(l.Messages, m)
}

func outcomeCode(err error) string {
	switch {
	case errors.Is(err, pbx.ErrStale):
		return CodeApplyStale
	case errors.Is(err, pbx.ErrConflict):
		return CodeApplyConflict
	}
	return CodeApplyFailed
}

func reasonOf(o plan.Outcome) string {
	switch {
	case o.Reason != "":
		return o.Reason
	case o.Err != nil:
		return o.Err.Error()
	}
	return "the store refused the change"
}
