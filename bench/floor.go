package bench

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The floor writes the rows of a plan the fastest way PostgreSQL has, into
// the same tables with the same indexes and constraints, in one transaction:
// new rows by COPY; changed rows by COPY into a temporary table and one
// UPDATE ... FROM per table (and per set of changed columns); freed device
// lines by COPY into a temporary table and one DELETE ... USING. Every
// update and delete checks the version, as Apply does. The audit log is
// not written. The transaction is rolled back, and the tables vacuumed,
// so that the plan then applies to the state it was made from.

// Where a change goes (table, key, columns, how a value is stored) is the
// store's own declaration (sqlstore.RowOf: the rows of its set-based
// statements); the floor writes the same rows.

// Creates go in foreign-key order; updates and deletes after them.
var createOrder = []plan.Kind{plan.KindLocation, plan.KindUser, plan.KindDevice, plan.KindLine}
var updateOrder = []plan.Kind{plan.KindLocation, plan.KindUser, plan.KindDevice, plan.KindNumber, plan.KindLine}

// runFloor measures the floor of p on the PostgreSQL database at url.
func runFloor(ctx context.Context, url string, p *plan.Plan, log io.Writer) (*Floor, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	ownPlan, err := ownDialPlans(ctx, conn, p.Company)
	if err != nil {
		return nil, err
	}
	claims, err := claimTables(ctx, conn)
	if err != nil {
		return nil, err
	}
	f := &Floor{}
	start := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	step := func(what string, run func() (int, error)) error {
		t := time.Now()
		n, err := run()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		f.Steps = append(f.Steps, Step{What: what, Rows: n, Wall: time.Since(t)})
		f.Rows += n
		return nil
	}

	creates := map[plan.Kind][]*floorGroup{}
	updates := map[plan.Kind][]*floorGroup{}
	var deletes []int
	bySig := map[string]*floorGroup{}
	for i := range p.Changes {
		ch := &p.Changes[i]
		op, ok := apply.OpOf(ch)
		if !ok || ch.Kind == plan.KindMember {
			return nil, fmt.Errorf("change %d: the floor writes no %s of a %s", i, ch.Action, ch.Kind)
		}
		row, ok := sqlstore.RowOf(ch, i, op, p.Company)
		if !ok {
			return nil, fmt.Errorf("change %d: %s %s: a value does not convert", i, ch.Kind, ch.Key)
		}
		if op == apply.OpDelete { // a freed device line (apply.OpOf)
			deletes = append(deletes, i)
			continue
		}
		sets := names(row.Sets)
		sig := fmt.Sprint(op, ch.Kind, sets)
		g := bySig[sig]
		if g == nil {
			g = &floorGroup{op: op, keys: names(row.Keys), sets: sets}
			bySig[sig] = g
			if op == apply.OpInsert {
				creates[ch.Kind] = append(creates[ch.Kind], g)
			} else {
				updates[ch.Kind] = append(updates[ch.Kind], g)
			}
		}
		g.changes = append(g.changes, i)
	}

	for _, k := range createOrder {
		if len(creates[k]) == 0 {
			continue
		}
		t := sqlstore.Tables[k]
		if err := step("COPY "+t.Name, func() (int, error) { return copyCreates(ctx, tx, t, p, creates[k], ownPlan) }); err != nil {
			return nil, err
		}
	}
	if claims {
		if err := step("COPY claims", func() (int, error) { return copyClaims(ctx, tx, p, creates) }); err != nil {
			return nil, err
		}
		f.Rows -= f.Steps[len(f.Steps)-1].Rows // written beside the plan's changes, not changes of it
	}
	n := 0
	for _, k := range updateOrder {
		t := sqlstore.Tables[k]
		for _, g := range updates[k] {
			tmp := fmt.Sprintf("floor_upd_%d", n)
			n++
			if err := step(fmt.Sprintf("COPY + UPDATE %s (%s)", t.Name, strings.Join(g.sets, ", ")), func() (int, error) {
				return updateFrom(ctx, tx, t, tmp, p, g)
			}); err != nil {
				return nil, err
			}
		}
	}
	if len(deletes) > 0 {
		if err := step("COPY + DELETE device_lines", func() (int, error) { return deleteUsing(ctx, tx, p, deletes) }); err != nil {
			return nil, err
		}
	}
	f.Wall = time.Since(start)
	if err := tx.Rollback(ctx); err != nil {
		return nil, err
	}
	t := time.Now()
	vacuum := `VACUUM users, numbers, devices, device_lines, e911_locations`
	if claims {
		vacuum += `, login_claims, email_claims, device_claims`
	}
	if _, err := conn.Exec(ctx, vacuum); err != nil {
		return nil, fmt.Errorf("vacuum after the rollback: %w", err)
	}
	f.Vacuum = time.Since(t)
	fmt.Fprintf(log, "bench: floor %s for %d rows (rolled back; vacuum %s)\n", f.Wall.Round(time.Millisecond), f.Rows, f.Vacuum.Round(time.Millisecond))
	return f, nil
}

