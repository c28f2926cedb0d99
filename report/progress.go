package report

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress shows how far a stage has got on stderr: a bar on a terminal,
// a plain line every Every on anything else (a log file under cron), and
// nothing at all when quiet. It implements importer.Progress.
type Progress struct {
	w        io.Writer
	terminal bool
	quiet    bool
	Every    time.Duration

	stage string
	total int
	n     int
	start time.Time
	last  time.Time
	bar   *progressbar.ProgressBar
}

// NewProgress returns a progress display writing to w.
func NewProgress(w io.Writer, terminal, quiet bool) *Progress {
	return &Progress{w: w, terminal: terminal, quiet: quiet, Every: 10 * time.Second}
}

// Stage starts counting a stage; total is -1 when unknown.
func (p *Progress) Stage(name string, total int) {
	p.stage, p.total, p.n = name, total, 0
	p.start = time.Now()
	p.last = p.start
	if p.quiet || !p.terminal {
		return
	}
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("rows"),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// Add counts n more rows.
func (p *Progress) Add(n int) {
	p.n += n
	switch {
	case p.quiet:
	case p.bar != nil:
		_ = p.bar.Add(n)
	default:
		if now := time.Now(); now.Sub(p.last) >= p.Every {
			p.last = now
			fmt.Fprintf(p.w, "%s: %d rows (%.0f rows/s)\n", p.stage, p.n, p.rate(now))
		}
	}
}

// Done ends the stage.
func (p *Progress) Done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

func (p *Progress) rate(now time.Time) float64 {
	if d := now.Sub(p.start).Seconds(); d > 0 {
		return float64(p.n) / d
	}
	return 0
}
