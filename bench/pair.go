package bench

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Variants of a roster that CompareAuto runs.
const (
	Given = "given" // the new users' numbers and extensions written in the roster
	Auto  = "auto"  // the same rows saying auto:NPA and auto: taken from the pool
)

// ParseOrder reads the order of a comparison, "given,auto" or
// "auto,given".
func ParseOrder(s string) ([]string, error) {
	order := strings.Split(strings.ReplaceAll(s, " ", ""), ",")
	if len(order) == 2 && (order[0] == Given && order[1] == Auto || order[0] == Auto && order[1] == Given) {
		return order, nil
	}
	return nil, fmt.Errorf("--compare %q: give given,auto or auto,given (the order the two runs are made in)", s)
}

// Comparison is a roster run twice from the same state: once with the new
// users' numbers and extensions given, once with them taken from the pool.
type Comparison struct {
	Order []string `json:"order"` // the order the runs were made in
	Given *Result  `json:"given"`
	Auto  *Result  `json:"auto"`
	// Copies are the copies of the store each run was made on (making them
	// is not part of any figure), in Order.
	Copies []Stage `json:"copies"`
	// RatioWall and RatioCPU are Auto's end to end over Given's.
	RatioWall float64 `json:"ratio_wall"`
	RatioCPU  float64 `json:"ratio_cpu"`
	// Problems are what makes the comparison unsound: the two runs did not
	// make the same rows of the same roster, a re-sync planned changes, an
	// apply did not write its plan. Empty when sound.
	Problems []string `json:"problems,omitempty"`
}

// CompareAuto runs the roster o.Roster describes twice, in order, each run
// on a fresh copy of the store o.DB names (the store itself is not written):
// once as Run makes it, the new users' numbers and extensions given, and once
// with o.Roster.Auto, the same rows asking for both from the company's pool.
// Both rosters are made from the same state, so they name the same users,
// phones and area codes; the picks are the allocator's. The copies are
// removed afterwards. A profile file of o gets the variant's name before
// its extension (cpu.given.out, cpu.auto.out).
//
// The store must not be in use while it is copied: PostgreSQL copies a
// database only when nothing else is connected to it.
func CompareAuto(ctx context.Context, o Options, order []string) (*Comparison, error) {
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	dir, done, err := workDir(o.Dir)
	if err != nil {
		return nil, err
	}
	defer done()
	cmp := &Comparison{Order: order}
	for _, variant := range order {
		vo := o
		vo.Roster.Auto = variant == Auto
		vo.Dir = filepath.Join(dir, variant)
		vo.CPUProfile, vo.HeapProfile = variantFile(o.CPUProfile, variant), variantFile(o.HeapProfile, variant)
		if err := os.MkdirAll(vo.Dir, 0o755); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "bench: the roster with numbers and extensions %s, on a copy of the store\n", variant)
		c, err := copyStore(ctx, o.DB, "bench_"+variant, dir, log)
		if err != nil {
			return nil, err
		}
		cmp.Copies = append(cmp.Copies, Stage{Name: "copy for " + variant, Wall: c.Took})
		fmt.Fprintf(log, "bench: copied the store in %s\n", c.Took.Round(time.Millisecond))
		vo.DB = c.DB
		res, err := Run(ctx, vo)
		if derr := c.drop(context.WithoutCancel(ctx)); derr != nil && err == nil {
			err = fmt.Errorf("removing the copy of the store: %w", derr)
		}
		if err != nil {
			return nil, fmt.Errorf("the roster with numbers %s: %w", variant, err)
		}
		if variant == Auto {
			cmp.Auto = res
		} else {
			cmp.Given = res
		}
	}
	g, a := cmp.Given, cmp.Auto
	if g.EndToEnd.Wall > 0 {
		cmp.RatioWall = a.EndToEnd.Wall.Seconds() / g.EndToEnd.Wall.Seconds()
	}
	if g.EndToEnd.CPU > 0 {
		cmp.RatioCPU = a.EndToEnd.CPU.Seconds() / g.EndToEnd.CPU.Seconds()
	}
	cmp.Problems = compareProblems(g, a)
	return cmp, nil
}

// variantFile puts variant before path's extension: cpu.out -> cpu.given.out.
func variantFile(path, variant string) string {
	if path == "" {
		return ""
	}
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "." + variant + ext
}

// compareProblems lists what makes the two runs unlike: the rosters are the
// same rows (Expect), so the plans must give every row the same outcome
// and have as many changes (a pick is the number and extension a given row
// names, from the same pool), every change must be written, and a re-sync
// of either, fast path and in full, must plan nothing (with auto cells: must
// pick nothing new).
func compareProblems(g, a *Result) []string {
	var ps []string
	if g.Expect != a.Expect {
		ps = append(ps, fmt.Sprintf("the rosters differ: given %+v, auto %+v", g.Expect, a.Expect))
	}
	if !maps.Equal(g.Statuses, a.Statuses) {
		ps = append(ps, fmt.Sprintf("the rows' outcomes differ: given %v, auto %v", g.Statuses, a.Statuses))
	}
	if g.Changes != a.Changes {
		ps = append(ps, fmt.Sprintf("the plans differ in size: given %d changes, auto %d", g.Changes, a.Changes))
	}
	for _, r := range []struct {
		name string
		res  *Result
	}{{Given, g}, {Auto, a}} {
		if r.res.Applied != r.res.Changes {
			ps = append(ps, fmt.Sprintf("%s: %d of %d changes written", r.name, r.res.Applied, r.res.Changes))
		}
		if r.res.ResyncChanges != 0 || r.res.ResyncFullChanges != 0 {
			ps = append(ps, fmt.Sprintf("%s: the re-sync of the applied roster planned %d changes (%d with --full); it must plan none",
				r.name, r.res.ResyncChanges, r.res.ResyncFullChanges))
		}
	}
	return ps
}
