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

type engine struct {
	dialect
	s *Store
}

// ClaimTables is false: the claims are views of the objects (migration 010).
func (engine) ClaimTables() bool { return false }

func (e engine) Snapshot(ctx context.Context, read func(sqlstore.Q) error) error {
	tx, err := e.s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("beginning a read: %w", err)
	}
	defer tx.Rollback()
	return read(&q{x: tx})
}

// Settle: the run's process is gone when another run holds the company or
// its lease expired.
func (e engine) Settle(ctx context.Context, r *plan.Run) error {
	s := e.s
	if r.Outcome != plan.RunRunning {
		return nil
	}
	h, err := s.holderOf(ctx, r.Company)
	if err != nil {
		return err
	}
	if h != nil && h.Run == r.ID && !gone(h, s.staleLock()) {
		return nil
	}
	r.Outcome = apply.Settled(*r)
	return nil
}

// Write runs write in an IMMEDIATE transaction on the writer.
func (e engine) Write(ctx context.Context, company string, write func(sqlstore.Q) error) error {
	t, err := e.begin(ctx, company)
	if err != nil {
		return err
	}
	defer t.End(ctx)
	if err := write(t.q); err != nil {
		return err
	}
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: committing: %w", err)
	}
	return nil
}

// begin begins an IMMEDIATE transaction on the writer for company ("": none).
func (e engine) begin(ctx context.Context, company string) (*batchTx, error) {
	conn, err := e.s.writer(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		conn.Close()
		return nil, e.s.lockErr(ctx, err, company)
	}
	return &batchTx{q: &q{x: tx, stmts: map[string]*sql.Stmt{}}, conn: conn, tx: tx}, nil
}

// The store's side of Apply: the company's lock (lock.go), the batches'
// transactions, the run's end.

// Lock takes the company's lease, kept alive until the run ends.
func (e engine) Lock(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, func(), error) {
	lk, err := e.s.lockCompany(ctx, p, atomic)
	if err != nil {
		return nil, nil, err
	}
	return lk, e.s.keepAlive(ctx, lk), nil
}

// GiveUp deletes the run, and the company's lease with it.
func (e engine) GiveUp(ctx context.Context, run *sqlstore.Run) {
	e.s.w.ExecContext(ctx, `DELETE FROM runs WHERE company = $1 AND id = $2`, run.Company, run.ID)
}

// Finish records how the run ended and the changes it never reached,
// which releases the company; when that fails it at least lets the company
// go: a run without a heartbeat has no lease.
func (e engine) Finish(ctx context.Context, run *sqlstore.Run, p *plan.Plan, t *apply.Tally) error {
	err := e.Write(ctx, run.Company, func(x sqlstore.Q) error {
		// The generation the run left is known while it still holds the
		// company (a run whose stale lock another run took is past knowing
		// it). SQLite commits what it says it committed: the tally is exact.
		held := sqlstore.Fence(ctx, x, lite, run) == nil
		return sqlstore.FinishRun(ctx, x, "'"+now()+"'", run, p, t, held)
	})
	if err != nil {
		if conn, cerr := e.s.writer(ctx); cerr == nil {
			conn.ExecContext(ctx, `UPDATE runs SET heartbeat = NULL WHERE company = $1 AND id = $2`, run.Company, run.ID)
			conn.Close()
		}
	}
	return err
}

// Begin begins a batch's IMMEDIATE transaction on the writer and checks
// that the run still holds its company (sqlstore.Fence).
func (e engine) Begin(ctx context.Context, run *sqlstore.Run, number int) (sqlstore.Tx, error) {
	t, err := e.begin(ctx, run.Company)
	if err != nil {
		return nil, err
	}
	t.lk, t.start, t.long = run, time.Now(), e.s.staleLock()/3
	if err := sqlstore.Fence(ctx, t.q, lite, run); err != nil {
		t.End(ctx)
		return nil, err
	}
	return t, nil
}

// batchTx is a transaction on the writer: a batch's (sqlstore.Tx; lk is
// its run, begun at start), or Write's.
type batchTx struct {
	*q
	conn  *sql.Conn
	tx    *sql.Tx
	lk    *sqlstore.Run
	start time.Time
	long  time.Duration // a batch that takes longer renews the lease as it commits
}

// Bulk sends multi-row statements (setwise.go).
func (t *batchTx) Bulk(*plan.Plan, apply.Batch) sqlstore.Bulk { return bulk{t.q} }

// Aborted is nil: a broken rule leaves a SQLite transaction usable.
func (t *batchTx) Aborted() func(ctx context.Context) (sqlstore.Q, error) { return nil }

// Commit commits, renewing the lease first when the batch took long: the
// keep-alive cannot renew it while a batch holds the writer, so a run that
// waited for the file while a long batch was written finds the heartbeat
// fresh.
func (t *batchTx) Commit(ctx context.Context) error {
	if time.Since(t.start) > t.long {
		if _, err := t.Exec(ctx, refresh, now(), t.lk.Company, t.lk.ID); err != nil {
			return fmt.Errorf("sqlite: renewing the company lock: %w", err)
		}
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
