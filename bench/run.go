package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
)

// Options steer a benchmark run.
type Options struct {
	DB     string         // a postgres:// URL or the embedded store's file, holding a generated state
	Roster gen.RosterSpec // the company, the rows and their shares
	Format string         // roster file format: "csv" (default) or "xlsx"
	Dir    string         // where the roster and reports go; "" = a temporary directory, removed afterwards
	// Mode is onboard (the default) or sync; a sync manages every user of
	// the company and goes past the removal limits.
	Mode plan.Mode
	// NoFloor skips the floor on PostgreSQL.
	NoFloor bool
	// SliceRows plans the roster in slices of about so many rows, as the
	// CLI's apply does (importer.SliceRows); 0: whole.
	SliceRows int
	// NoOverlap writes each slice before the next is planned, as before
	// the overlap (importer.OverlapSlices), to measure what it pays.
	NoOverlap bool
	// Progress draws the progress bar (into io.Discard, as on a terminal),
	// to measure what it costs.
	Progress bool
	// CPUProfile, when set, is the file for a CPU profile of the run's
	// stages (plan, apply, report); HeapProfile one for a heap profile taken
	// when the plan is made, with two more beside it: HeapProfile+".apply"
	// half-way through the apply, HeapProfile+".report" once the report's
	// lines are made.
	CPUProfile  string
	HeapProfile string
	// Log hears what is going on; nil = silent.
	Log io.Writer
}

