package plan

import (
	"cmp"
	"errors"
	"sort"

	"github.com/pbxsync/pbxsync/pbx"
)

// AddRows adds rows planned elsewhere (the invalid ones) to the plan, keeps
// the rows in roster order, and recounts the summary.
func (p *Plan) AddRows(rows []RowPlan) {
	p.Rows = append(p.Rows, rows...)
	sort.SliceStable(p.Rows, func(i, j int) bool { return CompareLines(p.Rows[i].Line, p.Rows[j].Line) < 0 })
	p.Summary = summarise(p)
}

// CompareLines orders roster lines as a plan and its report list them: in
// roster order, the leavers (line 0: no row names them) last.
func CompareLines(a, b int) int {
	switch {
	case a == b:
		return 0
	case a == 0:
		return 1
	case b == 0:
		return -1
	}
	return cmp.Compare(a, b)
}

// Settle turns the planned row statuses into what applying did: when the
// store rolled back, the rows of the failed change failed with its reason
// and every other row that had changes was skipped.
func (p *Plan) Settle(res *Result) {
	if !res.Rollback {
		return
	}
	failed := map[int]Outcome{}
	for _, o := range res.Failed {
		failed[o.Change] = o
	}
	for i := range p.Rows {
		r := &p.Rows[i]
		if len(r.Changes) == 0 {
			continue
		}
		r.Status = StatusSkipped
		for _, ci := range r.Changes {
			o, ok := failed[ci]
			if !ok {
				continue
			}
			r.Status = StatusFailed
			code, sentinel := "apply.failed", error(nil)
			switch {
			case errors.Is(o.Err, pbx.ErrStale):
				code, sentinel = "apply.stale", pbx.ErrStale
			case errors.Is(o.Err, pbx.ErrConflict):
				code, sentinel = "apply.conflict", pbx.ErrConflict
			}
			c := p.Changes[ci]
			r.Problems = append(r.Problems, &pbx.Problem{
				Cell: pbx.Cell{File: p.Roster, Row: r.Line, Col: -1}, Severity: pbx.SevError, Code: code,
				Value: c.Key, Message: o.Reason, Err: sentinel,
				Hint: "nothing was written; fix this and run again (plan again if the live state changed)",
			})
		}
	}
}
