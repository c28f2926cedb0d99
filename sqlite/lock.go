package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The company lock is the company's run recorded as running
// (sqlstore.StartRun, in a transaction of its own), until the run ends.
// A SQLite file has no row locks to hold open across the run's
// transactions, so the run is a lease: another run waits while it is
// running, unless its holder is gone: its heartbeat is older than the
// lease (StaleLock; the holder refreshes it every third of the lease, see
// keepAlive, and as it commits a batch that took longer), or, sooner, the
// run names a process of this host that no longer exists. The run that
// takes over settles it.
//
// Every batch checks that its run is still running (sqlstore.Fence), in
// the batch's own transaction: a run whose lock was taken over stops at its
// next batch instead of writing beside the new holder.

// gone reports whether the holder can no longer be running.
func gone(h *sqlstore.Holding, staleAfter time.Duration) bool {
	if h.Host == sqlstore.Hostname && h.PID != sqlstore.PID && !processAlive(h.PID) {
		return true
	}
	return time.Since(h.Heartbeat) > staleAfter
}

// now is the time as the file holds it: RFC 3339, UTC.
func now() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// lockCompany waits up to LockWait for the company's lock, records the run
// (outcome 'running') and returns the held lock. A lock held longer than
// the wait wraps pbx.ErrLocked and says by which run.
func (s *Store) lockCompany(ctx context.Context, p *plan.Plan, atomic bool) (*sqlstore.Run, error) {
	wait := s.Wait()
	start := time.Now()
	deadline := start.Add(wait)
	var waitedFor int64
	for {
		run, gen, h, err := s.tryLock(ctx, p, atomic, deadline)
		if err != nil {
			return nil, err
		}
		if run > 0 {
			return &sqlstore.Run{Company: p.Company, ID: run, Gen: gen, Waited: time.Since(start), Holder: waitedFor}, nil
		}
		if h != nil {
			waitedFor = h.Run
		}
		left := time.Until(deadline)
		if left <= 0 {
			if h == nil {
				return nil, fmt.Errorf("%w: company %s: the database is being written by %s and stayed busy for %s; wait for it to finish and try again",
					pbx.ErrLocked, p.Company, s.holdersText(context.WithoutCancel(ctx)), wait)
			}
			h.Company, h.Waited = p.Company, wait
			return nil, &h.LockedError
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(min(left, 20*time.Millisecond)):
		}
	}
}

// tryLock takes the company's lock if nobody holds it (or its holder is
// gone) and returns the new run's id and the company's generation;
// otherwise it returns 0 and the holder (nil when the database stayed busy
// until the deadline).
func (s *Store) tryLock(ctx context.Context, p *plan.Plan, atomic bool, deadline time.Time) (int64, int64, *sqlstore.Holding, error) {
	cctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	conn, err := s.w.Conn(cctx)
	if err != nil {
		if ctx.Err() == nil && cctx.Err() != nil { // the writer stayed busy
			h, _ := s.holderOf(ctx, p.Company)
			return 0, 0, h, nil
		}
		return 0, 0, nil, fmt.Errorf("sqlite: %w", err)
	}
	defer conn.Close()
	busyMS := max(time.Until(deadline).Milliseconds(), 1)
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", busyMS)); err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: setting the busy timeout: %w", err)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		if busy(err) {
			h, _ := s.holderOf(ctx, p.Company)
			return 0, 0, h, nil
		}
		return 0, 0, nil, fmt.Errorf("sqlite: locking company %s: %w", p.Company, err)
	}
	defer tx.Rollback()
	h, err := sqlstore.Holder(ctx, &q{x: tx}, p.Company)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: locking company %s: %w", p.Company, err)
	}
	if h != nil && !gone(h, s.staleLock()) {
		return 0, 0, h, nil
	}
	run, gen, err := s.StartRun(ctx, &q{x: tx}, "'"+now()+"'", p, atomic)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: recording the run: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: locking company %s: %w", p.Company, err)
	}
	return run, gen, nil, nil
}

// holderOf reads who holds a company, from the last committed state.
func (s *Store) holderOf(ctx context.Context, company string) (h *sqlstore.Holding, err error) {
	err = engine{s: s}.Snapshot(ctx, func(q sqlstore.Q) error {
		h, err = sqlstore.Holder(ctx, q, company)
		return err
	})
	return h, err
}

// refresh renews the lease of run ?3 on company ?2 while it is running:
// its heartbeat is now (?1).
const refresh = `UPDATE runs SET heartbeat = ?1 WHERE company = ?2 AND id = ?3 AND outcome = 'running'`

// keepAlive refreshes the lock's heartbeat every third of the lease until
// the returned stop is called, so that a run whose batches are slow to come
// (a long plan, a slow disk) keeps its lease, and one whose process died
// loses it within the lease.
func (s *Store) keepAlive(ctx context.Context, lk *sqlstore.Run) (stop func()) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	every := max(s.staleLock()/3, 10*time.Millisecond)
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				// Best effort: a refresh that fails (the file busy) is tried
				// again at the next tick, and every batch refreshes it too.
				rctx, rcancel := context.WithTimeout(ctx, every)
				s.w.ExecContext(rctx, refresh, now(), lk.Company, lk.ID)
				rcancel()
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}

// holdersText names the runs that hold a lock of the file (any company),
// for a message about a busy database.
func (s *Store) holdersText(ctx context.Context) string {
	rows, err := s.r.QueryContext(ctx, `SELECT company, id, who, host, pid, started_at, roster FROM runs
		WHERE outcome = 'running' ORDER BY started_at`)
	if err != nil {
		return "another process"
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var (
			company, who, host, since, roster string
			run                               int64
			pid                               int
		)
		if rows.Scan(&company, &run, &who, &host, &pid, &since, &roster) != nil {
			continue
		}
		t, _ := time.Parse(time.RFC3339Nano, since)
		part := fmt.Sprintf("run %d of company %s (%s, pid %d on %s, since %s", run, company, who, pid, host, t.Local().Format("15:04:05"))
		if roster != "" {
			part += ", roster " + roster
		}
		parts = append(parts, part+")")
	}
	if len(parts) == 0 {
		return "another process (no pbxsync run holds a lock: another program, such as sqlite3 or a backup, may be writing the file)"
	}
	return strings.Join(parts, " and ")
}

func (s *Store) busyTimeout() time.Duration {
	if s.BusyTimeout > 0 {
		return s.BusyTimeout
	}
	return DefaultBusyTimeout
}
