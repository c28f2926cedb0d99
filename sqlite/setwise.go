package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/sqlstore"
)

// SQLite's bulk path (sqlstore.Bulk): SQLite runs in the process, so there
// are no round trips to save, but every statement costs its own bind, step
// and reset in the engine and in database/sql, and one statement of 64 rows
// costs much less than 64 statements of one. The rows of a statement are a
// multi-row VALUES (new objects a multi-row INSERT), with anonymous
// parameters (?): a numbered parameter costs modernc's driver a look-up of
// its name at every bind that is linear in the parameters, quadratic for a
// statement of thousands. Each statement is prepared once per batch.

// maxVars is SQLite's limit on the bound parameters of one statement
// (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since SQLite 3.32).
const maxVars = 32766

// chunkRows is the most rows one set-based statement writes. A statement
// that writes many rows keeps a statement journal (the pages it changed, as
// they were, to undo it alone when it breaks a rule), which modernc's
// allocator takes and gives back to the system at every statement: on a
// 100,000-user onboarding, statements of 250 rows cost 30% more CPU than
// statements of 64, and statements of 32 no less than 64.
const chunkRows = 64

// bulk is a batch's transaction's bulk path.
type bulk struct{ q *q }

func (bulk) MaxRows(width int) int { return min(chunkRows, (maxVars-1)/max(width, 1)) }
func (bulk) Anon() bool            { return true }

// values writes a VALUES list of rows, their arguments added to b.
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

// Delete finds the rows by primary key from the VALUES (CROSS JOIN keeps
// the VALUES the outer loop).
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
