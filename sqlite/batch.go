package sqlite

// This file is the same in sqlite/batch.go and postgres/batch.go but for the
// package clause (storetest checks it): how Apply splits a plan into batches,
// isolates the rows that fail, and what it tells the caller. It is pure; the
// store gives it a function that writes one batch in one transaction.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pbxsync/pbxsync/plan"
)

// DefaultBatchRows is how many roster rows Apply writes per transaction
// when the store sets no other number.
const DefaultBatchRows = 1000

// A group is changes that must be written together or not at all: all the
// changes of one roster row (or one leaver), joined with those of any other
// row that touches the same user, number, device or device port, or that
// takes an extension or e-mail address another change frees. Groups are
// independent of one another, so writing them in separate transactions
// keeps every rule of the schema that one transaction keeps.
//
// An E911 location is the exception: an address that a thousand rows share
// is one change, in a group of its own that comes first in the plan; the
// groups of the rows that use it need it, and fail with it.
type group struct {
	changes []int // plan indexes, ascending
	rows    int   // roster rows (and leavers) it holds
	needs   []int // the location groups it cannot do without
}

// grouping is a plan cut into groups.
type grouping struct {
	p      *plan.Plan
	groups []group // in plan order of their first change
	of     []int   // change index -> group index
}

// groupPlan cuts p into groups.
func groupPlan(p *plan.Plan) *grouping {
	n := len(p.Changes)
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = ra
		} else if rb < ra {
			parent[ra] = rb
		}
	}
	shared := func(i int) bool { return p.Changes[i].Kind == plan.KindLocation }

	// The rows that hold each change: indexes into p.Rows, then a number of
	// its own for each roster line that a change names and p.Rows does not.
	rowsOf := make([][]int, n)
	lineRow := make(map[int]int, len(p.Rows))
	for ri, r := range p.Rows {
		if r.Line > 0 {
			lineRow[r.Line] = ri
		}
		for _, ci := range r.Changes {
			if ci >= 0 && ci < n {
				rowsOf[ci] = appendNew(rowsOf[ci], ri)
			}
		}
	}
	nrows := len(p.Rows)
	for ci := range p.Changes {
		for _, line := range p.Changes[ci].Rows {
			ri, ok := lineRow[line]
			if !ok {
				ri, lineRow[line] = nrows, nrows
				nrows++
			}
			rowsOf[ci] = appendNew(rowsOf[ci], ri)
		}
	}
	rowChanges := make([][]int, nrows)
	for ci := range p.Changes {
		for _, ri := range rowsOf[ci] {
			rowChanges[ri] = append(rowChanges[ri], ci)
		}
	}

	// A row's changes go together; so do changes touching one object, and a
	// change that frees a unique value with those that take it.
	firstOfRow := map[int]int{}
	firstOf := map[string]int{}
	frees, takes := map[string][]int{}, map[string][]int{}
	for ci := range p.Changes {
		if shared(ci) {
			continue
		}
		for _, ri := range rowsOf[ci] {
			if f, ok := firstOfRow[ri]; ok {
				union(f, ci)
			} else {
				firstOfRow[ri] = ci
			}
		}
		t := touches(&p.Changes[ci])
		for _, o := range t.objects {
			if f, ok := firstOf[o]; ok {
				union(f, ci)
			} else {
				firstOf[o] = ci
			}
		}
		for _, v := range t.frees {
			frees[v] = append(frees[v], ci)
		}
		for _, v := range t.takes {
			takes[v] = append(takes[v], ci)
		}
	}
	for v, fs := range frees {
		for _, ci := range append(fs[1:], takes[v]...) {
			union(fs[0], ci)
		}
	}

	g := &grouping{p: p, of: make([]int, n)}
	index := map[int]int{} // root -> group
	for ci := range p.Changes {
		root := find(ci)
		gi, ok := index[root]
		if !ok {
			gi = len(g.groups)
			index[root] = gi
			g.groups = append(g.groups, group{})
		}
		g.of[ci] = gi
		g.groups[gi].changes = append(g.groups[gi].changes, ci)
	}
	for gi := range g.groups {
		rows := map[int]bool{}
		for _, ci := range g.groups[gi].changes {
			if !shared(ci) {
				for _, ri := range rowsOf[ci] {
					rows[ri] = true
				}
			}
		}
		g.groups[gi].rows = len(rows)
	}

	// Groups need the locations their numbers are placed at, and those that
	// their rows asked for.
	locGroup := map[string]int{}
	for ci := range p.Changes {
		if shared(ci) {
			locGroup[p.Changes[ci].Key] = g.of[ci]
		}
	}
	if len(locGroup) > 0 {
		for ci := range p.Changes {
			if shared(ci) {
				for _, ri := range rowsOf[ci] {
					for _, cj := range rowChanges[ri] {
						if !shared(cj) {
							g.need(g.of[cj], g.of[ci])
						}
					}
				}
				continue
			}
			if loc, ok := p.Changes[ci].After(plan.AttrLocation); ok && loc != "" {
				if lg, ok := locGroup[loc]; ok {
					g.need(g.of[ci], lg)
				}
			}
		}
	}
	return g
}

