package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The set-based path writes a batch with a few statements per kind of
// change instead of one per change: new objects are copied (COPY) into
// their table; updates and deletes are sent as one array per column and
// written by one UPDATE ... FROM unnest(...) or DELETE ... USING
// unnest(...) matched by company, key and version (a row whose version
// differs is not matched, and the count of rows RETURNING gives tells).
// Arrays, not temporary tables: on Citus a batch that writes claims (other
// shards) commits on several nodes, and PostgreSQL cannot prepare (two-
// phase commit) a transaction that touched a temporary table.
//
// Its meaning is the per-change path's, statement for statement: the
// changes are cut into runs that the per-change path would apply in the same
// order with the same result (apply.Runs: same kind and operation, each
// object once, no extension or e-mail taken in the run that another change
// of the run frees), and every run is one statement per group of the same
// columns. When a statement breaks a rule of the schema or writes fewer rows
// than it has changes, the batch is rolled back and written again change by
// change, which finds the change at fault and says why in domain words.
//
// Number members have no version: a run of member creates or deletes is one
// INSERT ... SELECT or DELETE ... USING over the arrays of their keys, its
// count checked the same way.

// setRow and setRun are sqlstore's, cut by sqlstore.SetRuns.
type (
	setRow = sqlstore.SetRow
	setRun = sqlstore.SetRun
)

// columnTypes are the SQL types of the columns the set-based updates and
// deletes set or match; any other is text.
var columnTypes = map[string]string{
	"version": "bigint", "voice_enabled": "boolean", "sms": "boolean", "port": "integer", "lines": "integer",
}

// setwise writes changes (a batch, in plan order) in a.tx with set-based
// statements. It returns apply.ErrSetwise when the batch must be written
// change by change instead (a.tx is then aborted or holds a partial
// write: roll it back), or another error when the store failed.
func (a *applier) setwise(ctx context.Context, changes []int, pre *prepared) error {
	runs, ok := pre.wait()
	if !ok {
		return apply.ErrSetwise
	}
	a.created = map[string]bool{}
	for _, i := range changes {
		if ch := &a.Plan.Changes[i]; ch.Kind == plan.KindDevice && ch.Action == plan.Create {
			a.created[ch.Key] = true
		}
	}
	for ri := range runs {
		r := &runs[ri]
		if r.Kind == plan.KindUser && r.Op != apply.OpDelete && a.Scopes == nil {
			if err := a.LoadScopes(ctx); err != nil {
				return err
			}
		}
	}
	for ri := range runs {
		r := &runs[ri]
		for _, g := range apply.Groups(r.Rows, columns.Assign.Name) {
			if err := a.setStatement(ctx, r, g); err != nil {
				return err
			}
			if a.After != nil {
				a.After(-3)
			}
		}
	}
	return nil
}

// setErr tells a statement that breaks a rule (the batch goes change by
// change) from a store that failed.
func (a *applier) setErr(err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !lockNotAvailable(err) && (strings.HasPrefix(pe.Code, "23") || strings.HasPrefix(pe.Code, "22") || constraintOf(err).Kind != 0) {
		return apply.ErrSetwise
	}
	return err
}

// prepared is a batch cut into runs (sqlstore.SetRuns) on a goroutine of its own:
// the batch after the one being written is prepared while the server writes.
type prepared struct {
	changes []int
	runs    []setRun
	ok      bool
	done    chan struct{}
}

// prepare starts cutting changes into runs.
func prepare(p *plan.Plan, company string, changes []int) *prepared {
	pr := &prepared{changes: changes, done: make(chan struct{})}
	go func() {
		defer close(pr.done)
		pr.runs, pr.ok = sqlstore.SetRuns(p, company, changes)
	}()
	return pr
}

// wait returns the runs once cut.
func (pr *prepared) wait() ([]setRun, bool) {
	<-pr.done
	return pr.runs, pr.ok
}

// setStatement writes one group: new objects are copied (COPY) straight
// into their table; updates and deletes with one statement over arrays.
func (a *applier) setStatement(ctx context.Context, r *setRun, g []setRow) error {
	if r.Kind == plan.KindMember {
		return a.setMembers(ctx, r, g)
	}
	if r.Op == apply.OpInsert {
		return a.copyInsert(ctx, r, g)
	}
	t := columns.Tables[r.Kind]
	var keyNames, setNames []string
	for _, k := range g[0].Keys {
		keyNames = append(keyNames, k.Col)
	}
	for _, x := range g[0].Sets {
		setNames = append(setNames, x.Col)
	}
	site := slices.Index(setNames, "site")
	scoped := t.Kind == plan.KindUser && site >= 0
	cols := append(append(append([]string{}, keyNames...), "version"), setNames...)
	if scoped {
		cols = append(cols, "ext_scope")
	}
	// One text array per column, cast back to the column's type in SQL:
	// pgx encodes a []*string as text[] whatever the values.
	arrays := make([][]*string, len(cols))
	for c := range arrays {
		arrays[c] = make([]*string, len(g))
	}
	for i, row := range g {
		c := 0
		for _, k := range row.Keys {
			arrays[c][i] = text(k.Val)
			c++
		}
		arrays[c][i] = text(a.Plan.Changes[row.Change].Version)
		c++
		for _, x := range row.Sets {
			arrays[c][i] = text(x.Val)
			c++
		}
		if scoped {
			code, _ := row.Sets[site].Val.(string)
			arrays[c][i] = text(a.Scopes[code])
		}
	}
	args := []any{a.Company}
	params := make([]string, len(cols))
	for c := range cols {
		args = append(args, arrays[c])
		params[c] = fmt.Sprintf("$%d::text[]", c+2)
	}
	col := func(c string) string {
		if typ, ok := columnTypes[c]; ok {
			return "CAST(t." + c + " AS " + typ + ")"
		}
		return "t." + c
	}
	var b strings.Builder
	from := "unnest(" + strings.Join(params, ", ") + ") AS t (" + strings.Join(cols, ", ") + ")"
	switch r.Op {
	case apply.OpUpdate:
		fmt.Fprintf(&b, "UPDATE %s o SET ", t.Name)
		for _, c := range cols[len(keyNames)+1:] {
			fmt.Fprintf(&b, "%s = %s, ", c, col(c))
		}
		fmt.Fprintf(&b, "version = o.version + 1 FROM %s WHERE o.company = $1", from)
	case apply.OpDelete:
		fmt.Fprintf(&b, "DELETE FROM %s o USING %s WHERE o.company = $1", t.Name, from)
	}
	for _, k := range keyNames {
		fmt.Fprintf(&b, " AND o.%s = %s", k, col(k))
	}
	b.WriteString(" AND o.version = " + col("version") + " RETURNING 1")
	written, err := countRows(ctx, a.tx, b.String(), args...)
	if err != nil {
		return a.setErr(err)
	}
	if written != int64(len(g)) {
		return apply.ErrSetwise // a version differs, an object is missing or elsewhere: the per-change path says which
	}
	return nil
}