// floorGroup is changes of one kind and operation that set the same
// columns, by their index in the plan: each is made its row
// (sqlstore.RowOf) as it is sent, so that the floor holds no more than the
// plan while it runs, and the apply after it starts from the same heap.
type floorGroup struct {
	op         apply.Op
	keys, sets []string // the columns of its rows' keys and values
	changes    []int
}

// names are the columns of as.
func names(as []sqlstore.Assign) []string {
	out := make([]string, len(as))
	for i, x := range as {
		out[i] = x.Col
	}
	return out
}

// changeRows sends, as COPY's source, the row of each change of changes (op),
// its key and value columns and then more's.
func changeRows(p *plan.Plan, op apply.Op, changes []int, more func(ch *plan.Change) []any) pgx.CopyFromSource {
	i := 0
	return pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(changes) {
			return nil, nil
		}
		ch := &p.Changes[changes[i]]
		r, _ := sqlstore.RowOf(ch, changes[i], op, p.Company)
		i++
		out := make([]any, 0, len(r.Keys)+len(r.Sets)+3)
		for _, x := range append(r.Keys, r.Sets...) {
			out = append(out, x.Val)
		}
		return append(out, more(ch)...), nil
	})
}

// ownDialPlans returns the sites of company that have their own dial plan.
func ownDialPlans(ctx context.Context, conn *pgx.Conn, company string) (map[string]bool, error) {
	rs, err := conn.Query(ctx, `SELECT code FROM sites WHERE company = $1 AND own_dial_plan`, company)
	if err != nil {
		return nil, err
	}
	codes, err := pgx.CollectRows(rs, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	m := map[string]bool{}
	for _, c := range codes {
		m[c] = true
	}
	return m, nil
}

// copyCreates COPYs the new rows of one table, a statement per set of
// columns.
func copyCreates(ctx context.Context, tx pgx.Tx, t *sqlstore.Table, p *plan.Plan, gs []*floorGroup, ownPlan map[string]bool) (int, error) {
	total := 0
	for _, g := range gs {
		cols := append(append(append([]string{}, g.keys...), g.sets...), "company", "version")
		users := t.Kind == plan.KindUser
		if users {
			cols = append(cols, "ext_scope")
		}
		n, err := tx.CopyFrom(ctx, pgx.Identifier{t.Name}, cols, changeRows(p, g.op, g.changes, func(ch *plan.Change) []any {
			if !users {
				return []any{p.Company, int64(1)}
			}
			site, _ := ch.After(plan.AttrSite)
			if !ownPlan[site] {
				site = ""
			}
			return []any{p.Company, int64(1), site}
		}))
		if err != nil {
			return total, err
		}
		total += int(n)
	}
	return total, nil
}

// version is a change's version, after its key and values.
func version(ch *plan.Change) []any { return []any{ch.Version} }

// updateFrom COPYs the keys, versions and new values of a group of changes
// into a temporary table shaped like t, then updates t from it in one
// statement.
func updateFrom(ctx context.Context, tx pgx.Tx, t *sqlstore.Table, tmp string, p *plan.Plan, g *floorGroup) (int, error) {
	all := append(append(append([]string{}, g.keys...), g.sets...), "version")
	if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA`,
		tmp, strings.Join(all, ", "), t.Name)); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{tmp}, all, changeRows(p, g.op, g.changes, version)); err != nil {
		return 0, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "UPDATE %s t SET ", t.Name)
	for _, c := range g.sets {
		fmt.Fprintf(&b, "%s = f.%s, ", c, c)
	}
	b.WriteString("version = t.version + 1 FROM " + tmp + " f WHERE ")
	for _, k := range g.keys {
		fmt.Fprintf(&b, "t.%s = f.%s AND ", k, k)
	}
	b.WriteString("t.version = f.version AND t.company = $1")
	tag, err := tx.Exec(ctx, b.String(), p.Company)
	if err != nil {
		return 0, err
	}
	if int(tag.RowsAffected()) != len(g.changes) {
		return 0, fmt.Errorf("updated %d rows of %d: the state changed since the plan", tag.RowsAffected(), len(g.changes))
	}
	return len(g.changes), nil
}

// deleteUsing COPYs the keys of freed device lines into a temporary table
// and deletes them in one statement.
func deleteUsing(ctx context.Context, tx pgx.Tx, p *plan.Plan, changes []int) (int, error) {
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE floor_del ON COMMIT DROP AS SELECT mac, port, version FROM device_lines WITH NO DATA`); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"floor_del"}, []string{"mac", "port", "version"}, changeRows(p, apply.OpDelete, changes, version)); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM device_lines t USING floor_del f WHERE t.company = $1 AND t.mac = f.mac AND t.port = f.port
		AND t.version = f.version`, p.Company)
	if err != nil {
		return 0, err
	}
	if int(tag.RowsAffected()) != len(changes) {
		return 0, fmt.Errorf("deleted %d rows of %d: the state changed since the plan", tag.RowsAffected(), len(changes))
	}
	return len(changes), nil
}

// claimTables reports whether the schema's claims are tables that Apply
// writes beside the objects (Citus), not views of them (sqlstore/claims.go).
func claimTables(ctx context.Context, conn *pgx.Conn) (bool, error) {
	var tables bool
	err := conn.QueryRow(ctx, postgres.ClaimLayout).Scan(&tables)
	return tables, err
}

// copyClaims COPYs the claims of the new users (login, e-mail) and devices
// (MAC), as Apply writes them beside the objects where they are tables.
func copyClaims(ctx context.Context, tx pgx.Tx, p *plan.Plan, creates map[plan.Kind][]*floorGroup) (int, error) {
	company := p.Company
	var logins, emails, macs [][]any
	for _, g := range creates[plan.KindUser] {
		for _, i := range g.changes {
			ch := &p.Changes[i]
			logins = append(logins, []any{ch.Key, company})
			if e, ok := ch.After(plan.AttrEmail); ok && e != "" {
				emails = append(emails, []any{sqlstore.Email(e), company, ch.Key})
			}
		}
	}
	for _, g := range creates[plan.KindDevice] {
		for _, i := range g.changes {
			macs = append(macs, []any{p.Changes[i].Key, company})
		}
	}
	n := 0
	for _, c := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"login_claims", []string{"user_id", "company"}, logins},
		{"email_claims", []string{"email", "company", "user_id"}, emails},
		{"device_claims", []string{"mac", "company"}, macs},
	} {
		if len(c.rows) == 0 {
			continue
		}
		m, err := tx.CopyFrom(ctx, pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows))
		if err != nil {
			return n, fmt.Errorf("%s: %w", c.table, err)
		}
		n += int(m)
	}
	return n, nil
}
