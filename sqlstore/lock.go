package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// A run holds its company from Engine.Lock to Engine.Finish and is
// recorded as running meanwhile (StartRun). How the lock is held is the
// engine's (PostgreSQL's row lock, SQLite's lease on the run's heartbeat);
// who holds it, as a run that waits is told, and the check every batch
// makes that its run still holds the company are written here once.

// Holding is the run that holds a company: the newest of its runs
// recorded as running.
type Holding struct {
	apply.LockedError
	Heartbeat time.Time // when the run last renewed its lease (SQLite); on PostgreSQL its start
}

// Holder reads in q who holds company; nil when no run of it is running.
func Holder(ctx context.Context, q Q, company string) (*Holding, error) {
	h := Holding{LockedError: apply.LockedError{Company: company}}
	var started, beat any // a time (PostgreSQL), RFC 3339 text (SQLite), or NULL
	err := q.QueryRow(ctx, `SELECT id, who, host, pid, started_at, heartbeat, roster FROM runs
		WHERE company = $1 AND outcome = $2 ORDER BY id DESC LIMIT 1`, company, string(plan.RunRunning)).
		Scan(&h.Run, &h.Who, &h.Host, &h.PID, &started, &beat, &h.Roster)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err == nil {
		h.Since, err = timeOf(started)
	}
	if err == nil {
		h.Heartbeat, err = timeOf(beat)
	}
	return &h, err
}

// Fence checks, in a batch's transaction, that run still holds its
// company: that it is still recorded as running (a run that took the
// company over settled it, StartRun). Where the engine locks rows, the
// run's row stays locked until the batch ends, so that no run takes the
// company over meanwhile; else the transaction holds the whole database.
// It reads the row, never writes it: on SQLite the row holds the run's
// plan, and rewriting it at every batch cost a 100k apply 3 s of CPU.
func Fence(ctx context.Context, tx Q, d Dialect, run *Run) error {
	n, err := Counted(ctx, tx, `SELECT 1 FROM runs WHERE company = $1 AND id = $2 AND outcome = $3`+d.ForShare(),
		run.Company, run.ID, string(plan.RunRunning))
	switch {
	case d.LockTimeout(err):
		return fmt.Errorf("%w: company %s: run %d's record stayed locked longer than the lock timeout", pbx.ErrLocked, run.Company, run.ID)
	case err != nil:
		return fmt.Errorf("%s: checking the company lock: %w", d.Name(), err)
	case n != 1:
		return fmt.Errorf("%w: company %s: run %d lost its lock (it stalled or lost its connection, and another run took over); what was written stays: plan again",
			pbx.ErrLocked, run.Company, run.ID)
	}
	return nil
}
