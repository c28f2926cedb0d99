package bench

import (
	"time"

	"github.com/pbxsync/pbxsync/importer"
)

// recorder is an importer.Progress that cuts importer.Plan into its stages:
// what comes before the first stage the pipeline announces is the load of
// the live state; each announced stage runs until its Done; what follows the
// last Done is planning (cross-row and live checks, plan.Make). It passes
// every call on to next, so that a progress bar can be measured too.
type recorder struct {
	next    importer.Progress
	mem     *memWatch
	segs    []segment
	open    int  // index of the open segment
	inStage bool // the open segment is an announced stage, not yet Done
}

type segment struct {
	name       string
	start, end time.Time
	mem        Stage // memory figures only
}

type noProgress struct{}

func (noProgress) Stage(string, int) {}
func (noProgress) Add(int)           {}
func (noProgress) Done()             {}

// newRecorder starts recording now; mem gives each segment its memory figures.
func newRecorder(next importer.Progress, mem *memWatch) *recorder {
	if next == nil {
		next = noProgress{}
	}
	return &recorder{next: next, mem: mem, segs: []segment{{start: time.Now()}}}
}

func (r *recorder) mark(name string) {
	now := time.Now()
	r.segs[r.open].end = now
	r.mem.cut(&r.segs[r.open].mem)
	r.segs = append(r.segs, segment{name: name, start: now})
	r.open = len(r.segs) - 1
}

func (r *recorder) Stage(name string, total int) {
	r.mark(name)
	r.inStage = true
	r.next.Stage(name, total)
}

func (r *recorder) Add(n int) { r.next.Add(n) }

// Done ends the announced stage; a second Done (Progress.Done is
// idempotent) ends nothing.
func (r *recorder) Done() {
	r.next.Done()
	if r.inStage {
		r.inStage = false
		r.mark("")
	}
}

// finish closes the open segment and returns the stages, naming the
// unnamed gaps: "load" before the first announced stage, "plan" after the
// last, and "after <stage>" in between. Empty gaps are dropped.
func (r *recorder) finish() []Stage {
	r.segs[r.open].end = time.Now()
	r.mem.fill(&r.segs[r.open].mem)
	var out []Stage
	last := ""
	for i, s := range r.segs {
		name := s.name
		switch {
		case name != "":
			last = name
		case i == 0:
			name = "load"
		case i == len(r.segs)-1:
			name = "plan"
		default:
			name = "after " + last
		}
		d := s.end.Sub(s.start)
		if s.name == "" && d < time.Millisecond && i != 0 && i != len(r.segs)-1 {
			continue
		}
		st := s.mem
		st.Name, st.Wall = name, d
		out = append(out, st)
	}
	return out
}
