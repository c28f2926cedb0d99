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
	"github.com/pbxsync/pbxsync/columns"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The set-based path writes a batch with a few statements per kind of
// change instead of one per change: the changes are copied (COPY) into a
// temporary table of their kind, then one INSERT ... SELECT, UPDATE ... FROM
// or DELETE ... USING writes them all, checking versions set-wise (a row
// whose version differs is not matched, and the count of rows written tells).
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
// Number members have no version and no temporary table: a run of member
// creates or deletes is one INSERT ... SELECT or DELETE ... USING over the
// arrays of their keys (member.go), its count checked the same way.

// setRow and setRun are sqlstore's, cut by sqlstore.SetRuns.
type (
	setRow = sqlstore.SetRow
	setRun = sqlstore.SetRun
)

// tempColumns are the columns of each kind's temporary table, with types.
var tempColumns = map[plan.Kind][][2]string{
	plan.KindUser: {{"user_id", "text"}, {"version", "bigint"}, {"company", "text"}, {"site", "text"}, {"first_name", "text"},
		{"last_name", "text"}, {"email", "text"}, {"extension", "text"}, {"station_type", "text"}, {"voice_enabled", "boolean"},
		{"caller_id", "text"}, {"status", "text"}, {"external_id", "text"}, {"deprovisioned_at", "text"}},
	plan.KindNumber: {{"e164", "text"}, {"version", "bigint"}, {"company", "text"}, {"site", "text"}, {"label", "text"},
		{"target_kind", "text"}, {"target_user", "text"}, {"target_hunt", "text"}, {"target_aa", "text"}, {"routing", "text"},
		{"saved_routing", "text"}, {"sms", "boolean"}, {"location", "text"}},
	plan.KindDevice: {{"mac", "text"}, {"version", "bigint"}, {"company", "text"}, {"model", "text"}},
	plan.KindLine: {{"mac", "text"}, {"port", "integer"}, {"version", "bigint"}, {"user_id", "text"}, {"number", "text"},
		{"lines", "integer"}},
	plan.KindLocation: {{"id", "text"}, {"version", "bigint"}, {"company", "text"}, {"street", "text"}, {"city", "text"},
		{"region", "text"}, {"postal", "text"}, {"country", "text"}},
}

