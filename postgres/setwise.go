package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// PostgreSQL's bulk path (sqlstore.Bulk): new objects are copied (COPY);
// the rows of an update or delete are one text array per column, read by
// unnest and cast back to the column's type (columnTypes; else text).
var columnTypes = map[string]string{
	"version": "bigint", "voice_enabled": "boolean", "sms": "boolean", "port": "integer", "lines": "integer",
}

type bulk struct {
	tx      pgx.Tx
	company string
	created map[string]bool // devices the batch creates
}

func (bulk) MaxRows(int) int { return 1 << 30 }
func (bulk) Anon() bool      { return false }

func (bulk) Rows(b *sqlstore.SQL, cols []string, rows [][]any) func(int) string {
	params := make([]string, len(cols))
	for c := range cols {
		arr := make([]*string, len(rows))
		for i, row := range rows {
			arr[i] = text(row[c])
		}
		params[c] = b.Arg(arr) + "::text[]"
	}
	fmt.Fprintf(b, "unnest(%s) AS t (%s)", strings.Join(params, ", "), strings.Join(cols, ", "))
	return func(j int) string {
		if typ, ok := columnTypes[cols[j]]; ok {
			return "CAST(t." + cols[j] + " AS " + typ + ")"
		}
		return "t." + cols[j]
	}
}

func (bulk) Delete(table, from, on, company string) string {
	return "DELETE FROM " + table + " AS o USING " + from + " WHERE " + on + " AND o.company = " + company
}

// Write counts the rows the statement returns (a command tag's count is not
// that on Citus for every statement).
func (k bulk) Write(ctx context.Context, sql string, args []any) (int64, error) {
	rows, err := k.tx.Query(ctx, sql+" RETURNING 1", args...)
	if err != nil {
		return 0, setErr(err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		n++
	}
	return n, setErr(rows.Err())
}

// Insert copies the rows; lines only on devices of the company.
func (k bulk) Insert(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	if table == "device_lines" {
		var macs []string
		for _, row := range rows {
			if mac := row[0].(string); !k.created[mac] {
				macs = append(macs, mac)
			}
		}
		if len(macs) > 0 { // every line's device must be the company's (those created in this batch are)
			slices.Sort(macs)
			macs = slices.Compact(macs)
			var ours int // primary-key look-ups in the company's shard
			if err := k.tx.QueryRow(ctx, `SELECT count(*) FROM devices WHERE company = $2 AND mac = ANY($1::text[])`,
				macs, k.company).Scan(&ours); err != nil {
				return 0, setErr(err)
			}
			if ours != len(macs) {
				return 0, apply.ErrSetwise
			}
		}
	}
	n, err := k.tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
	return n, setErr(err)
}

// setErr tells a statement that breaks a rule from a store that failed.
func setErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !lockNotAvailable(err) && (strings.HasPrefix(pe.Code, "23") || strings.HasPrefix(pe.Code, "22")) {
		return apply.ErrSetwise
	}
	return err
}

// text is a column value as the set-based arrays carry it.
func text(v any) *string {
	s, ok := v.(string)
	switch {
	case v == nil:
		return nil
	case !ok:
		s = fmt.Sprint(v)
	}
	return &s
}
