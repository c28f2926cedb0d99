package report

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the ticker goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logProgress is a Progress off a terminal on a fake clock, whose ticker
// never fires by itself: the test draws with tick.
func logProgress(w *syncBuffer) (*Progress, *fakeClock) {
	p := NewProgress(w, false, false)
	clk := &fakeClock{t: time.Date(2025, 3, 14, 2, 0, 0, 0, time.UTC)}
	p.now = clk.now
	p.Tick = time.Hour
	return p, clk
}

func (p *Progress) tick() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.now(), false)
}

// TestProgressLogLines: off a terminal, a line at each 10% of a known
// total (at most one a tick), another at least every Every, with the rows,
// the rate and the ETA, and a last line at the end.
func TestProgressLogLines(t *testing.T) {
	var w syncBuffer
	p, clk := logProgress(&w)
	p.Stage("apply", 1000)
	for range 5 { // 50 rows/s: 5% a second
		clk.advance(time.Second)
		p.Add(50)
		p.tick()
	}
	p.Done()
	want := "apply: 100 of 1000 rows (10%), 50 rows/s, ETA 18s\n" +
		"apply: 200 of 1000 rows (20%), 50 rows/s, ETA 16s\n" +
		"apply: done, 250 rows in 5s (50 rows/s)\n"
	if got := w.String(); got != want {
		t.Errorf("log lines:\n%s\nwant\n%s", got, want)
	}

	// Unknown total: only the time rule; a stage too short to log says nothing.
	w = syncBuffer{}
	p, clk = logProgress(&w)
	p.Stage("validate", -1)
	for range 25 {
		clk.advance(time.Second)
		p.Add(1000)
		p.tick()
	}
	p.Done()
	p.Stage("plan", -1)
	p.Add(10)
	p.Done()
	want = "validate: 10000 rows, 1000 rows/s\n" +
		"validate: 20000 rows, 1000 rows/s\n" +
		"validate: done, 25000 rows in 25s (1000 rows/s)\n"
	if got := w.String(); got != want {
		t.Errorf("log lines:\n%s\nwant\n%s", got, want)
	}
}

// TestProgressCounter: a store's count after each batch (done of total)
// drives the apply stage: the lines say the rows done of the total.
func TestProgressCounter(t *testing.T) {
	var w syncBuffer
	p, clk := logProgress(&w)
	count := p.Counter("apply")
	for _, done := range []int{0, 400, 400, 1000} { // a batch whose rows all failed counts too
		count(done, 1000)
		clk.advance(time.Second)
		p.tick()
	}
	p.Done()
	want := "apply: 400 of 1000 rows (40%), 200 rows/s, ETA 3s\n" +
		"apply: 1000 of 1000 rows (100%), 250 rows/s, ETA 0s\n" +
		"apply: done, 1000 rows in 4s (250 rows/s)\n"
	if got := w.String(); got != want {
		t.Errorf("log lines:\n%s\nwant\n%s", got, want)
	}
}

// TestProgressRateWindow: the rate is the rows of the last Window over its
// time, not the average since the start, and there is none before
// MinSpan: an apply's first batch, counted at once as the stage starts,
// reads no absurd rate (it read 479,148,389 rows/s).
func TestProgressRateWindow(t *testing.T) {
	var w syncBuffer
	p, clk := logProgress(&w)
	count := p.Counter("apply")
	count(2500, 25000) // the first batch, at the stage's start
	clk.advance(100 * time.Millisecond)
	p.tick()
	clk.advance(900 * time.Millisecond)
	count(5000, 25000)
	p.tick()
	for range 20 { // 1,000 rows/s for 20 s, then 100 rows/s for 10 s
		clk.advance(time.Second)
		count(int(p.n.Load())+1000, 25000)
		p.tick()
	}
	for range 10 {
		clk.advance(time.Second)
		count(int(p.n.Load())+100, 25000)
		p.tick()
	}
	p.Done()
	got := strings.Split(strings.TrimRight(w.String(), "\n"), "\n")
	want := []string{
		"apply: 2500 of 25000 rows (10%), ETA unknown",
		"apply: 5000 of 25000 rows (20%), 5000 rows/s, ETA 4s",
	}
	if len(got) < 3 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("first lines:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if last := got[len(got)-2]; !strings.HasPrefix(last, "apply: 26000 of 25000 rows (104%), 100 rows/s") {
		t.Errorf("after 10 s at 100 rows/s: %q, want the rate of the last 10 s", last)
	}
}

