package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// Apply writes a plan while holding the company's lock (a lease, see
// lock.go), in batches that are each one IMMEDIATE transaction: see
// sqlstore.Apply.
func (s *Store) Apply(ctx context.Context, p *plan.Plan, o apply.Options) (*plan.Result, error) {
	return sqlstore.Apply(ctx, runner{engine{s: s}}, p, o, s.BatchRows)
}

// runner is the store's side of sqlstore.Apply.
type runner struct{ engine }

// Lock takes the company's lease, kept alive until the run ends.
func (r runner) Lock(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, func(), error) {
	lk, err := r.s.lockCompany(ctx, p, atomic)
	if err != nil {
		return nil, nil, err
	}
	return lk, r.s.keepAlive(ctx, lk), nil
}

func (r runner) Writes() sqlstore.Q { return &q{x: r.s.w} }

// GiveUp deletes the run with its lock.
func (r runner) GiveUp(ctx context.Context, run *sqlstore.Run) {
	if _, err := r.s.w.ExecContext(ctx, `DELETE FROM company_locks WHERE company = $1 AND run_id = $2`, run.Company, run.ID); err == nil {
		r.s.w.ExecContext(ctx, `DELETE FROM runs WHERE id = $1`, run.ID)
	}
}

func (r runner) Writer(run *sqlstore.Run, p *plan.Plan) apply.Writer {
	return &batchWriter{s: r.s, lk: run, p: p}
}

// Finish records the run's end and releases the company (finishRun); when
// that fails it at least lets the company go.
func (r runner) Finish(ctx context.Context, run *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	err := r.s.finishRun(ctx, run, p, t)
	if err != nil {
		r.s.release(ctx, run)
	}
	return err
}

// applier writes the changes of one batch in its transaction: set-wise
// (setwise.go), or change by change (sqlstore.Applier), which names the
// change at fault.
type applier struct {
	*sqlstore.Applier
	tx *sql.Tx
	q  *q // tx, its statements prepared once
}

// batchWriter writes the batches of one run (apply.Writer).
type batchWriter struct {
	s  *Store
	lk *sqlstore.Run
	p  *plan.Plan
}

// WriteBatch writes one batch in one transaction (see apply.Writer):
// set-wise when it is large enough, else (or when the set-based statements
// find a change at fault) change by change, which names the change.
func (w *batchWriter) WriteBatch(ctx context.Context, b apply.Batch) error {
	from := w.s.setwiseFrom
	if from <= 0 {
		from = setwiseMin
	}
	return apply.SetwiseFirst(len(b.Changes), from, func() error {
		return w.try(ctx, b, func(ctx context.Context, a *applier) error { return a.setwise(ctx, b.Changes) })
	}, func() error {
		return w.try(ctx, b, func(ctx context.Context, a *applier) error {
			return apply.WriteChanges(ctx, b.Changes, a.Change, a.After)
		})
	})
}

// try writes a batch in a transaction of its own with write, then its
// audit records, and commits. A change error from write is returned as it
// is, naming its change; apply.ErrSetwise as it is (nothing committed).
func (w *batchWriter) try(ctx context.Context, b apply.Batch, write func(context.Context, *applier) error) error {
	s := w.s
	conn, err := s.writer(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.lockErr(ctx, err, w.p.Company)
	}
	defer tx.Rollback()
	if err := heartbeat(ctx, tx, w.lk); err != nil {
		return err
	}
	if err := apply.CheckReads(ctx, w.p, b.Changes, func(ctx context.Context, want apply.Wanted) (*apply.Current, error) {
		return sqlstore.ReadCurrent(ctx, &q{x: tx}, lite, w.p.Company, want)
	}); err != nil {
		return err // a *apply.ChangeError: what a change relies on moved
	}
	a := &applier{tx: tx, q: &q{x: tx, stmts: map[string]*sql.Stmt{}}}
	a.Applier = &sqlstore.Applier{Q: a.q, D: lite, Company: w.p.Company, Plan: w.p}
	if s.hook != nil {
		a.After = func(i int) { s.hook(ctx, hookEvent{Batch: b.Number, Change: i}) }
	}
	if err := write(ctx, a); err != nil {
		if _, ok := apply.AsChangeError(err); ok || errors.Is(err, apply.ErrSetwise) {
			return err
		}
		return fmt.Errorf("batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		if err := sqlstore.BumpGeneration(ctx, &q{x: tx}, lite, w.p.Company); err != nil {
			return fmt.Errorf("batch %d: %w", b.Number, err)
		}
	}
	if err := recordChanges(ctx, tx, w.lk.ID, w.p, b); err != nil {
		return fmt.Errorf("batch %d: recording its changes: %w", b.Number, err)
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -1})
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("committing batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		w.lk.Commits++
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -2})
	}
	return nil
}

// writer returns the writer connection with the busy timeout set.
func (s *Store) writer(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	timeout := s.BusyTimeout
	if timeout <= 0 {
		timeout = DefaultBusyTimeout
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", timeout.Milliseconds())); err != nil {
		conn.Close()
		return nil, fmt.Errorf("sqlite: setting the busy timeout: %w", err)
	}
	return conn, nil
}

// release deletes the run's company lock, when finishing the run failed.
func (s *Store) release(ctx context.Context, lk *sqlstore.Run) {
	conn, err := s.writer(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.ExecContext(ctx, `DELETE FROM company_locks WHERE company = ?1 AND run_id = ?2`, lk.Company, lk.ID)
}
