package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
)

// The set-based path writes a batch with a few statements per kind of
// change: new objects by the engine's bulk insert, updates by one UPDATE
// ... FROM the rows matched by company, key and the version the plan saw,
// deletes by one DELETE of the rows a join finds. The rows are sent as the
// engine's Bulk says: text arrays read by unnest on PostgreSQL (not
// temporary tables: on Citus a batch that writes claims commits on several
// nodes, and PostgreSQL cannot prepare a transaction that touched one), a
// multi-row VALUES on SQLite.
//
// Its meaning is the per-change path's: apply.Runs cuts the changes into
// runs that path would apply in the same order with the same result, each
// run one statement per group of the same columns. When a statement breaks
// a rule or writes fewer rows than it has changes, the batch is rolled back
// and written change by change, which finds the change at fault.

type (
	SetRow = apply.Row[Assign]
	SetRun = apply.Run[SetRow] // changes of one kind and operation
)

// SetRuns cuts the changes of p into runs of rows; ok is false when a
// change can only be written change by change.
func SetRuns(p *plan.Plan, company string, changes []int) ([]SetRun, bool) {
	return apply.Runs(p, changes, func(i int, op apply.Op) (SetRow, bool) {
		return RowOf(&p.Changes[i], i, op, company)
	})
}

// Bulk is an engine's bulk path: how the rows of a set-based statement are
// sent, and the statements that differ.
type Bulk interface {
	MaxRows(width int) int // the most rows of width values one statement takes
	// Rows writes to b the FROM item "t" of rows (values of cols), and
	// returns how column j is read from it.
	Rows(b *SQL, cols []string, rows [][]any) (col func(j int) string)
	Insert(ctx context.Context, table string, cols []string, rows [][]any) (int64, error)
	// Delete deletes from table (as o) the rows the join of from (a FROM
	// item of Rows) on on finds with o.company = company (a parameter).
	Delete(table, from, on, company string) string
	Write(ctx context.Context, sql string, args []any) (int64, error) // an UPDATE or DELETE: rows written
	Anon() bool                                                       // SQL.Anon
}

// SQL is a statement and its arguments; Anon numbers no parameter (?, in
// the order of the text), which binds faster on SQLite.
type SQL struct {
	strings.Builder
	Args []any
	Anon bool
}

// Arg adds an argument and returns its placeholder.
func (b *SQL) Arg(v any) string {
	b.Args = append(b.Args, v)
	if b.Anon {
		return "?"
	}
	return "$" + strconv.Itoa(len(b.Args))
}

// Setwise writes runs with set-based statements sent by bk. It returns
// apply.ErrSetwise when the batch must be written change by change instead
// (roll the transaction back), another error when the store failed.
func (a *Applier) Setwise(ctx context.Context, runs []SetRun, bk Bulk) error {
	for ri := range runs {
		r := &runs[ri]
		if r.Kind == plan.KindUser && r.Op != apply.OpDelete && a.Scopes == nil {
			if err := a.LoadScopes(ctx); err != nil {
				return err
			}
		}
		for _, g := range apply.Groups(r.Rows, Assign.Name) {
			for len(g) > 0 {
				cols, rows := a.setRows(r, g)
				n := min(len(g), max(bk.MaxRows(len(cols)), 1))
				written, err := a.setStatement(ctx, bk, r, cols, rows[:n])
				if err != nil {
					if a.D.ConstraintOf(err).Kind != 0 {
						return apply.ErrSetwise
					}
					return err
				}
				if written != int64(n) {
					return apply.ErrSetwise // a version differs, an object is missing or elsewhere: the per-change path says which
				}
				if a.After != nil {
					a.After(-3)
				}
				g = g[n:]
			}
		}
	}
	return nil
}