// TestProgressTicker runs the real ticker on the real clock: lines come
// without anyone but Add.
func TestProgressTicker(t *testing.T) {
	var w syncBuffer
	p := NewProgress(&w, false, false)
	p.Every, p.Tick, p.MinSpan = 20*time.Millisecond, 5*time.Millisecond, 10*time.Millisecond
	p.Stage("validate", -1)
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(w.String(), "rows/s") < 2 && time.Now().Before(deadline) {
		p.Add(100)
		time.Sleep(2 * time.Millisecond)
	}
	p.Done()
	line := regexp.MustCompile(`^validate: \d+ rows(, \d+ rows/s)?$`)
	ls := strings.Split(strings.TrimSpace(w.String()), "\n")
	if len(ls) < 2 || !line.MatchString(ls[0]) || !strings.Contains(ls[len(ls)-2], "rows/s") || !strings.HasPrefix(ls[len(ls)-1], "validate: done, ") {
		t.Errorf("log lines %q: want periodic lines with a rate and a last line", ls)
	}
}

func TestProgressQuiet(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		var w syncBuffer
		p := NewProgress(&w, terminal, true)
		p.Every, p.Tick = time.Nanosecond, time.Millisecond
		p.Stage("apply", 100)
		for range 100 {
			p.Add(1)
		}
		time.Sleep(5 * time.Millisecond)
		p.Done()
		if w.String() != "" {
			t.Errorf("quiet (terminal %v) wrote %q", terminal, w.String())
		}
	}
}

// TestProgressBar: on a terminal, a bar with the stage, the count and the
// rate, cleared at the end; no log lines.
func TestProgressBar(t *testing.T) {
	var w syncBuffer
	p := NewProgress(&w, true, false)
	p.Tick, p.MinSpan = time.Millisecond, 5*time.Millisecond
	p.Stage("validate", 200)
	p.Add(120)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(w.String(), "rows/s") && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	p.Done()
	out := w.String()
	if !strings.Contains(out, "validate") || !strings.Contains(out, "120/200") || !strings.Contains(out, "rows/s") {
		t.Errorf("bar %q: want the stage, 120/200 and a rate", out)
	}
	if strings.Contains(out, "\n") {
		t.Errorf("the bar wrote whole lines: %q", out)
	}
}

// TestProgressConcurrentAdd counts rows added from many goroutines.
func TestProgressConcurrentAdd(t *testing.T) {
	var w syncBuffer
	p := NewProgress(&w, false, false)
	p.Tick = time.Millisecond
	p.Stage("apply", -1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 10000 {
				p.Add(1)
			}
		})
	}
	wg.Wait()
	if n := p.n.Load(); n != 80000 {
		t.Errorf("counted %d rows, want 80000", n)
	}
	p.Done()
}

// BenchmarkProgressAdd measures what a row costs the stage that counts it,
// with no display, quiet, logging and drawing a bar. Run with
// go test -bench ProgressAdd -benchmem ./report.
func BenchmarkProgressAdd(b *testing.B) {
	b.Run("baseline", func(b *testing.B) {
		var n int64
		for b.Loop() {
			n++
		}
		_ = n
	})
	for _, c := range []struct {
		name            string
		terminal, quiet bool
	}{{"quiet", false, true}, {"log", false, false}, {"bar", true, false}} {
		b.Run(c.name, func(b *testing.B) {
			var w syncBuffer
			p := NewProgress(&w, c.terminal, c.quiet)
			p.Stage("apply", 1<<40)
			b.ReportAllocs()
			for b.Loop() {
				p.Add(1)
			}
			b.StopTimer()
			p.Done()
		})
		b.Run(c.name+"-parallel", func(b *testing.B) {
			var w syncBuffer
			p := NewProgress(&w, c.terminal, c.quiet)
			p.Stage("apply", 1<<40)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					p.Add(1)
				}
			})
			b.StopTimer()
			p.Done()
		})
	}
}

// TestProgressStopped: a stage that ends unfinished (an interrupted apply)
// says where it stopped, never "done".
func TestProgressStopped(t *testing.T) {
	var w syncBuffer
	p, clk := logProgress(&w)
	p.Stage("apply", 1000)
	clk.advance(12 * time.Second)
	p.Add(250)
	p.tick()
	p.Stopped()
	want := "apply: 250 of 1000 rows (25%), 21 rows/s, ETA 36s\n" +
		"apply: stopped after 250 of 1000 rows, in 12s\n"
	if got := w.String(); got != want {
		t.Errorf("log lines:\n%s\nwant\n%s", got, want)
	}
}
