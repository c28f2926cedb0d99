package report

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress shows how far a stage (reading, validating, planning, applying)
// has got, on stderr: a progress bar with rows done, rate and ETA on a
// terminal; plain log lines on anything else (a log file under cron), one
// each time another Step of a known total is done and at least every
// Every; nothing at all when quiet. It implements importer.Progress.
//
// Counting is apart from drawing: Add is one atomic increment, safe from
// any goroutine, and a ticker goroutine started by Stage draws what it
// reads from the counter at most every Tick. So the rows of a stage cost
// the same with or without a display.
type Progress struct {
	w        io.Writer
	terminal bool
	quiet    bool

	// Every is the longest time between two log lines off a terminal.
	Every time.Duration
	// Step is the share of a known total after which a log line is
	// written off a terminal (0.1: at 10%, 20%, ...), Every permitting no
	// more than one a Tick.
	Step float64
	// Tick is how often the display is refreshed: the bar's redraw, and the
	// check whether a log line is due.
	Tick time.Duration
	// Window is how far back the rate (and the ETA) looks: the rows done in
	// the last Window over that time, so a stall or a burst shows soon
	// and the first batch, counted all at once, gives no absurd reading.
	Window time.Duration
	// MinSpan is the shortest time a rate is measured over; until the
	// stage has run that long no rate is shown.
	MinSpan time.Duration

	n atomic.Int64 // rows done in the current stage

	mu      sync.Mutex // guards what follows, shared with the ticker
	stage   string
	total   int
	start   time.Time
	last    time.Time // of the last log line
	step    int       // Steps done at the last log line
	logged  bool      // a log line was written in this stage
	stopped bool      // the stage ends unfinished (Stopped)
	window  []sample  // counts of the last Window, oldest first
	bar     *progressbar.ProgressBar
	stop    chan struct{}
	done    chan struct{}
	now     func() time.Time
}

// NewProgress returns a progress display writing to w (stderr): a bar when
// terminal is true, log lines when not, nothing when quiet.
func NewProgress(w io.Writer, terminal, quiet bool) *Progress {
	tick := time.Second
	if terminal {
		tick = 100 * time.Millisecond
	}
	return &Progress{w: w, terminal: terminal, quiet: quiet, Every: 10 * time.Second, Step: 0.1, Tick: tick,
		Window: 10 * time.Second, MinSpan: time.Second, now: time.Now}
}

// sample is the count at a time.
type sample struct {
	t time.Time
	n int64
}

// rate is the rows per second over the last Window, from the count n at
// now; false until MinSpan has passed. p.mu is held.
func (p *Progress) rate(now time.Time, n int64) (float64, bool) {
	p.window = append(p.window, sample{now, n})
	// Keep the newest sample at or before the window's start, and all after.
	from := now.Add(-p.Window)
	drop := 0
	for drop+1 < len(p.window) && !p.window[drop+1].t.After(from) {
		drop++
	}
	if drop > 0 {
		p.window = append(p.window[:0], p.window[drop:]...)
	}
	first := p.window[0]
	span := now.Sub(first.t)
	if span < p.MinSpan || span <= 0 {
		return 0, false
	}
	return float64(n-first.n) / span.Seconds(), true
}

// Stage starts counting a stage; total is -1 when unknown. A stage still
// running is ended first.
func (p *Progress) Stage(name string, total int) {
	p.Done()
	p.n.Store(0)
	if p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage, p.total, p.step, p.logged = name, total, 0, false
	p.start = p.now()
	p.last = p.start
	p.window = append(p.window[:0], sample{p.start, 0})
	if p.terminal {
		// The bar's own rate and ETA average every Add since the start (the
		// first batch of an apply, counted at once, read 479,148,389
		// rows/s): the description carries the windowed ones instead.
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(name),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(false),
			progressbar.OptionSetElapsedTime(false),
			progressbar.OptionSetSpinnerChangeInterval(0), // our ticker redraws
			progressbar.OptionClearOnFinish(),
		)
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.run(p.stop, p.done)
}

