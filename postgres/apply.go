package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// Apply writes a plan while holding the company's lock (a row lock, see
// lock.go), in batches that are each one transaction: see sqlstore.Apply.
func (s *Store) Apply(ctx context.Context, p *plan.Plan, o apply.Options) (*plan.Result, error) {
	return sqlstore.Apply(ctx, runner{engine{s: s}}, p, o, s.BatchRows)
}

// runner is the store's side of sqlstore.Apply.
type runner struct{ engine }

func (r runner) Lock(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, func(), error) {
	return r.s.lockCompany(ctx, p, atomic)
}

func (r runner) Writes() sqlstore.Q { return q{r.s.pool} }

// GiveUp deletes the run (the lock goes with its release).
func (r runner) GiveUp(ctx context.Context, run *sqlstore.Run) {
	r.s.pool.Exec(ctx, `DELETE FROM runs WHERE id = $1`, run.ID)
}

func (r runner) Writer(run *sqlstore.Run, p *plan.Plan) apply.Writer {
	return &batchWriter{s: r.s, lk: run, p: p}
}

// Finish records the run's end (finishRun), trying again on a fresh
// connection: the one the pool gave may have died with the run's batch (a
// lost connection).
func (r runner) Finish(ctx context.Context, run *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	err := r.s.finishRun(ctx, run, p, t)
	for try := 1; err != nil && try < 3 && ctx.Err() == nil; try++ {
		time.Sleep(time.Duration(try) * 50 * time.Millisecond)
		err = r.s.finishRun(ctx, run, p, t)
	}
	return err
}

// applier writes the changes of one batch in its transaction: set-wise
// (setwise.go), or change by change (sqlstore.Applier), which names the
// change at fault.
type applier struct {
	*sqlstore.Applier
	tx      pgx.Tx
	created map[string]bool // devices the batch creates (set-based path)
}

// batchWriter writes the batches of one run (apply.Writer).
type batchWriter struct {
	s     *Store
	lk    *sqlstore.Run
	p     *plan.Plan
	ahead *prepared // the next batch, prepared while this one is written
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
		pre := w.ahead
		if pre == nil || !slices.Equal(pre.changes, b.Changes) {
			pre = prepare(w.p, w.p.Company, b.Changes)
		}
		w.ahead = nil
		if len(b.Next) >= from {
			w.ahead = prepare(w.p, w.p.Company, b.Next)
		}
		return w.try(ctx, b, func(ctx context.Context, a *applier) error { return a.setwise(ctx, b.Changes, pre) })
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
	s, lk, p := w.s, w.lk, w.p
	// The audit record is encoded on another core while the batch is
	// written: it is a fifth of the client's work, and the server's writing
	// leaves the client idle.
	audit := apply.EncodeLater(p, b)
	defer audit() // the encoding reads b: done before the caller goes on
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("beginning batch %d: %w", b.Number, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, fmt.Sprintf("%dms", max(s.lockWait().Milliseconds(), 1))); err != nil {
		return fmt.Errorf("batch %d: setting the lock timeout: %w", b.Number, err)
	}
	if err := fence(ctx, tx, lk.ID, p.Company); err != nil {
		return err
	}
	if err := apply.CheckReads(ctx, p, b.Changes, func(ctx context.Context, want apply.Wanted) (*apply.Current, error) {
		return sqlstore.ReadCurrent(ctx, q{tx}, pg, p.Company, want)
	}); err != nil {
		return err // a *apply.ChangeError: what a change relies on moved
	}
	a := &applier{tx: tx, Applier: &sqlstore.Applier{Q: q{tx}, D: pg, Company: p.Company, Plan: p,
		Aborted: func(ctx context.Context) (sqlstore.Q, error) { return q{s.pool}, tx.Rollback(ctx) }}}
	backend := tx.Conn().PgConn().PID()
	if s.hook != nil {
		a.After = func(i int) { s.hook(ctx, hookEvent{Batch: b.Number, Change: i, PID: backend}) }
	}
	if err := write(ctx, a); err != nil {
		if _, ok := apply.AsChangeError(err); ok {
			return err
		}
		if errors.Is(err, apply.ErrSetwise) {
			return err
		}
		return fmt.Errorf("batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		if err := sqlstore.BumpGeneration(ctx, q{tx}, pg, p.Company); err != nil {
			return fmt.Errorf("batch %d: %w", b.Number, err)
		}
	}
	if len(b.Changes)+len(b.Notes) > 0 {
		if err := sqlstore.RecordBatch(ctx, q{tx}, lk.ID, b, audit()); err != nil {
			return fmt.Errorf("batch %d: recording its changes: %w", b.Number, err)
		}
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -1, PID: backend})
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		lk.Commits++
	}
	if s.hook != nil {
		s.hook(ctx, hookEvent{Batch: b.Number, Change: -2, PID: backend})
	}
	return nil
}
