package plan

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Append adds q, a plan of other rows of the same roster made against the
// same live state (a slice: docs/scale.md section 7), to p: q's changes
// after p's, its rows, reads and notes after p's, the indexes of q's rows
// and changes moved past p's. A read both plans rely on is kept once. When
// p is spilled, q's field lists and reasons go to p's file and not into
// memory. q is p's to keep: it is not to be used after.
//
// The summary is not recounted: AddRows does that once the last slice is in.
func (p *Plan) Append(q *Plan) error {
	if s := p.spill; s != nil && len(q.Changes) > 0 {
		if err := s.append(q.Changes); err != nil {
			return err
		}
	}
	p.appendSlice(q, true)
	return nil
}

// AppendWritten adds q to p as Append does, but not q's changes, which a
// store has written already (a slice applied as it is planned:
// importer.PlanApply): p keeps of them only their count (Written) and
// what the summary counts of them, and q's rows name them by their index
// in the whole plan, as if p held them. p is then a plan's header, what a
// run records of it and a report needs beside its changes.
func (p *Plan) AppendWritten(q *Plan) {
	p.appendSlice(q, false)
	p.written += len(q.Changes)
	for i := range q.Changes {
		p.writtenSum.count(q.Changes[i].Action)
	}
}

// Written is how many changes AppendWritten added without keeping them.
func (p *Plan) Written() int { return p.written }

func (p *Plan) appendSlice(q *Plan, keep bool) {
	base := len(p.Changes) + p.written
	var readAt []int // q's read i is p's readAt[i]
	if len(q.Reads) > 0 {
		have := make(map[readKey]int, len(p.Reads))
		for i, r := range p.Reads {
			have[readKey{r.Kind, r.Key}] = i
		}
		readAt = make([]int, len(q.Reads))
		for i, r := range q.Reads {
			j, ok := have[readKey{r.Kind, r.Key}]
			if !ok {
				j = len(p.Reads)
				p.Reads = append(p.Reads, r)
				have[readKey{r.Kind, r.Key}] = j
			}
			readAt[i] = j
		}
	}
	for i := range q.Changes {
		c := &q.Changes[i]
		for k, ri := range c.Reads {
			c.Reads[k] = readAt[ri]
		}
	}
	if keep {
		p.Changes = append(p.Changes, q.Changes...)
	}
	for i := range q.Rows {
		for k := range q.Rows[i].Changes {
			q.Rows[i].Changes[k] += base
		}
		// A row's key is a piece of its line as read (a CSV reader makes
		// one string of a record): copied, the plan keeps the key, not the
		// line, once the slice is let go (~160 bytes a row).
		q.Rows[i].Key = strings.Clone(q.Rows[i].Key)
	}
	p.Rows = append(p.Rows, q.Rows...)
	p.Notes = append(p.Notes, q.Notes...)
}

// append writes the field lists and reasons of changes, which follow the
// file's last change in the plan, at the end of the file, and lets them go
// from memory.
func (s *spill) append(changes []Change) error {
	end := s.off[len(s.off)-1]
	if _, err := s.f.Seek(end, io.SeekStart); err != nil {
		return fmt.Errorf("spilling the plan to %s: %w", s.f.Name(), err)
	}
	w := bufio.NewWriterSize(s.f, 1<<20)
	n := end
	off := make([]int64, len(changes)+1)
	for i := range changes {
		off[i] = n
		k, err := putRecords(w, changes[i].Fields.s, changes[i].Reason)
		if err != nil {
			return fmt.Errorf("spilling the plan to %s: %w", s.f.Name(), err)
		}
		n += k
	}
	off[len(changes)] = n
	if err := w.Flush(); err != nil {
		return fmt.Errorf("spilling the plan to %s: %w", s.f.Name(), err)
	}
	s.off = append(s.off[:len(s.off)-1], off...)
	s.loaded = append(s.loaded, make([]bool, len(changes))...)
	for i := range changes {
		changes[i].Fields, changes[i].Reason = Fields{}, ""
	}
	return nil
}