func (g *grouping) need(gi, dep int) {
	if gi == dep {
		return
	}
	g.groups[gi].needs = appendNew(g.groups[gi].needs, dep)
}

func appendNew(xs []int, x int) []int {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

// touched is what a change writes or refers to: objects, and unique
// values (extension, e-mail) it frees or takes.
type touched struct {
	objects, frees, takes []string
}

// touches says what a change touches: two changes that touch one object
// must be written together, and so must a change that frees a unique value
// and those that take it. Two changes that take the same value are not
// joined: one of them fails, and the other need not fail with it.
func touches(c *plan.Change) touched {
	var t touched
	unique := func(field, prefix string, fold bool) {
		for _, fc := range c.Fields {
			if fc.Field != field || fc.Before == fc.After {
				continue
			}
			b, a := fc.Before, fc.After
			if fold {
				b, a = strings.ToLower(b), strings.ToLower(a)
			}
			if b != "" {
				t.frees = append(t.frees, prefix+b)
			}
			if a != "" {
				t.takes = append(t.takes, prefix+a)
			}
		}
	}
	refs := func(field, prefix string) {
		for _, fc := range c.Fields {
			if fc.Field != field {
				continue
			}
			for _, v := range [2]string{fc.Before, fc.After} {
				if v != "" {
					t.objects = append(t.objects, prefix+v)
				}
			}
		}
	}
	switch c.Kind {
	case plan.KindUser:
		t.objects = append(t.objects, "user:"+c.Key)
		unique(plan.AttrExtension, "extension:", false)
		unique(plan.AttrEmail, "email:", true)
	case plan.KindNumber:
		t.objects = append(t.objects, "number:"+c.Key)
		for _, fc := range c.Fields {
			if fc.Field == plan.AttrTarget {
				for _, v := range [2]string{fc.Before, fc.After} {
					if k, key, ok := strings.Cut(v, ":"); ok && k == "user" {
						t.objects = append(t.objects, "user:"+key)
					}
				}
			}
		}
	case plan.KindDevice:
		t.objects = append(t.objects, "device:"+c.Key)
	case plan.KindLine:
		t.objects = append(t.objects, "line:"+c.Key)
		if i := strings.LastIndexByte(c.Key, '/'); i > 0 {
			t.objects = append(t.objects, "device:"+c.Key[:i])
		}
		refs(plan.AttrUser, "user:")
		refs(plan.AttrNumber, "number:")
	default:
		t.objects = append(t.objects, string(c.Kind)+":"+c.Key)
	}
	return t
}

// batches packs the groups, in plan order, into batches of at most maxRows
// roster rows (a group is never split; a group without rows counts as one).
// maxRows <= 0 means DefaultBatchRows.
func (g *grouping) batches(maxRows int) [][]int {
	if maxRows <= 0 {
		maxRows = DefaultBatchRows
	}
	var out [][]int
	var cur []int
	size := 0
	for gi := range g.groups {
		s := max(g.groups[gi].rows, 1)
		if len(cur) > 0 && size+s > maxRows {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, gi)
		size += s
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// changesOf lists the changes of groups, in plan order.
func (g *grouping) changesOf(groups []int) []int {
	var cs []int
	for _, gi := range groups {
		cs = append(cs, g.groups[gi].changes...)
	}
	sort.Ints(cs)
	return cs
}

// note is a change decided without being written, for the audit log and
// the result.
type note struct {
	change  int
	outcome string // plan.ChangeFailed, ChangeSkipped, ChangeRolledBack, ChangeNotRun
	err     error
}

// writeFunc writes one batch in one transaction: the changes (plan indexes,
// ascending) and the audit records of the batch (those changes as applied,
// and the notes). It returns -1 and nil once the transaction committed; the
// index of the change that could not be written and its *changeError, with
// nothing committed; or -1 and any other error when the store failed (lost,
// cancelled, locked), with nothing committed.
type writeFunc func(ctx context.Context, batch int, changes []int, notes []note) (int, error)

// tally counts what a run did, for its record in the audit log.
type tally struct {
	batches                  int // transactions committed
	applied, failed, skipped int
	notRun                   []int // changes never tried (the run was interrupted)
	outcome                  plan.RunOutcome
}

// applyBatches writes the plan batch by batch, each batch in one
// transaction. When a change fails for a reason of the domain, its group
// (and every group that needs it) is left out and the batch is written again
// without it; the result lists every change not written, with the reason.
// A store failure stops the run: the batches committed before stay, and the
// error is returned with the result so far.
func (g *grouping) applyBatches(ctx context.Context, maxRows int, write writeFunc) (*plan.Result, *tally, error) {
	res, t := &plan.Result{}, &tally{}
	dead := map[int]error{} // group -> why it is not written
	var failed []plan.Outcome
	deadNeed := func(gi int) error {
		for _, dep := range g.groups[gi].needs {
			if err, ok := dead[dep]; ok {
				return err
			}
		}
		return nil
	}
	kill := func(gi, at int, cause error, notes *[]note) {
		dead[gi] = cause
		for _, ci := range g.groups[gi].changes {
			n := note{change: ci, outcome: plan.ChangeSkipped, err: fmt.Errorf("not written, because %w", cause)}
			if ci == at {
				n = note{change: ci, outcome: plan.ChangeFailed, err: cause}
			}
			*notes = append(*notes, n)
		}
	}
	batches := g.batches(maxRows)
	for bi, batch := range batches {
		var notes []note
		var live []int
		for _, gi := range batch {
			if cause := deadNeed(gi); cause != nil {
				kill(gi, -1, cause, &notes)
				continue
			}
			live = append(live, gi)
		}
		for {
			changes := g.changesOf(live)
			at, err := write(ctx, bi+1, changes, notes)
			if err == nil {
				t.batches++
				t.applied += len(changes)
				break
			}
			ce, ok := isChangeError(err)
			if !ok || at < 0 || at >= len(g.of) {
				for _, b := range batches[bi:] {
					t.notRun = append(t.notRun, g.changesOf(b)...)
				}
				t.finish(res, failed, true)
				return res, t, err
			}
			kill(g.of[at], at, ce.err, &notes)
			kept := live[:0]
			for _, gi := range live {
				if _, ok := dead[gi]; ok {
					continue
				}
				if cause := deadNeed(gi); cause != nil {
					kill(gi, -1, cause, &notes)
					continue
				}
				kept = append(kept, gi)
			}
			live = kept
		}
		failed = collect(failed, notes, t)
	}
	t.finish(res, failed, false)
	return res, t, nil
}

// collect adds the notes of a committed batch to the result's failures.
func collect(failed []plan.Outcome, notes []note, t *tally) []plan.Outcome {
	for _, n := range notes {
		switch n.outcome {
		case plan.ChangeFailed:
			t.failed++
		case plan.ChangeSkipped:
			t.skipped++
		}
		failed = append(failed, plan.Outcome{Change: n.change, Err: n.err, Reason: n.err.Error()})
	}
	return failed
}

// finish fills in the result and the run's outcome.
// The notes of a batch that did not commit are not part of it: that batch
// is as if never tried, and planning again finds its changes.
func (t *tally) finish(res *plan.Result, failed []plan.Outcome, interrupted bool) {
	sort.Slice(failed, func(i, j int) bool { return failed[i].Change < failed[j].Change })
	res.Applied, res.Failed = t.applied, failed
	switch {
	case interrupted:
		t.outcome = plan.RunInterrupted
	case len(failed) == 0:
		t.outcome = plan.RunApplied
	case t.applied == 0:
		t.outcome = plan.RunFailed
	default:
		t.outcome = plan.RunPartial
	}
}

// applyAtomic writes the whole plan in one transaction. When a change fails
// for a reason of the domain nothing is written: the result has Rollback set
// and names that change, and the audit records it in a transaction of its own.
func applyAtomic(ctx context.Context, p *plan.Plan, write writeFunc) (*plan.Result, *tally, error) {
	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	t := &tally{}
	at, err := write(ctx, 1, all, nil)
	if err == nil {
		t.batches, t.applied, t.outcome = 1, len(all), plan.RunApplied
		return &plan.Result{Applied: len(all)}, t, nil
	}
	ce, ok := isChangeError(err)
	if !ok || at < 0 || at >= len(all) {
		t.outcome, t.notRun = plan.RunInterrupted, all
		return &plan.Result{}, t, err
	}
	notes := make([]note, len(all))
	for i := range all {
		switch {
		case i < at:
			notes[i] = note{change: i, outcome: plan.ChangeRolledBack}
		case i == at:
			notes[i] = note{change: i, outcome: plan.ChangeFailed, err: ce.err}
		default:
			notes[i] = note{change: i, outcome: plan.ChangeSkipped}
		}
	}
	res := &plan.Result{Rollback: true, Failed: []plan.Outcome{{Change: at, Err: ce.err, Reason: ce.err.Error()}}}
	t.failed, t.skipped, t.outcome = 1, len(all)-at-1, plan.RunRolledBack
	if _, err := write(ctx, 1, nil, notes); err != nil {
		return res, t, fmt.Errorf("the plan was rolled back, but recording the run failed: %w", err)
	}
	return res, t, nil
}

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

// changeRecord is one change of a run as the audit log holds it (one
// object of a run_batches row's JSON array).
type changeRecord struct {
	Seq          int                `json:"seq"`
	Kind         plan.Kind          `json:"kind"`
	Key          string             `json:"key"`
	Action       plan.Action        `json:"action"`
	Version      int64              `json:"version"`
	Fields       []plan.FieldChange `json:"fields"`
	Reason       string             `json:"reason"`
	Rows         []int              `json:"rows"`
	Outcome      string             `json:"outcome"`
	Error        string             `json:"error"`
	AfterVersion int64              `json:"after_version"`
}

// batchRecord encodes what a batch decided, the changes it wrote and the
// notes, as a JSON array of change records: the encoding encoding/json
// gives changeRecord, written without its reflection (an onboarding of
// 100,000 users records 400,000 changes).
func batchRecord(p *plan.Plan, changes []int, notes []note) string {
	b := make([]byte, 0, 256*(len(changes)+len(notes)))
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
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, int64(ci), 10)
		b = append(b, `,"kind":`...)
		b = appendJSONString(b, string(ch.Kind))
		b = append(b, `,"key":`...)
		b = appendJSONString(b, ch.Key)
		b = append(b, `,"action":`...)
		b = appendJSONString(b, string(ch.Action))
		b = append(b, `,"version":`...)
		b = strconv.AppendInt(b, ch.Version, 10)
		b = append(b, `,"fields":`...)
		b = appendFields(b, ch.Fields)
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, ch.Reason)
		b = append(b, `,"rows":`...)
		b = appendInts(b, ch.Rows)
		b = append(b, `,"outcome":`...)
		b = appendJSONString(b, outcome)
		b = append(b, `,"error":`...)
		b = appendJSONString(b, msg)
		b = append(b, `,"after_version":`...)
		b = strconv.AppendInt(b, after, 10)
		b = append(b, '}')
	}
	for _, ci := range changes {
		add(ci, plan.ChangeApplied, nil)
	}
	for _, n := range notes {
		add(n.change, n.outcome, n.err)
	}
	return string(append(b, ']'))
}