// Add counts n more rows done. It is safe for concurrent use.
func (p *Progress) Add(n int) { p.n.Add(int64(n)) }

// Counter returns a function that hears a running count, done of total,
// as a store reports it after each batch it commits (apply.Options's
// Progress): its first call starts stage name with that total, and each
// call counts up to done. Call Done when the stage is over. The function is
// for one goroutine at a time.
func (p *Progress) Counter(name string) func(done, total int) {
	started, last := false, 0
	return func(done, total int) {
		if !started {
			started = true
			p.Stage(name, total)
		}
		if done > last {
			p.Add(done - last)
			last = done
		}
	}
}

// Done ends the stage: the bar is cleared; off a terminal, a last line
// gives the count and the rate when the stage was long enough to log.
func (p *Progress) Done() { p.end(false) }

// Stopped ends a stage that did not finish (interrupted, or the store
// failed) as Done does, but its last line says where it stopped instead
// of "done".
func (p *Progress) Stopped() { p.end(true) }

func (p *Progress) end(stopped bool) {
	p.mu.Lock()
	stop, done := p.stop, p.done
	p.stop, p.done = nil, nil
	p.mu.Unlock()
	if stop == nil {
		return
	}
	close(stop)
	<-done
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = stopped
	p.draw(p.now(), true)
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

func (p *Progress) run(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(p.Tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			p.mu.Lock()
			p.draw(p.now(), false)
			p.mu.Unlock()
		}
	}
}

// draw refreshes the display at now; final at the end of a stage. p.mu is held.
func (p *Progress) draw(now time.Time, final bool) {
	n := p.n.Load()
	elapsed := now.Sub(p.start)
	if final {
		switch {
		case p.bar != nil, !p.logged && elapsed < p.Every:
		case p.stopped && p.total > 0:
			fmt.Fprintf(p.w, "%s: stopped after %d of %d rows, in %s\n", p.stage, n, p.total, elapsed.Round(time.Millisecond))
		case p.stopped:
			fmt.Fprintf(p.w, "%s: stopped after %d rows, in %s\n", p.stage, n, elapsed.Round(time.Millisecond))
		default:
			fmt.Fprintf(p.w, "%s: done, %d rows in %s (%.0f rows/s)\n", p.stage, n, elapsed.Round(time.Millisecond), rate(n, elapsed))
		}
		if p.bar != nil {
			_ = p.bar.Set64(n)
		}
		return
	}
	r, known := p.rate(now, n)
	if p.bar != nil {
		desc := p.stage
		if known {
			desc += fmt.Sprintf(" (%.0f rows/s", r)
			if p.total > 0 && r > 0 {
				desc += ", ETA " + time.Duration(float64(int64(p.total)-n)/r*float64(time.Second)).Round(time.Second).String()
			}
			desc += ")"
		}
		p.bar.Describe(desc)
		_ = p.bar.Set64(n)
		return
	}
	due := now.Sub(p.last) >= p.Every
	step := 0
	if p.total > 0 && p.Step > 0 {
		step = int(float64(n) / float64(p.total) / p.Step)
		due = due || step > p.step
	}
	if !due {
		return
	}
	p.last, p.step, p.logged = now, step, true
	speed := ""
	if known {
		speed = fmt.Sprintf(", %.0f rows/s", r)
	}
	if p.total > 0 {
		eta := "unknown"
		if known && r > 0 {
			eta = time.Duration(float64(int64(p.total)-n) / r * float64(time.Second)).Round(time.Second).String()
		}
		fmt.Fprintf(p.w, "%s: %d of %d rows (%.0f%%)%s, ETA %s\n", p.stage, n, p.total, 100*float64(n)/float64(p.total), speed, eta)
		return
	}
	fmt.Fprintf(p.w, "%s: %d rows%s\n", p.stage, n, speed)
}

func rate(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}
