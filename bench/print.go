package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText writes a result as tables for people.
func WriteText(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	x := r.Expect
	fmt.Fprintf(w, "pbxsync bench: %s store, company %s, %s mode, %d-row roster %s\n", r.Store, r.Company, r.Mode, x.Rows, r.Roster)
	fmt.Fprintf(w, "roster: %d new, %d changed, %d moves (%d rows), %d unchanged, %d mistakes; %d users left off; generated in %s (not counted)\n\n",
		x.New, x.Changed, x.Moves, 2*x.Moves, x.Unchanged, x.Mistakes, x.Absent, secs(r.Generate.Wall))

	fmt.Fprintln(w, "live-state load")
	head := "\twall\tCPU\tobjects\tobjects/s\tpeak heap\theap sys\tpeak RSS\t\n"
	fmt.Fprint(tw, head)
	for _, s := range []Stage{r.Load.Store, r.Load.Plain, r.Load.Full} {
		stageLine(tw, s)
	}
	fmt.Fprintf(tw, "Store.Load / plain scan\t%.2fx\t\t\t\t\t\t\t\n", r.Load.Ratio)
	tw.Flush()

	path := "importer.Plan, importer.Apply"
	if applyWall(r) == 0 {
		path = "importer.PlanApply: each slice written while the next is planned"
	}
	fmt.Fprintf(w, "\nend to end (%s, report file; CPU is this process's, not the database server's)\n", path)
	fmt.Fprint(tw, "\twall\tCPU\trows\trows/s\tpeak heap\theap sys\tpeak RSS\t\n")
	for _, s := range r.Stages {
		stageLine(tw, s)
	}
	stageLine(tw, r.EndToEnd)
	tw.Flush()
	fmt.Fprintf(w, "plan: %d changes (%d create, %d change, %d move, %d deprovision); rows: %v\n",
		r.Changes, r.Summary.Create, r.Summary.Change, r.Summary.Move, r.Summary.Deprovision, r.Statuses)
	fmt.Fprintf(w, "applied %d changes (run %d); report of %d rows in %s\n", r.Applied, r.RunID, r.ReportLines, r.Report)

	if f := r.Floor; f != nil {
		fmt.Fprintln(w, "\nfloor (PostgreSQL, same rows, same tables and indexes, one transaction, rolled back; no audit log)")
		fmt.Fprint(tw, "\trows\twall\trows/s\t\n")
		for _, s := range f.Steps {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.0f\t\n", s.What, s.Rows, secs(s.Wall), float64(s.Rows)/max(s.Wall.Seconds(), 1e-9))
		}
		fmt.Fprintf(tw, "floor\t%d\t%s\t%.0f\t\n", f.Rows, secs(f.Wall), float64(f.Rows)/max(f.Wall.Seconds(), 1e-9))
		tw.Flush()
		if a := applyWall(r); a > 0 {
			fmt.Fprintf(w, "end to end / floor: %.2fx (apply alone / floor: %.2fx)\n", r.Ratio, a.Seconds()/max(f.Wall.Seconds(), 1e-9))
		} else { // planned and applied slice by slice: no apply of its own
			fmt.Fprintf(w, "end to end / floor: %.2fx\n", r.Ratio)
		}
	}

	how := "planned in full"
	if r.ResyncUnchangedSince > 0 {
		how = fmt.Sprintf("unchanged since run %d", r.ResyncUnchangedSince)
	}
	fmt.Fprintf(w, "\nre-sync of the same roster (%s): %d changes, %s end to end (CPU %s), peak RSS %s\n",
		how, r.ResyncChanges, secs(r.Resync.Wall), secs(r.Resync.CPU), mib(r.Resync.PeakRSS))
	fmt.Fprintf(w, "re-sync, full (--full): %d changes, %s end to end (CPU %s), peak RSS %s\n",
		r.ResyncFullChanges, secs(r.ResyncFull.Wall), secs(r.ResyncFull.CPU), mib(r.ResyncFull.PeakRSS))
	note := ""
	if !r.RSSReset {
		note = " (the process's peak: it could not be reset per stage)"
	}
	fmt.Fprintf(w, "peak RSS of the run: %s%s\n", mib(r.PeakRSS), note)
	return nil
}

// WriteJSON writes a result as one JSON object.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func applyWall(r *Result) time.Duration {
	for _, s := range r.Stages {
		if s.Name == "apply" {
			return s.Wall
		}
	}
	return 0
}

func stageLine(tw io.Writer, s Stage) {
	fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.0f\t%s\t%s\t%s\t\n", s.Name, secs(s.Wall), secs(s.CPU), s.Rows, s.RowsPerSec(),
		mib(int64(s.PeakHeap)), mib(int64(s.HeapSys)), mib(s.PeakRSS))
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3fs", d.Seconds()) }

func mib(b int64) string {
	if b < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

// WriteComparisonText writes both runs of a comparison, each as WriteText
// does, then their stages side by side and auto / given.
func WriteComparisonText(w io.Writer, c *Comparison) error {
	for _, v := range c.Order {
		r := c.Given
		if v == Auto {
			r = c.Auto
		}
		fmt.Fprintf(w, "=== numbers and extensions %s ===\n", v)
		if err := WriteText(w, r); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "=== auto / given: the same roster from the same state, each on a fresh copy of the store (run %s) ===\n", strings.Join(c.Order, " then "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\tgiven wall\tauto wall\tauto / given\tgiven CPU\tauto CPU\tauto / given\tgiven peak heap\tauto peak heap\t\n")
	line := func(g, a Stage) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", g.Name, secs(g.Wall), secs(a.Wall), ratio(a.Wall, g.Wall),
			secs(g.CPU), secs(a.CPU), ratio(a.CPU, g.CPU), mib(int64(g.PeakHeap)), mib(int64(a.PeakHeap)))
	}
	for i, g := range c.Given.Stages {
		if i < len(c.Auto.Stages) && c.Auto.Stages[i].Name == g.Name {
			line(g, c.Auto.Stages[i])
		}
	}
	line(c.Given.EndToEnd, c.Auto.EndToEnd)
	line(c.Given.Resync, c.Auto.Resync)
	line(c.Given.ResyncFull, c.Auto.ResyncFull)
	tw.Flush()
	if c.Given.Floor != nil && c.Auto.Floor != nil {
		fmt.Fprintf(w, "floor (PostgreSQL, the same run's rows): given %s, auto %s\n", secs(c.Given.Floor.Wall), secs(c.Auto.Floor.Wall))
	}
	fmt.Fprintf(w, "end to end, auto / given: %.2fx wall, %.2fx CPU\n", c.RatioWall, c.RatioCPU)
	for _, p := range c.Problems {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
	return nil
}

// WriteComparisonJSON writes a comparison as one JSON object.
func WriteComparisonJSON(w io.Writer, c *Comparison) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(c)
}

func ratio(a, b time.Duration) string {
	if b <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.2fx", a.Seconds()/b.Seconds())
}