// Run makes a roster for a company of the generated state in o.DB and runs
// it through the pipeline the way `pbxsync apply --yes --report FILE` does:
// with o.SliceRows (the CLI's default), importer.PlanApply (load, read, map,
// validate; then each slice planned and written while the next is planned),
// else importer.Plan (load, read, map, validate, plan) and importer.Apply;
// then the per-row report written to a file; each stage timed, with its
// memory. On PostgreSQL it measures, in the same run, the floor: the rows
// the plan writes, loaded by the database's fastest path in one transaction
// that is rolled back before the plan is applied (in slices, of a plan made
// before the run and let go: floorFirst). Then it plans and applies the
// same roster again, which must change nothing, and compares the store's
// load of the live state with a plain scan of the same rows.
//
// The run changes the store: its new users, numbers and phones stay. A run
// after it makes a new roster from what is then live.
func Run(ctx context.Context, o Options) (*Result, error) {
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	if o.Format == "" {
		o.Format = "csv"
	}
	if o.Format != "csv" && o.Format != "xlsx" {
		return nil, fmt.Errorf("roster format %q: want csv or xlsx", o.Format)
	}
	mode := o.Mode
	if mode == "" {
		mode = plan.Onboard
	}
	po := plan.Options{Mode: mode}
	switch mode {
	case plan.Onboard:
	case plan.Sync:
		po.Manage.All, po.Force = true, true
	default:
		return nil, fmt.Errorf("mode %q: want onboard or sync", mode)
	}
	pg := gen.IsPostgres(o.DB)
	dir, done, err := workDir(o.Dir)
	if err != nil {
		return nil, err
	}
	defer done()
	st, err := gen.OpenStore(ctx, o.DB)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	company, err := importer.ResolveCompany(ctx, st, o.Roster.Company)
	if err != nil {
		return nil, err
	}
	res := &Result{Store: "sqlite", Company: company, Mode: mode, Statuses: map[plan.Status]int{}}
	if pg {
		res.Store = "postgres"
	}

	// The roster, made from the live state: not part of the run.
	spec := o.Roster
	spec.Company = company
	res.Roster = filepath.Join(dir, "roster."+o.Format)
	w := startWatch(true)
	t := time.Now()
	ro, err := gen.RosterFromStore(ctx, st, spec)
	if err != nil {
		return nil, err
	}
	if err := ro.WriteFile(res.Roster); err != nil {
		return nil, err
	}
	res.Generate = Stage{Name: "generate roster", Wall: time.Since(t), Rows: ro.Len()}
	w.end(&res.Generate)
	res.Expect = ro.Expect
	ro = nil
	fmt.Fprintf(log, "bench: %d-row roster for %s written to %s in %s\n", res.Expect.Rows, company, res.Roster, res.Generate.Wall.Round(time.Millisecond))

	if res.Load, err = compareLoad(ctx, st, o.DB, company); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "bench: live-state load %s, plain scan %s\n", res.Load.Store.Wall.Round(time.Millisecond), res.Load.Plain.Wall.Round(time.Millisecond))

	src := importer.Source{Path: res.Roster}
	var bar importer.Progress
	if o.Progress {
		bar = report.NewProgress(io.Discard, true, false)
	}
	opts := importer.Options{Company: company, Plan: po, Slice: o.SliceRows}

	sliced := o.SliceRows > 0
	if o.NoOverlap {
		importer.OverlapSlices = false
		defer func() { importer.OverlapSlices = true }()
	}
	if sliced && pg && !o.NoFloor {
		// The floor first, of the plan the run will make, then let go: the
		// run applies each slice as it is planned, as the CLI does, and never
		// holds the whole plan the floor writes.
		if res.Floor, err = floorFirst(ctx, st, src, opts, o.DB, log); err != nil {
			return nil, err
		}
	}

	// The run: plan (as its stages), apply, report.
	stopCPU, err := startCPUProfile(o.CPUProfile)
	if err != nil {
		return nil, err
	}
	defer stopCPU()
	w = startWatch(true)
	rec := newRecorder(bar, w)
	opts.Progress = rec
	if sliced {
		// As the CLI's unattended apply: each slice applied as it is planned.
		return runSliced(ctx, o, st, src, opts, rec, w, res, log)
	}
	p, c, err := importer.Plan(ctx, st, src, opts)
	if err != nil {
		return nil, err
	}
	stages := rec.finish()
	w.end(&Stage{})
	if err := writeHeapProfile(o.HeapProfile); err != nil {
		return nil, err
	}
	rows := c.Total
	c = nil // as the CLI: the checked rows and the live state are let go before the apply
	fmt.Fprintf(log, "bench: planned %d rows: %s\n", rows, p.Summary)

	if pg && !o.NoFloor && !p.Empty() {
		// The floor writes every change's fields: those a plan made in
		// slices spilled come back for it, and go again after.
		loaded, err := p.Load(allChanges(p))
		if err != nil {
			return nil, err
		}
		fl, err := runFloor(ctx, o.DB, p, log)
		p.Unload(loaded)
		if err != nil {
			return nil, fmt.Errorf("the floor: %w", err)
		}
		res.Floor = fl
	}

	w = startWatch(false)
	t = time.Now()
	remove, err := p.Spill("") // as the CLI: the changes' fields wait in a file for their batch
	if err != nil {
		return nil, err
	}
	defer remove()
	importer.Handover() // as the CLI, and within the apply's time
	ar, err := importer.Apply(ctx, st, p, apply.Options{Progress: halfWay(o.HeapProfile, ".apply")})
	if err != nil {
		return nil, err
	}
	applyStage := Stage{Name: "apply", Wall: time.Since(t)}
	w.end(&applyStage)
	if ar.Rollback {
		return nil, rolledBack(p, ar)
	}
	res.Applied, res.RunID, res.Changes = ar.Applied, ar.RunID, len(p.Changes)

	w = startWatch(false)
	t = time.Now()
	res.Report = filepath.Join(dir, "report.csv")
	lines := report.Lines(p)
	if err := report.WriteRowsFile(res.Report, lines); err != nil {
		return nil, err
	}
	if o.HeapProfile != "" {
		if err := writeHeapProfile(o.HeapProfile + ".report"); err != nil {
			return nil, err
		}
	}
	rep := Stage{Name: "report", Wall: time.Since(t)}
	w.end(&rep)
	stopCPU()
	res.ReportLines = len(lines)
	res.Summary = p.Summary
	for _, r := range p.Rows {
		res.Statuses[r.Status]++
	}
	p, lines = nil, nil

	res.Stages = append(stages, applyStage, rep)
	res.RSSReset = w.rssReset
	return resync(ctx, st, src, opts, bar, rows, dir, res, log)
}

