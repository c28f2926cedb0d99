package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/sqlstore"
)

// SQLite's bulk path (sqlstore.Bulk): no round trips to save, but every
// statement costs its own bind, step and reset, and one statement of 64 rows
// much less than 64 of one. The rows are a multi-row VALUES with anonymous
// parameters (?): modernc's driver looks a numbered parameter up by name
// at every bind, quadratic for a statement of thousands.

// maxVars is SQLITE_MAX_VARIABLE_NUMBER (since SQLite 3.32).
const maxVars = 32766

// chunkRows is the most rows one set-based statement writes. A statement of
// many rows keeps a statement journal, which modernc's allocator takes and
// gives back at every statement: on a 100,000-user onboarding, statements
// of 250 rows cost 30% more CPU than of 64, and of 32 no less.
const chunkRows = 64

type bulk struct{ q *q }

func (bulk) MaxRows(width int) int { return min(chunkRows, (maxVars-1)/max(width, 1)) }
func (bulk) Anon() bool            { return true }

// values writes a VALUES list of rows.
func values(b *sqlstore.SQL, rows [][]any) {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(rows[0])), ", ") + ")"
	b.Grow(len(rows) * (len(row) + 2))
	b.WriteString("VALUES ")
	for i, r := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
		b.Args = append(b.Args, r...)
	}
}

// Rows are a VALUES list, whose columns are column1, column2...
func (bulk) Rows(b *sqlstore.SQL, _ []string, rows [][]any) func(int) string {
	b.WriteString("(")
	values(b, rows)
	b.WriteString(") AS t")
	return func(j int) string { return "t.column" + strconv.Itoa(j+1) }
}

// Delete finds the rows by rowid (CROSS JOIN keeps the VALUES the outer loop).
func (bulk) Delete(table, from, on, company string) string {
	return fmt.Sprintf("DELETE FROM %s WHERE rowid IN (SELECT o.rowid FROM %s CROSS JOIN %s AS o ON %s WHERE o.company = %s)",
		table, from, table, on, company)
}

func (k bulk) Write(ctx context.Context, sql string, args []any) (int64, error) {
	return k.q.Exec(ctx, sql, args...)
}

func (k bulk) Insert(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	b := sqlstore.SQL{Anon: true}
	fmt.Fprintf(&b, "INSERT INTO %s (%s) ", table, strings.Join(cols, ", "))
	values(&b, rows)
	return k.q.Exec(ctx, b.String(), b.Args...)
}
