package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The set-based path writes a batch with a few statements per kind of
// change instead of one per change: SQLite runs in the process, so there are
// no round trips to save, but every statement costs its own bind, step and
// reset in the engine and in database/sql, and one statement of 64 rows
// costs much less than 64 statements of one.
//
// New objects go in with multi-row INSERT ... VALUES; updates with one
// UPDATE ... FROM (VALUES ...) per group of changes that set the same
// columns, matching each row by its primary key and the version the plan
// saw (a row whose version differs is not matched, and the count of rows
// written tells); line and member deletes with one DELETE of the rows a
// join of the VALUES with the table finds. Every statement keeps the
// change-by-change path's checks: an update or delete only touches a row of
// the plan's company, a line is created only on a device of it, a member
// only on a number and for a user of it.
//
// Its meaning is the per-change path's, statement for statement: the
// changes are cut into runs that the per-change path would apply in the same
// order with the same result (apply.Runs: same kind and operation, each
// object once, no extension or e-mail taken in the run that another change
// of the run frees), and every run is one statement per group of the same
// columns (split into statements of at most chunkRows rows, under SQLite's
// limit of bound parameters).
// When a statement breaks a rule of the schema or writes fewer rows than it
// has changes, the batch is rolled back and written again change by change,
// which finds the change at fault and says why in domain words.
//
// The postgres store's set-based path (postgres/setwise.go) is the model;
// both cut the runs and groups with package apply.

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

// setRow and setRun are sqlstore's, cut by sqlstore.SetRuns.
type (
	setRow = sqlstore.SetRow
	setRun = sqlstore.SetRun
)

