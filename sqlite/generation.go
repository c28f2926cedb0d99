package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// A company's generation (companies.generation) is raised by one in every
// transaction that writes its live state: each apply batch, a seed. A run
// records the generation it left (runs.generation_after) when nothing but
// the run itself wrote to the company between the plan's reading of the
// live state and the run's end, so that UnchangedSince can tell that a
// company is as that run left it.

// UnchangedSince returns the newest run of company that applied the roster
// with hash rosterHash under the options with hash optionsHash in full
// (outcome applied, no change failed or skipped), after which nothing has
// been written to the company (its generation is the one the run left),
// with the plan the run recorded (its rows, summary and notes; not its
// changes). It returns nil when there is none.
func (s *Store) UnchangedSince(ctx context.Context, company, rosterHash, optionsHash string) (*plan.RunRecord, error) {
	if rosterHash == "" || optionsHash == "" {
		return nil, nil
	}
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: looking for a run of the same roster: %w", err)
	}
	defer tx.Rollback()
	row := tx.QueryRowContext(ctx, `SELECT `+prefixed("r.", runColumns)+`, r.plan FROM runs r JOIN companies c ON c.id = r.company
		WHERE r.company = ?1 AND r.roster_hash = ?2 AND r.options_hash = ?3 AND r.outcome = ?4
			AND r.failed = 0 AND r.skipped = 0 AND r.generation_after = c.generation
		ORDER BY r.id DESC LIMIT 1`, company, rosterHash, optionsHash, string(plan.RunApplied))
	var planJSON string
	r, err := scanRun(extraScan{row, []any{&planJSON}})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: looking for a run of the same roster: %w", err)
	}
	rec, err := apply.NewRunRecord(r, []byte(planJSON))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return rec, nil
}

// extraScan scans a row into a plan.Run's columns and then into more.
type extraScan struct {
	row   scanner
	extra []any
}

func (e extraScan) Scan(dest ...any) error { return e.row.Scan(append(dest, e.extra...)...) }

// prefixed qualifies every column of a column list with prefix.
func prefixed(prefix, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = prefix + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
