package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// Hook, in tests, hears where a batch is: after change (a plan index) was
// written, after a set-based statement (change -3), just before the commit
// (-1), or just after it (-2); pid is the server process writing the batch
// (0 on SQLite).
type Hook func(ctx context.Context, batch, change int, pid uint32)

// SetwiseMin is the smallest batch written set-wise unless a test says
// otherwise; a smaller batch is written change by change: fewer round
// trips (PostgreSQL), no statements compiled for a handful of rows
// (SQLite).
const SetwiseMin = 16

// Tuning is what a test changes in how a store writes its batches (each
// engine's export_test.go sets Store.Tune).
type Tuning struct {
	Hook        Hook // nil: none
	SetwiseFrom int  // batches of this many changes or more go set-wise; 0 = SetwiseMin
}

// From is SetwiseFrom, or SetwiseMin when it is not set.
func (t Tuning) From() int {
	if t.SetwiseFrom > 0 {
		return t.SetwiseFrom
	}
	return SetwiseMin
}

// Tx is one batch's transaction. Its Q runs the batch's SQL.
type Tx interface {
	Q
	// Bulk is the engine's bulk path for the batch b of p's changes.
	Bulk(p *plan.Plan, b apply.Batch) Bulk
	// Aborted is Applier.Aborted: nil where the transaction stays usable
	// after a broken rule.
	Aborted() func(ctx context.Context) (Q, error)
	Commit(ctx context.Context) error
	// End rolls back what was not committed and lets the connection go.
	End(ctx context.Context)
	// PID is the server process writing the batch, 0 when there is none.
	PID() uint32
}

// batchWriter writes the batches of one run (apply.Writer).
type batchWriter struct {
	e      Engine
	claims bool // Applier.Claims
	tune   Tuning
	run    *Run
	p      *plan.Plan
	ahead  *cut // the next batch, cut into runs while this one is written
	// a slice of a run (ApplySlices): its batches are numbered after the
	// run's batches so far, and its changes recorded by their index in the
	// run's whole plan
	number, seq int
}

// cut is a batch's changes cut into runs (SetRuns) on a goroutine of its
// own: the batch after the one being written is cut while the engine
// writes.
type cut struct {
	changes []int
	runs    []SetRun
	ok      bool
	done    chan struct{}
}

// cutLater starts cutting changes into runs.
func (w *batchWriter) cutLater(changes []int) *cut {
	c := &cut{changes: changes, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.runs, c.ok = SetRuns(w.p, w.p.Company, changes)
	}()
	return c
}

// WriteBatch writes one batch in one transaction (see apply.Writer):
// set-wise when it is large enough, else (or when the set-based statements
// find a change at fault) change by change, which names the change.
func (w *batchWriter) WriteBatch(ctx context.Context, b apply.Batch) error {
	b.Number += w.number
	b.Seq = w.seq
	return apply.SetwiseFirst(len(b.Changes), w.tune.From(), func() error {
		c := w.ahead
		if c == nil || !slices.Equal(c.changes, b.Changes) {
			c = w.cutLater(b.Changes)
		}
		w.ahead = nil
		if len(b.Next) >= w.tune.From() {
			w.ahead = w.cutLater(b.Next)
		}
		<-c.done
		if !c.ok {
			return apply.ErrSetwise
		}
		return w.try(ctx, b, func(ctx context.Context, tx Tx, a *Applier) error {
			if err := a.Setwise(ctx, c.runs, tx.Bulk(w.p, b)); err != nil {
				return err
			}
			if err := a.SetClaims(ctx, b.Changes); err != nil {
				if a.D.ConstraintOf(err).Kind != 0 {
					return apply.ErrSetwise // a value held already: the per-change path names the change and its holder
				}
				return fmt.Errorf("%s: writing the claims: %w", a.D.Name(), err)
			}
			return nil
		})
	}, func() error {
		return w.try(ctx, b, func(ctx context.Context, _ Tx, a *Applier) error {
			return apply.WriteChanges(ctx, b.Changes, a.Change, a.After)
		})
	})
}

// try writes a batch in a transaction of its own with write, then its
// audit records, and commits. A change error from write is returned as it
// is, naming its change; apply.ErrSetwise as it is (nothing committed).
func (w *batchWriter) try(ctx context.Context, b apply.Batch, write func(context.Context, Tx, *Applier) error) error {
	p, run := w.p, w.run
	// The audit record is encoded on another core while the batch is
	// written: it is a fifth of the client's work, and the server's writing
	// leaves the client idle.
	audit := apply.EncodeLater(p, b)
	defer audit() // the encoding reads b: done before the caller goes on
	tx, err := w.e.Begin(ctx, run, b.Number)
	if err != nil {
		return err
	}
	defer tx.End(context.WithoutCancel(ctx))
	if err := apply.CheckReads(ctx, p, b.Changes, func(ctx context.Context, want apply.Wanted) (*apply.Current, error) {
		return ReadCurrent(ctx, tx, w.e, p.Company, want)
	}); err != nil {
		return err // a *apply.ChangeError: what a change relies on moved
	}
	a := &Applier{Q: tx, D: w.e, Claims: w.claims, Company: p.Company, Plan: p, Aborted: tx.Aborted()}
	hook, pid := w.tune.Hook, tx.PID()
	if hook == nil {
		hook = func(context.Context, int, int, uint32) {}
	} else {
		a.After = func(i int) { hook(ctx, b.Number, i, pid) }
	}
	if err := write(ctx, tx, a); err != nil {
		if _, ok := apply.AsChangeError(err); ok || errors.Is(err, apply.ErrSetwise) {
			return err
		}
		return fmt.Errorf("batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		if err := BumpGeneration(ctx, tx, w.e, p.Company); err != nil {
			return fmt.Errorf("batch %d: %w", b.Number, err)
		}
	}
	if len(b.Changes)+len(b.Notes) > 0 {
		if err := RecordBatch(ctx, tx, p.Company, run.ID, b, audit()); err != nil {
			return fmt.Errorf("batch %d: recording its changes: %w", b.Number, err)
		}
	}
	hook(ctx, b.Number, -1, pid)
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("committing batch %d: %w", b.Number, err)
	}
	if len(b.Changes) > 0 {
		run.Commits++
	}
	hook(ctx, b.Number, -2, pid)
	return nil
}