// floorFirst measures the floor of the roster in src before the run
// (runFloor): it plans the roster as the run will, against the same live
// state (the floor's transaction is rolled back, and the tables vacuumed),
// writes the plan's rows, and lets the plan go. It is not part of the
// run's figures: the run, planned again and applied slice by slice as the
// CLI's apply is, writes the same rows the floor wrote. The floor cannot
// be taken from the run's own slices, which are written as they are
// planned, nor after the run, which has changed the state the plan was
// made against. Nil when the roster changes nothing.
func floorFirst(ctx context.Context, st importer.Store, src importer.Source, opts importer.Options, db string, log io.Writer) (*Floor, error) {
	opts.Progress = nil
	p, _, err := importer.Plan(ctx, st, src, opts)
	if err != nil {
		return nil, err
	}
	if p.Empty() {
		return nil, nil
	}
	// A plan made in slices is spilled: its changes' fields come back for
	// the floor, which writes every one of them.
	remove, err := p.Spill("")
	if err != nil {
		return nil, err
	}
	defer remove()
	if _, err := p.Load(allChanges(p)); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "bench: planned %d changes for the floor (not timed)\n", len(p.Changes))
	fl, err := runFloor(ctx, db, p, log)
	if err != nil {
		return nil, fmt.Errorf("the floor: %w", err)
	}
	return fl, nil
}

// resync totals the run's stages in res, then plans and applies the same
// roster again (see Run).
func resync(ctx context.Context, st importer.Store, src importer.Source, opts importer.Options, bar importer.Progress, rows int, dir string, res *Result, log io.Writer) (*Result, error) {
	res.EndToEnd = Stage{Name: "end to end"}
	for i := range res.Stages {
		s := &res.Stages[i]
		s.Rows = rows
		res.EndToEnd.Wall += s.Wall
		res.EndToEnd.CPU += s.CPU
		res.EndToEnd.PeakHeap = max(res.EndToEnd.PeakHeap, s.PeakHeap)
		res.EndToEnd.HeapSys = max(res.EndToEnd.HeapSys, s.HeapSys)
		res.EndToEnd.PeakRSS = max(res.EndToEnd.PeakRSS, s.PeakRSS)
	}
	res.EndToEnd.Rows = rows
	if res.Floor != nil && res.Floor.Wall > 0 {
		res.Ratio = res.EndToEnd.Wall.Seconds() / res.Floor.Wall.Seconds()
	}
	fmt.Fprintf(log, "bench: applied %d changes; end to end %s\n", res.Applied, res.EndToEnd.Wall.Round(time.Millisecond))

	// The same roster again: nothing to do. First as the CLI runs it (the
	// unchanged-roster fast path answers when it applies), then with --full
	// (every row read, checked and planned).
	for _, full := range []bool{false, true} {
		w := startWatch(true)
		t := time.Now()
		opts.Progress, opts.Full = bar, full
		p2, _, err := importer.Plan(ctx, st, src, opts)
		if err != nil {
			return nil, err
		}
		ar2, err := importer.Apply(ctx, st, p2, apply.Options{})
		if err != nil {
			return nil, err
		}
		name := "resync-report.csv"
		if full {
			name = "resync-full-report.csv"
		}
		if err := report.WriteRowsFile(filepath.Join(dir, name), report.Lines(p2)); err != nil {
			return nil, err
		}
		if ar2.Rollback {
			return nil, rolledBack(p2, ar2)
		}
		stage, changes := &res.Resync, &res.ResyncChanges
		if full {
			stage, changes = &res.ResyncFull, &res.ResyncFullChanges
		} else {
			res.ResyncUnchangedSince = p2.UnchangedSince
		}
		*stage = Stage{Name: "re-sync", Wall: time.Since(t), Rows: rows}
		if full {
			stage.Name = "re-sync, full (--full)"
		}
		w.end(stage)
		*changes = len(p2.Changes)
		how := "in full"
		if p2.UnchangedSince > 0 {
			how = fmt.Sprintf("unchanged since run %d", p2.UnchangedSince)
		}
		fmt.Fprintf(log, "bench: %s of the same roster (%s): %d changes in %s\n", stage.Name, how, *changes, stage.Wall.Round(time.Millisecond))
	}

	res.PeakRSS = max(res.EndToEnd.PeakRSS, res.Resync.PeakRSS, res.ResyncFull.PeakRSS)
	return res, nil
}

