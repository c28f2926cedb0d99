package plan

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// A plan being applied needs each change's field list and reason only
// while its batch is written (and its audit record encoded), yet a plan
// made whole holds them all from planning to the end of the apply: at
// 100,000 rows some 45 MB of the plan's ~125 (BENCHMARKS.md, "Memory").
// Spill moves them to a temporary file; Load brings back those of the
// changes a batch writes and Unload lets them go again once it is
// committed, so the apply holds the changes' keys, rows and actions and
// only a batch's fields. Everything else about a change stays in memory:
// grouping, progress and the per-row report need it.

// spill is where a spilled plan's field lists and reasons are: a file of
// one record a change (its packed Fields and its Reason, each preceded by
// its length as a uvarint), in plan order.
type spill struct {
	f      *os.File
	off    []int64 // change i's record is f[off[i]:off[i+1]]
	loaded []bool  // change i's Fields and Reason are in memory
	err    error   // the first failure to read the file back
	remove func() error
}

// Spill writes the field lists and reasons of p's changes to a temporary
// file in dir ("" = os.TempDir) and lets them go from memory: a change's
// Fields and Reason are then empty until Load brings them back. The
// returned function removes the file (the plan stays spilled: call it once
// the plan is applied). A plan spilled already is left as it is, and the
// function returned removes its file; one with no changes is left as it is.
func (p *Plan) Spill(dir string) (remove func() error, err error) {
	if p.spill != nil {
		return p.spill.remove, nil
	}
	if len(p.Changes) == 0 {
		return func() error { return nil }, nil
	}
	f, err := os.CreateTemp(dir, "pbxsync-plan-*.spill")
	if err != nil {
		return nil, fmt.Errorf("spilling the plan: %w", err)
	}
	// Unlinked at once where the system allows it (the open file stays
	// readable), so that a process killed outright leaves nothing behind.
	unlinked := os.Remove(f.Name()) == nil
	remove = func() error {
		f.Close()
		if unlinked {
			return nil
		}
		if err := os.Remove(f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	s := &spill{f: f, off: make([]int64, len(p.Changes)+1), loaded: make([]bool, len(p.Changes)), remove: remove}
	w := bufio.NewWriterSize(f, 1<<20)
	var n int64
	for i := range p.Changes {
		s.off[i] = n
		k, err := putRecords(w, p.Changes[i].Fields.s, p.Changes[i].Reason)
		if err != nil {
			remove()
			return nil, fmt.Errorf("spilling the plan to %s: %w", f.Name(), err)
		}
		n += k
	}
	s.off[len(p.Changes)] = n
	if err := w.Flush(); err != nil {
		remove()
		return nil, fmt.Errorf("spilling the plan to %s: %w", f.Name(), err)
	}
	for i := range p.Changes {
		p.Changes[i].Fields, p.Changes[i].Reason = Fields{}, ""
	}
	p.spill = s
	return remove, nil
}

// Spilled reports whether p's field lists and reasons are in a file (Spill):
// only the changes Load brought back have theirs.
func (p *Plan) Spilled() bool { return p.spill != nil }

// Load brings back from the spill file the field lists and reasons of the
// changes cis (plan indexes) that are not in memory, and returns those it
// brought back. A plan not spilled has them all: nil. Changes next to one
// another in the file are read at once.
func (p *Plan) Load(cis []int) ([]int, error) {
	s := p.spill
	if s == nil {
		return nil, nil
	}
	if s.err != nil {
		return nil, s.err
	}
	var got []int
	var buf []byte
	for i := 0; i < len(cis); {
		ci := cis[i]
		if ci < 0 || ci >= len(p.Changes) {
			return got, fmt.Errorf("change %d is not in the plan", ci)
		}
		if s.loaded[ci] {
			i++
			continue
		}
		// the run of changes that follow one another, none loaded
		j := i + 1
		for j < len(cis) && cis[j] == cis[j-1]+1 && cis[j] < len(p.Changes) && !s.loaded[cis[j]] {
			j++
		}
		last := cis[j-1]
		size := int(s.off[last+1] - s.off[ci])
		if cap(buf) < size {
			buf = make([]byte, size)
		}
		buf = buf[:size]
		if _, err := s.f.ReadAt(buf, s.off[ci]); err != nil && !(errors.Is(err, io.EOF) && size == 0) {
			s.err = fmt.Errorf("reading the spilled plan back from %s: %w", s.f.Name(), err)
			return got, s.err
		}
		rest := buf
		for k := ci; k <= last; k++ {
			var fields, reason []byte
			var err error
			if fields, rest, err = cutRecord(rest); err == nil {
				reason, rest, err = cutRecord(rest)
			}
			if err != nil {
				s.err = fmt.Errorf("reading the spilled plan back from %s: change %d: %w", s.f.Name(), k, err)
				return got, s.err
			}
			p.Changes[k].Fields, p.Changes[k].Reason = Fields{string(fields)}, string(reason)
			s.loaded[k] = true
			got = append(got, k)
		}
		i = j
	}
	return got, nil
}

// Unload lets go again of the field lists and reasons of the changes cis
// of a spilled plan (Load brings them back); a plan not spilled is left as
// it is.
func (p *Plan) Unload(cis []int) {
	s := p.spill
	if s == nil {
		return
	}
	for _, ci := range cis {
		if ci >= 0 && ci < len(p.Changes) && s.loaded[ci] {
			p.Changes[ci].Fields, p.Changes[ci].Reason = Fields{}, ""
			s.loaded[ci] = false
		}
	}
}

// putRecords writes each of values preceded by its length as a uvarint,
// and returns how many bytes that took.
func putRecords(w *bufio.Writer, values ...string) (int64, error) {
	var n int64
	var lb [binary.MaxVarintLen64]byte
	for _, v := range values {
		k := binary.PutUvarint(lb[:], uint64(len(v)))
		if _, err := w.Write(lb[:k]); err != nil {
			return n, err
		}
		if _, err := w.WriteString(v); err != nil {
			return n, err
		}
		n += int64(k + len(v))
	}
	return n, nil
}

// cutRecord splits b into its first length-prefixed value and the rest.
func cutRecord(b []byte) (value, rest []byte, err error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || uint64(len(b)-k) < n {
		return nil, nil, errors.New("truncated record")
	}
	return b[k : k+int(n)], b[k+int(n):], nil
}