// setwise writes changes (a batch, in plan order) in a.tx with set-based
// statements. It returns apply.ErrSetwise when the batch must be written
// change by change instead (a.tx then holds a partial write: roll it
// back), or another error when the store failed.
func (a *applier) setwise(ctx context.Context, changes []int) error {
	runs, ok := sqlstore.SetRuns(a.Plan, a.Company, changes)
	if !ok {
		return apply.ErrSetwise
	}
	for ri := range runs {
		r := &runs[ri]
		if r.Op == apply.OpInsert && r.Kind == plan.KindUser && a.Scopes == nil {
			if err := a.LoadScopes(ctx); err != nil {
				return err
			}
		}
		for _, g := range apply.Groups(r.Rows, columns.Assign.Name) {
			for len(g) > 0 {
				n := min(len(g), chunkRows, (maxVars-1)/max(perRow(r, g[0]), 1))
				if err := a.setStatement(ctx, r, g[:n]); err != nil {
					return err
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

// setErr tells a statement that breaks a rule (the batch goes change by
// change) from a store that failed.
func setErr(err error) error {
	if constraintOf(err).Kind != 0 {
		return apply.ErrSetwise
	}
	return err
}

// perRow is how many parameters a row of run r takes.
func perRow(r *setRun, row setRow) int {
	t := columns.Tables[r.Kind]
	n := len(row.Keys) + len(row.Sets)
	if r.Op != apply.OpInsert && t != columns.Members {
		n++ // the version
	}
	if r.Op == apply.OpInsert && t.Company {
		n++ // the company
	}
	if r.Op == apply.OpInsert && t.Kind == plan.KindUser {
		n++ // the extension scope
	}
	return n
}

// setStatement writes one chunk of a group with one statement, and checks
// that it wrote a row for every change.
func (a *applier) setStatement(ctx context.Context, r *setRun, g []setRow) error {
	t := columns.Tables[r.Kind]
	var keyNames, setNames []string
	for _, k := range g[0].Keys {
		keyNames = append(keyNames, k.Col)
	}
	for _, x := range g[0].Sets {
		setNames = append(setNames, x.Col)
	}
	q, tail := setSQL(r, keyNames, setNames, len(g))
	args := make([]any, 0, len(g)*perRow(r, g[0])+tail)
	siteAt := slices.Index(setNames, "site")
	for _, row := range g {
		for _, k := range row.Keys {
			args = append(args, k.Val)
		}
		if r.Op != apply.OpInsert && t != columns.Members {
			args = append(args, a.Plan.Changes[row.Change].Version)
		}
		for _, x := range row.Sets {
			args = append(args, x.Val)
		}
		if r.Op == apply.OpInsert && t.Company {
			args = append(args, a.Company)
		}
		if r.Op == apply.OpInsert && t.Kind == plan.KindUser {
			code := ""
			if siteAt >= 0 {
				code, _ = row.Sets[siteAt].Val.(string)
			}
			args = append(args, a.Scopes[code])
		}
	}
	for range tail {
		args = append(args, a.Company)
	}
	st, err := a.q.prepared(ctx, q)
	if err != nil {
		return fmt.Errorf("sqlite: preparing a set-based statement on %s: %w", t.Name, err)
	}
	res, err := st.ExecContext(ctx, args...)
	if err != nil {
		return setErr(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n != int64(len(g)) {
		return apply.ErrSetwise // a version differs, an object is missing or elsewhere: the per-change path says which
	}
	return nil
}

// setSQL is the statement that writes rows rows of a group of run r, whose
// changes name keys and set sets, and how many times the plan's company is
// given after the rows. Its parameters are anonymous (?), in the order of
// the text: each row's keys, version (updates and deletes), values, company
// and extension scope (new users), then the company tail times. (A
// numbered parameter costs modernc's driver a look-up of its name at every
// bind that is linear in the parameters: quadratic for a statement of
// thousands.) The columns of a VALUES list are t.column1, t.column2... in
// the order of the row's parameters.
func setSQL(r *setRun, keys, sets []string, rows int) (string, int) {
	t := columns.Tables[r.Kind]
	cols := append(append([]string{}, keys...), sets...)
	var b strings.Builder
	values := func(width int) {
		b.Grow(rows * (width*3 + 2))
		b.WriteString("VALUES ")
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", width), ", ") + ")"
		for i := range rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
	}
	col := func(j int) string { return "t.column" + strconv.Itoa(j+1) }
	// The column of the VALUES list that holds the version (updates and
	// deletes), and where the values set start.
	ver, first := -1, len(keys)
	if r.Op != apply.OpInsert && t != columns.Members {
		ver, first = len(keys), len(keys)+1
	}
	width := first + len(sets)
	// match joins a row of the table o to its row of the VALUES t by the
	// primary key (and version).
	match := func() string {
		var m []string
		for j, k := range keys {
			m = append(m, "o."+k+" = "+col(j))
		}
		if ver >= 0 {
			m = append(m, "o.version = "+col(ver))
		}
		return strings.Join(m, " AND ")
	}
	// ours keeps the statement inside the plan's company. The unary + keeps
	// SQLite from looking rows up by an index on company: each row is found
	// by its primary key, then checked.
	ours := func() string { return "o.company = ?" } // the first column of every primary key

	switch {
	case r.Op == apply.OpInsert && t == columns.Members:
		// The foreign keys (company, number) and (company, user_id) keep
		// the members inside the company; the company's parameter comes
		// last, as the statement numbers them.
		b.WriteString("INSERT INTO number_members (number, user_id, role, company) SELECT t.column1, t.column2, t.column3, c.company FROM (")
		values(width)
		b.WriteString(`) AS t, (SELECT ? AS company) AS c WHERE true ON CONFLICT DO NOTHING`)
		return b.String(), 1
	case r.Op == apply.OpInsert:
		ins := cols
		if t.Company {
			ins = append(ins, "company")
		}
		if t.Kind == plan.KindUser {
			ins = append(ins, "ext_scope")
		}
		fmt.Fprintf(&b, "INSERT INTO %s (%s, version) ", t.Name, strings.Join(ins, ", "))
		b.WriteString("VALUES ")
		row := "(" + strings.Repeat("?, ", len(ins)) + "1)"
		b.Grow(rows * (len(row) + 2))
		for i := range rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(row)
		}
		return b.String(), 0
	case r.Op == apply.OpUpdate:
		fmt.Fprintf(&b, "UPDATE %s AS o SET ", t.Name)
		for j, c := range sets {
			fmt.Fprintf(&b, "%s = %s, ", c, col(first+j))
		}
		if j := slices.Index(sets, "site"); j >= 0 && t.Kind == plan.KindUser {
			fmt.Fprintf(&b, "ext_scope = %s, ", sqlstore.ExtScopeSQL("o.company", col(first+j)))
		}
		b.WriteString("version = o.version + 1 FROM (")
		values(width)
		fmt.Fprintf(&b, ") AS t WHERE %s AND %s", match(), ours())
		return b.String(), 1
	}
	// Deletes: the rows found by primary key from the VALUES (CROSS JOIN
	// keeps the VALUES the outer loop).
	on := match()
	if t == columns.Members {
		on = "o.number = t.column1 AND o.user_id = t.column2 AND o.role = t.column3"
	}
	fmt.Fprintf(&b, "DELETE FROM %s WHERE rowid IN (SELECT o.rowid FROM (", t.Name)
	values(width)
	fmt.Fprintf(&b, ") AS t CROSS JOIN %s AS o ON %s WHERE %s)", t.Name, on, ours())
	return b.String(), 1
}