// workDir returns dir, or when it is "" a temporary directory that done
// removes.
func workDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, nil
	}
	tmp, err := os.MkdirTemp("", "pbxsync-bench-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { os.RemoveAll(tmp) }, nil
}

func allChanges(p *plan.Plan) []int {
	all := make([]int, len(p.Changes))
	for i := range all {
		all[i] = i
	}
	return all
}

// rolledBack is the error of an apply that wrote nothing.
func rolledBack(p *plan.Plan, r *plan.Result) error {
	var errs []error
	for _, f := range r.Failed {
		ch := p.Changes[f.Change]
		errs = append(errs, fmt.Errorf("%s %s %s: %s", ch.Action, ch.Kind, ch.Key, f.Reason))
	}
	return fmt.Errorf("%w: the apply was rolled back: %w", pbx.ErrConflict, errors.Join(errs...))
}

// runSliced is Run's run as the CLI's unattended apply makes it: each
// slice applied as it is planned (importer.PlanApply), the report's lines
// kept in a file slice by slice; its stages are the planning's (validate,
// plan: the apply is within the plan stage), then the report.
func runSliced(ctx context.Context, o Options, st importer.Store, src importer.Source, opts importer.Options, rec *recorder, w *memWatch, res *Result, log io.Writer) (*Result, error) {
	spill, err := report.NewLineSpill("")
	if err != nil {
		return nil, err
	}
	defer spill.Close()
	var spillErr error
	p, c, ar, written, err := importer.PlanApply(ctx, st, src, opts, apply.Options{}, func(q *plan.Plan, r *plan.Result) {
		if err := spill.Add(report.Applied(q, r)); err != nil && spillErr == nil {
			spillErr = err
		}
	})
	if err == nil && !written && !p.Empty() {
		// planned whole (a roster of a slice or fewer rows, pool picks...):
		// applied whole, as the CLI does
		if ar, err = importer.Apply(ctx, st, p, apply.Options{}); err == nil {
			if ar.Rollback {
				return nil, rolledBack(p, ar)
			}
			spillErr = spill.Add(report.Applied(p, ar))
		}
	} else if err == nil && !written {
		ar, spillErr = &plan.Result{}, spill.Add(report.Lines(p))
	}
	if err == nil {
		err = spillErr
	}
	if err != nil {
		return nil, err
	}
	stages := rec.finish()
	for i := range stages {
		if stages[i].Name == "plan" {
			stages[i].Name = "plan and apply, slice by slice"
		}
	}
	w.end(&Stage{})
	rows := c.Total
	c.State, c = nil, nil // as the CLI: the live state goes before the report
	importer.Handover()
	fmt.Fprintf(log, "bench: planned and applied %d rows: %s\n", rows, p.Summary)
	res.Applied, res.RunID, res.Changes = ar.Applied, ar.RunID, p.Written()+len(p.Changes)

	w = startWatch(false)
	t := time.Now()
	res.Report = filepath.Join(filepath.Dir(res.Roster), "report.csv")
	lines, err := spill.Lines()
	if err != nil {
		return nil, err
	}
	if err := report.WriteRowsFile(res.Report, lines); err != nil {
		return nil, err
	}
	rep := Stage{Name: "report", Wall: time.Since(t)}
	w.end(&rep)
	res.ReportLines = len(lines)
	res.Summary = p.Summary
	for _, r := range p.Rows {
		res.Statuses[r.Status]++
	}
	p, lines = nil, nil
	res.Stages = append(stages, rep)
	res.RSSReset = w.rssReset
	return resync(ctx, st, src, opts, nil, rows, filepath.Dir(res.Roster), res, log)
}