// setRows is a group's columns and values: keys, the version it must have
// (updates, deletes), the values it sets, a user's extension scope where
// its site is set, then the company and version 1 (inserts).
func (a *Applier) setRows(r *SetRun, g []SetRow) ([]string, [][]any) {
	t := Tables[r.Kind]
	versioned := r.Op != apply.OpInsert && t != Members
	var cols []string
	for _, k := range g[0].Keys {
		cols = append(cols, k.Col)
	}
	if versioned {
		cols = append(cols, "version")
	}
	for _, x := range g[0].Sets {
		cols = append(cols, x.Col)
	}
	site := slices.Index(cols, "site")
	scoped := t.Kind == plan.KindUser && (site >= 0 || r.Op == apply.OpInsert)
	if scoped {
		cols = append(cols, "ext_scope")
	}
	insert := r.Op == apply.OpInsert
	if insert {
		cols = append(cols, "company")
		if t != Members {
			cols = append(cols, "version")
		}
	}
	rows := make([][]any, len(g))
	for i, row := range g {
		v := make([]any, 0, len(cols))
		for _, k := range row.Keys {
			v = append(v, k.Val)
		}
		if versioned {
			v = append(v, a.Plan.Changes[row.Change].Version)
		}
		for _, x := range row.Sets {
			v = append(v, x.Val)
		}
		if scoped {
			code := ""
			if site >= 0 {
				code, _ = v[site].(string)
			}
			v = append(v, a.Scopes[code])
		}
		if insert {
			v = append(v, a.Company)
			if t != Members {
				v = append(v, int64(1))
			}
		}
		rows[i] = v
	}
	return cols, rows
}

// setStatement writes rows of run r with one statement.
func (a *Applier) setStatement(ctx context.Context, bk Bulk, r *SetRun, cols []string, rows [][]any) (int64, error) {
	t := Tables[r.Kind]
	if r.Op == apply.OpInsert {
		return bk.Insert(ctx, t.Name, cols, rows)
	}
	b := SQL{Anon: bk.Anon()}
	var from strings.Builder
	col := bk.Rows(&b, cols, rows)
	from.WriteString(b.String())
	// The row of the table o matches its row of t by every column but those
	// an update sets.
	match := len(cols)
	if r.Op == apply.OpUpdate {
		match = len(r.Rows[0].Keys) + 1
	}
	var on []string
	for j, c := range cols[:match] {
		on = append(on, "o."+c+" = "+col(j))
	}
	b.Reset()
	switch r.Op {
	case apply.OpUpdate:
		fmt.Fprintf(&b, "UPDATE %s AS o SET ", t.Name)
		for j, c := range cols[match:] {
			fmt.Fprintf(&b, "%s = %s, ", c, col(match+j))
		}
		fmt.Fprintf(&b, "version = o.version + 1 FROM %s WHERE %s AND o.company = %s", from.String(), strings.Join(on, " AND "), b.Arg(a.Company))
	case apply.OpDelete:
		b.WriteString(bk.Delete(t.Name, from.String(), strings.Join(on, " AND "), b.Arg(a.Company)))
	default:
		return 0, errors.New("no set-based statement for " + string(r.Kind))
	}
	return bk.Write(ctx, b.String(), b.Args)
}

func (a *Applier) LoadScopes(ctx context.Context) (err error) {
	if a.Scopes, err = scopes(ctx, a.Q, a.Company); err != nil {
		return fmt.Errorf("%s: %w", a.D.Name(), err)
	}
	return nil
}

// scopes reads the extension scope of each site of company: its code when
// it has a dial plan of its own, else "", sent as a value (Citus refuses a
// subquery inside INSERT ... VALUES).
func scopes(ctx context.Context, q Q, company string) (map[string]string, error) {
	m := map[string]string{}
	err := each(ctx, q, `SELECT code, CASE WHEN own_dial_plan THEN code ELSE '' END FROM sites WHERE company = $1`, func(r Rows) error {
		var code, scope string
		err := r.Scan(&code, &scope)
		m[code] = scope
		return err
	}, company)
	if err != nil {
		return nil, fmt.Errorf("reading the sites of company %s: %w", company, err)
	}
	return m, nil
}