// readBatchRecords decodes batch records into the run record's changes and
// outcomes; a change already decided is not overwritten by a later "not
// run" (a batch whose commit went unanswered may have committed).
func readBatchRecords(rec *plan.RunRecord, data []byte) error {
	var crs []changeRecord
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
		ch := plan.Change{Action: cr.Action, Kind: cr.Kind, Key: cr.Key, Version: cr.Version, Fields: cr.Fields, Reason: cr.Reason, Rows: cr.Rows}
		if len(ch.Fields) == 0 {
			ch.Fields = nil
		}
		if len(ch.Rows) == 0 {
			ch.Rows = nil
		}
		rec.Plan.Changes[cr.Seq] = ch
		rec.Outcomes[cr.Seq] = plan.RunChange{Outcome: cr.Outcome, Error: cr.Error, AfterVersion: cr.AfterVersion}
	}
	return nil
}

// newRunRecord starts the record of run r: its plan header (as recorded)
// with room for its changes, each "not run" until the audit log says.
func newRunRecord(r plan.Run, planJSON []byte) (*plan.RunRecord, error) {
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

// appendFields appends fields as encoding/json writes []plan.FieldChange.
func appendFields(b []byte, fields []plan.FieldChange) []byte {
	if fields == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = appendJSONString(b, f.Field)
		b = append(b, `,"before":`...)
		b = appendJSONString(b, f.Before)
		b = append(b, `,"after":`...)
		b = appendJSONString(b, f.After)
		b = append(b, '}')
	}
	return append(b, ']')
}

func appendInts(b []byte, xs []int) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(x), 10)
	}
	return append(b, ']')
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (quotes, backslashes, control characters, <, >, &, U+2028,
// U+2029; invalid UTF-8 as U+FFFD).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