// text is a column value as the text the set-based arrays carry.
func text(v any) *string {
	var s string
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		s = v
	case bool:
		s = strconv.FormatBool(v)
	case int:
		s = strconv.Itoa(v)
	case int64:
		s = strconv.FormatInt(v, 10)
	default:
		s = fmt.Sprint(v)
	}
	return &s
}

// countRows runs a statement that returns a row per row it wrote and
// counts them (a command tag's count is not that on Citus for every
// statement: an INSERT ... SELECT that does nothing on a conflict counts
// the rows selected).
func countRows(ctx context.Context, tx pgx.Tx, sql string, args ...any) (int64, error) {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// copyInsert creates a group of new objects with one COPY into their
// table, at version 1 in the plan's company; lines only on devices of the
// company.
func (a *applier) copyInsert(ctx context.Context, r *setRun, g []setRow) error {
	t := columns.Tables[r.Kind]
	var cols []string
	for _, k := range g[0].Keys {
		cols = append(cols, k.Col)
	}
	for _, x := range g[0].Sets {
		cols = append(cols, x.Col)
	}
	site := slices.Index(cols, "site")
	if t.Company {
		cols = append(cols, "company")
	}
	if t.Kind == plan.KindUser {
		cols = append(cols, "ext_scope")
	}
	cols = append(cols, "version")
	var macs []string
	rows := make([][]any, len(g))
	for i, row := range g {
		v := make([]any, 0, len(cols))
		for _, k := range row.Keys {
			v = append(v, k.Val)
		}
		for _, x := range row.Sets {
			v = append(v, x.Val)
		}
		if t.Company {
			v = append(v, a.Company)
		}
		if t.Kind == plan.KindUser {
			code := ""
			if site >= 0 {
				code, _ = v[site].(string)
			}
			v = append(v, a.Scopes[code])
		}
		rows[i] = append(v, int64(1))
		if mac := row.Keys[0].Val.(string); t.Kind == plan.KindLine && !a.created[mac] {
			macs = append(macs, mac)
		}
	}
	if len(macs) > 0 { // every line's device must be the company's (those created in this batch are)
		slices.Sort(macs)
		macs = slices.Compact(macs)
		var ours int // primary-key look-ups in the company's shard
		if err := a.tx.QueryRow(ctx, `SELECT count(*) FROM devices WHERE company = $2 AND mac = ANY($1::text[])`,
			macs, a.Company).Scan(&ours); err != nil {
			return a.setErr(err)
		}
		if ours != len(macs) {
			return apply.ErrSetwise
		}
	}
	n, err := a.tx.CopyFrom(ctx, pgx.Identifier{t.Name}, cols, pgx.CopyFromRows(rows))
	if err != nil {
		return a.setErr(err)
	}
	if n != int64(len(g)) {
		return apply.ErrSetwise
	}
	return nil
}

const (
	// The set-based statements of members: one per run of creates or
	// deletes, the members given as arrays; the foreign keys (company,
	// number) and (company, user_id) keep them inside the company.
	memberSetInsert = `INSERT INTO number_members (company, number, user_id, role)
		SELECT $1, t.number, t.user_id, t.role FROM unnest($2::text[], $3::text[], $4::text[]) AS t (number, user_id, role)
		ON CONFLICT (company, number, user_id) DO NOTHING RETURNING 1`
	memberSetDelete = `DELETE FROM number_members m
		USING unnest($2::text[], $3::text[], $4::text[]) AS t (number, user_id, role)
		WHERE m.company = $1 AND m.number = t.number AND m.user_id = t.user_id AND m.role = t.role
		RETURNING 1`
)

// setMembers writes a run of member creates or deletes in one statement.
func (a *applier) setMembers(ctx context.Context, r *setRun, g []setRow) error {
	nums, users, roles := make([]string, len(g)), make([]string, len(g)), make([]string, len(g))
	for i, row := range g {
		nums[i], users[i], roles[i] = row.Keys[0].Val.(string), row.Keys[1].Val.(string), row.Sets[0].Val.(string)
	}
	q := memberSetInsert
	if r.Op == apply.OpDelete {
		q = memberSetDelete
	}
	n, err := countRows(ctx, a.tx, q, a.Company, nums, users, roles)
	if err != nil {
		return a.setErr(err)
	}
	if n != int64(len(g)) {
		return apply.ErrSetwise
	}
	return nil
}
