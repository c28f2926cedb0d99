package postgres

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// runner is the store's side of sqlstore.Apply.
type runner struct{ engine }

func (r runner) Lock(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, func(), error) {
	return r.s.lockCompany(ctx, p, atomic)
}

func (r runner) Writes() sqlstore.Q { return q{r.s.pool} }

// GiveUp deletes the run (the lock goes with its release).
func (r runner) GiveUp(ctx context.Context, run *sqlstore.Run) {
	r.s.pool.Exec(ctx, `DELETE FROM runs WHERE company = $1 AND id = $2`, run.Company, run.ID)
}

func (r runner) Batches(run *sqlstore.Run, p *plan.Plan) sqlstore.Batches {
	return &batches{s: r.s, lk: run, p: p}
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

// batches begins the batches of one run (sqlstore.Batches).
type batches struct {
	s     *Store
	lk    *sqlstore.Run
	p     *plan.Plan
	ahead *prepared // the next batch, prepared while this one is written
}

func (w *batches) Tuning() sqlstore.Tuning { return w.s.tune }

// Begin begins a batch's transaction with the lock timeout set and checks
// that the run still holds its company (fence).
func (w *batches) Begin(ctx context.Context, number int) (sqlstore.Tx, error) {
	tx, err := w.s.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("beginning batch %d: %w", number, err)
	}
	t := &batchTx{q: q{tx}, tx: tx, w: w}
	// On Citus, a batch that changes the device catalogue (a reference
	// table) after a statement on every shard (othersChanged raises the
	// other companies' generation) is refused in the default parallel
	// mode; sequential changes only how such rare statements are sent.
	if err := setLockTimeout(ctx, tx, w.s.Wait(), "SET LOCAL citus.multi_shard_modify_mode = 'sequential'"); err != nil {
		t.End(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("batch %d: setting the lock timeout: %w", number, err)
	}
	if err := fence(ctx, tx, w.lk.ID, w.p.Company); err != nil {
		t.End(context.WithoutCancel(ctx))
		return nil, err
	}
	return t, nil
}

// batchTx is a batch's transaction (sqlstore.Tx).
type batchTx struct {
	q
	tx pgx.Tx
	w  *batches
}

// Setwise writes the batch with COPY and set-based statements, and starts
// preparing the next batch while the server writes this one.
func (t *batchTx) Setwise(ctx context.Context, a *sqlstore.Applier, b apply.Batch) error {
	w := t.w
	pre := w.ahead
	if pre == nil || !slices.Equal(pre.changes, b.Changes) {
		pre = prepare(w.p, w.p.Company, b.Changes)
	}
	w.ahead = nil
	if len(b.Next) >= w.s.tune.From() {
		w.ahead = prepare(w.p, w.p.Company, b.Next)
	}
	<-pre.done
	if !pre.ok {
		return apply.ErrSetwise
	}
	k := bulk{tx: t.tx, company: w.p.Company, created: map[string]bool{}}
	for _, i := range b.Changes {
		if ch := &w.p.Changes[i]; ch.Kind == plan.KindDevice && ch.Action == plan.Create {
			k.created[ch.Key] = true
		}
	}
	return a.Setwise(ctx, pre.runs, k, false)
}

// Aborted: a broken rule aborts a PostgreSQL transaction; the failure is
// explained on the pool once it is rolled back.
func (t *batchTx) Aborted() func(ctx context.Context) (sqlstore.Q, error) {
	return func(ctx context.Context) (sqlstore.Q, error) { return q{t.w.s.pool}, t.tx.Rollback(ctx) }
}

func (t *batchTx) Commit(ctx context.Context) error { return t.tx.Commit(ctx) }
func (t *batchTx) End(ctx context.Context)          { t.tx.Rollback(ctx) }
func (t *batchTx) PID() uint32                      { return t.tx.Conn().PgConn().PID() }
