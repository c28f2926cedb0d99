package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The company lock is a row of company_locks naming the run that holds the
// company, written in a transaction of its own when the run starts and
// deleted when it ends. A SQLite file has no row locks to hold open across
// the run's transactions, so the row is a lease: another run waits while it
// is there, unless its holder is gone: its heartbeat is older than the
// lease (StaleLock; the holder refreshes it every third of the lease, and
// at the end of every batch, see keepAlive), or, sooner, the lock names a
// process of this host that no longer exists.
//
// Every batch refreshes the heartbeat only if the row still names its run,
// in the batch's own transaction: a run whose lock was taken over stops at
// its next batch instead of writing beside the new holder.

// holder is the run that holds a company, as its lock row says (Run, Who,
// Host, PID, Since, Roster).
type holder struct {
	apply.LockedError
	heartbeat time.Time
	running   bool // its run is still marked running
}

// gone reports whether the holder can no longer be running.
func (h *holder) gone(staleAfter time.Duration) bool {
	switch {
	case !h.running:
		return true
	case h.Host == sqlstore.Hostname && h.PID != sqlstore.PID && !processAlive(h.PID):
		return true
	}
	return time.Since(h.heartbeat) > staleAfter
}

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
func (s *Store) tryLock(ctx context.Context, p *plan.Plan, atomic bool, deadline time.Time) (int64, int64, *holder, error) {
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
	h, err := readHolder(ctx, tx, p.Company)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: locking company %s: %w", p.Company, err)
	}
	if h != nil && !h.gone(s.staleLock()) {
		return 0, 0, h, nil
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	run, gen, err := s.StartRun(ctx, &q{x: tx}, "'"+now+"'", p, atomic)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: recording the run: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO company_locks (company, run_id, who, host, pid, since, heartbeat)
		VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)`, p.Company, run, s.Who, sqlstore.Hostname, sqlstore.PID, now); err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: locking company %s: %w", p.Company, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, nil, fmt.Errorf("sqlite: locking company %s: %w", p.Company, err)
	}
	return run, gen, nil, nil
}

// holderOf reads who holds a company, from the last committed state.
func (s *Store) holderOf(ctx context.Context, company string) (*holder, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return readHolder(ctx, tx, company)
}

// readHolder reads a company's lock row; nil when nobody holds it.
func readHolder(ctx context.Context, tx *sql.Tx, company string) (*holder, error) {
	var (
		h                holder
		since, heartbeat string
		outcome          sql.NullString
	)
	err := tx.QueryRowContext(ctx, `SELECT l.run_id, l.who, l.host, l.pid, l.since, l.heartbeat, r.outcome, COALESCE(r.roster, '')
		FROM company_locks l LEFT JOIN runs r ON r.id = l.run_id WHERE l.company = ?1`, company).
		Scan(&h.Run, &h.Who, &h.Host, &h.PID, &since, &heartbeat, &outcome, &h.Roster)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	h.Since, _ = time.Parse(time.RFC3339Nano, since)
	h.heartbeat, _ = time.Parse(time.RFC3339Nano, heartbeat)
	h.running = outcome.String == string(plan.RunRunning)
	return &h, nil
}

// refresh renews the lease of run ?3 on company ?2: its heartbeat is now (?1).
const refresh = `UPDATE company_locks SET heartbeat = ?1 WHERE company = ?2 AND run_id = ?3`

// heartbeat checks, in a batch's transaction, that the run still holds its
// company, and refreshes the lock's heartbeat.
func heartbeat(ctx context.Context, tx *sql.Tx, lk *sqlstore.Run) error {
	res, err := tx.ExecContext(ctx, refresh, time.Now().UTC().Format(time.RFC3339Nano), lk.Company, lk.ID)
	if err != nil {
		return fmt.Errorf("sqlite: checking the company lock: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("%w: company %s: run %d lost its lock (it was stale and another run took over); what was written stays: plan again",
			pbx.ErrLocked, lk.Company, lk.ID)
	}
	return nil
}

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
				s.w.ExecContext(rctx, refresh, time.Now().UTC().Format(time.RFC3339Nano), lk.Company, lk.ID)
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
	rows, err := s.r.QueryContext(ctx, `SELECT l.company, l.run_id, l.who, l.host, l.pid, l.since, COALESCE(r.roster, '')
		FROM company_locks l LEFT JOIN runs r ON r.id = l.run_id ORDER BY l.since`)
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
