package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

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
		r.s.w.ExecContext(ctx, `DELETE FROM runs WHERE company = $1 AND id = $2`, run.Company, run.ID)
	}
}

func (r runner) Batches(run *sqlstore.Run, p *plan.Plan) sqlstore.Batches {
	return &batches{s: r.s, lk: run, p: p}
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

// batches begins the batches of one run (sqlstore.Batches).
type batches struct {
	s  *Store
	lk *sqlstore.Run
	p  *plan.Plan
}

func (w *batches) Tuning() sqlstore.Tuning { return w.s.tune }

// Begin begins a batch's IMMEDIATE transaction on the writer and checks
// that the run still holds its company, refreshing its lease (heartbeat).
func (w *batches) Begin(ctx context.Context, number int) (sqlstore.Tx, error) {
	conn, err := w.s.writer(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, w.s.lockErr(ctx, err, w.p.Company)
	}
	t := &batchTx{q: &q{x: tx, stmts: map[string]*sql.Stmt{}}, conn: conn, tx: tx, lk: w.lk}
	if err := heartbeat(ctx, tx, w.lk); err != nil {
		t.End(ctx)
		return nil, err
	}
	return t, nil
}

// batchTx is a batch's transaction (sqlstore.Tx).
type batchTx struct {
	*q
	conn *sql.Conn
	tx   *sql.Tx
	lk   *sqlstore.Run
}

// Setwise writes the batch with multi-row statements.
func (t *batchTx) Setwise(ctx context.Context, a *sqlstore.Applier, b apply.Batch) error {
	runs, ok := sqlstore.SetRuns(a.Plan, a.Company, b.Changes)
	if !ok {
		return apply.ErrSetwise
	}
	return a.Setwise(ctx, runs, bulk{t.q}, true)
}

// Aborted is nil: a broken rule leaves a SQLite transaction usable.
func (t *batchTx) Aborted() func(ctx context.Context) (sqlstore.Q, error) { return nil }

// Commit refreshes the lease and commits: the lease runs from the end of
// the batch, so a run that waited for the file while this batch was
// written finds the heartbeat fresh.
func (t *batchTx) Commit(ctx context.Context) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE company_locks SET heartbeat = $1 WHERE company = $2 AND run_id = $3`,
		time.Now().UTC().Format(time.RFC3339Nano), t.lk.Company, t.lk.ID); err != nil {
		return err
	}
	return t.tx.Commit()
}

func (t *batchTx) End(context.Context) {
	t.tx.Rollback()
	t.conn.Close()
}

func (t *batchTx) PID() uint32 { return 0 }

// writer returns the writer connection with the busy timeout set.
func (s *Store) writer(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", s.busyTimeout().Milliseconds())); err != nil {
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