func tempName(k plan.Kind) string { return "pbxsync_set_" + string(k) }

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
	var ddl strings.Builder
	made := map[plan.Kind]bool{}
	for ri := range runs {
		r, t := &runs[ri], columns.Tables[runs[ri].Kind]
		if r.Op == apply.OpInsert && r.Kind == plan.KindUser && a.Scopes == nil {
			if err := a.LoadScopes(ctx); err != nil {
				return err
			}
		}
		if made[r.Kind] || r.Op == apply.OpInsert || t == columns.Members {
			continue
		}
		made[r.Kind] = true
		cols := []string{"grp integer"}
		for _, c := range tempColumns[r.Kind] {
			cols = append(cols, c[0]+" "+c[1])
		}
		fmt.Fprintf(&ddl, "CREATE TEMP TABLE IF NOT EXISTS %s (%s) ON COMMIT DELETE ROWS; ", tempName(r.Kind), strings.Join(cols, ", "))
	}
	if ddl.Len() > 0 {
		if _, err := a.tx.Exec(ctx, "SET LOCAL client_min_messages = warning; "+ddl.String()); err != nil {
			return a.setErr(err)
		}
	}
	grp := 0
	for ri := range runs {
		r := &runs[ri]
		for _, g := range apply.Groups(r.Rows, columns.Assign.Name) {
			grp++
			if err := a.setStatement(ctx, r, g, grp); err != nil {
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
	if errors.As(err, &pe) && !lockNotAvailable(err) && (strings.HasPrefix(pe.Code, "23") || strings.HasPrefix(pe.Code, "22")) {
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
// into their table; updates and deletes are copied into the kind's
// temporary table, then written with one statement.
func (a *applier) setStatement(ctx context.Context, r *setRun, g []setRow, grp int) error {
	if r.Kind == plan.KindMember {
		return a.setMembers(ctx, r, g)
	}
	if r.Op == apply.OpInsert {
		return a.copyInsert(ctx, r, g)
	}
	t := columns.Tables[r.Kind]
	keyNames := make([]string, len(g[0].Keys))
	for i, k := range g[0].Keys {
		keyNames[i] = k.Col
	}
	setNames := make([]string, len(g[0].Sets))
	for i, x := range g[0].Sets {
		setNames[i] = x.Col
	}
	cols := append([]string{"grp"}, keyNames...)
	if r.Op != apply.OpInsert {
		cols = append(cols, "version")
	}
	cols = append(cols, setNames...)
	rows := make([][]any, len(g))
	for i, row := range g {
		v := make([]any, 0, len(cols))
		v = append(v, grp)
		for _, k := range row.Keys {
			v = append(v, k.Val)
		}
		if r.Op != apply.OpInsert {
			v = append(v, a.Plan.Changes[row.Change].Version)
		}
		for _, x := range row.Sets {
			v = append(v, x.Val)
		}
		rows[i] = v
	}
	tmp := tempName(t.Kind)
	if _, err := a.tx.CopyFrom(ctx, pgx.Identifier{tmp}, cols, pgx.CopyFromRows(rows)); err != nil {
		return a.setErr(err)
	}

	// Rows are matched by their primary key only, never through an index
	// on company: right after a company is created its statistics say it
	// has no rows, and a plan driven by them visits the company's rows once
	// per changed row. The company is checked on the rows written instead,
	// in the same statement; a row of another company makes the batch go
	// change by change (which rolls this write back and names the row).
	var b strings.Builder
	co := "$1"
	match := func() {
		for _, k := range keyNames {
			fmt.Fprintf(&b, " AND o.%s = t.%s", k, k)
		}
		b.WriteString(" AND o.version = t.version")
	}
	companyOf := "w.company"
	if !t.Company {
		companyOf = "d.company"
	}
	b.WriteString("WITH w AS (")
	switch r.Op {
	case apply.OpInsert:
		ins := append(append([]string{}, keyNames...), setNames...)
		sel := make([]string, 0, len(ins)+3)
		for _, c := range ins {
			sel = append(sel, "t."+c)
		}
		if t.Company {
			ins, sel = append(ins, "company"), append(sel, co)
		}
		if t.Kind == plan.KindUser {
			site := "''"
			if slices.Contains(setNames, "site") {
				site = "COALESCE(t.site, '')"
			}
			ins, sel = append(ins, "ext_scope"), append(sel, sqlstore.ExtScopeSQL(co, site))
		}
		ins, sel = append(ins, "version"), append(sel, "1")
		fmt.Fprintf(&b, "INSERT INTO %s (%s) SELECT %s FROM %s t WHERE t.grp = $2", t.Name, strings.Join(ins, ", "), strings.Join(sel, ", "), tmp)
	case apply.OpUpdate:
		fmt.Fprintf(&b, "UPDATE %s o SET ", t.Name)
		for _, c := range setNames {
			fmt.Fprintf(&b, "%s = t.%s, ", c, c)
		}
		if t.Kind == plan.KindUser && slices.Contains(setNames, "site") {
			fmt.Fprintf(&b, "ext_scope = %s, ", sqlstore.ExtScopeSQL("o.company", "t.site"))
		}
		fmt.Fprintf(&b, "version = o.version + 1 FROM %s t WHERE t.grp = $2", tmp)
		match()
	case apply.OpDelete:
		fmt.Fprintf(&b, "DELETE FROM %s o USING %s t WHERE t.grp = $2", t.Name, tmp)
		match()
	}
	alias := "o"
	if r.Op == apply.OpInsert {
		alias = t.Name
	}
	if t.Company {
		fmt.Fprintf(&b, " RETURNING %s.company) SELECT count(*), count(*) FILTER (WHERE w.company IS DISTINCT FROM $1) FROM w", alias)
	} else {
		fmt.Fprintf(&b, " RETURNING %s.mac) SELECT count(*), count(*) FILTER (WHERE %s IS DISTINCT FROM $1) FROM w LEFT JOIN devices d ON d.mac = w.mac", alias, companyOf)
	}
	var written, elsewhere int64
	if err := a.tx.QueryRow(ctx, b.String(), a.Company, grp).Scan(&written, &elsewhere); err != nil {
		return a.setErr(err)
	}
	if written != int64(len(g)) || elsewhere != 0 {
		return apply.ErrSetwise // a version differs, an object is missing or elsewhere: the per-change path says which
	}
	return nil
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
		var found, ours int // one primary-key look-up each, whatever the statistics say
		if err := a.tx.QueryRow(ctx, `SELECT count(d.mac), count(*) FILTER (WHERE d.company = $2)
			FROM unnest($1::text[]) m (mac) LEFT JOIN LATERAL (SELECT mac, company FROM devices WHERE devices.mac = m.mac OFFSET 0) d ON true`,
			macs, a.Company).Scan(&found, &ours); err != nil {
			return a.setErr(err)
		}
		if found != len(macs) || ours != len(macs) {
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
	// The set-based statements: one per run of creates or deletes, the
	// members given as arrays, each number and user found by its primary key.
	memberSetInsert = `WITH w AS (INSERT INTO number_members (number, user_id, role)
		SELECT t.number, t.user_id, t.role FROM unnest($2::text[], $3::text[], $4::text[]) AS t (number, user_id, role)
		WHERE (SELECT company FROM numbers WHERE e164 = t.number) = $1::text
		AND (SELECT company FROM users WHERE user_id = t.user_id) = $1::text
		ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) FROM w`
	memberSetDelete = `WITH w AS (DELETE FROM number_members m
		USING unnest($2::text[], $3::text[], $4::text[]) AS t (number, user_id, role)
		WHERE m.number = t.number AND m.user_id = t.user_id AND m.role = t.role
		AND (SELECT company FROM numbers WHERE e164 = m.number) = $1::text
		RETURNING 1) SELECT count(*) FROM w`
)

// setMembers writes one group of member creates or deletes with one
// statement; apply.ErrSetwise when it wrote fewer than the group (the
// per-change path says which and why).
func (a *applier) setMembers(ctx context.Context, r *setRun, g []setRow) error {
	nums, users, roles := make([]string, len(g)), make([]string, len(g)), make([]string, len(g))
	for i, row := range g {
		nums[i], users[i], roles[i] = row.Keys[0].Val.(string), row.Keys[1].Val.(string), row.Sets[0].Val.(string)
	}
	q := memberSetInsert
	if r.Op == apply.OpDelete {
		q = memberSetDelete
	}
	var n int64
	if err := a.tx.QueryRow(ctx, q, a.Company, nums, users, roles).Scan(&n); err != nil {
		return a.setErr(err)
	}
	if n != int64(len(g)) {
		return apply.ErrSetwise
	}
	return nil
}
