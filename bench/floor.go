package bench

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/pbx"
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

// floorTable is where the changes of one kind go.
type floorTable struct {
	name    string
	keys    []string // key columns, in the order of the change's key
	company bool
	cols    []floorCol // every attribute column, in COPY order
}

// floorCol is one attribute of a kind: its plan name, column and type.
type floorCol struct {
	attr string
	col  string
	conv byte // 't' text, 'n' text with "" as NULL, 'b' boolean, 'i' integer, 'T' target (four columns)
	def  any  // value of a create that does not set it
}

var floorTables = map[plan.Kind]*floorTable{
	plan.KindUser: {name: "users", keys: []string{"user_id"}, company: true, cols: []floorCol{
		{plan.AttrSite, "site", 't', ""}, {plan.AttrFirstName, "first_name", 't', ""}, {plan.AttrLastName, "last_name", 't', ""},
		{plan.AttrEmail, "email", 'n', nil}, {plan.AttrExtension, "extension", 'n', nil}, {plan.AttrStationType, "station_type", 't', ""},
		{plan.AttrVoiceEnabled, "voice_enabled", 'b', false}, {plan.AttrCallerID, "caller_id", 't', ""},
		{plan.AttrStatus, "status", 't', string(pbx.StatusActive)}, {plan.AttrExternalID, "external_id", 't', ""},
		{plan.AttrDeprovisionedAt, "deprovisioned_at", 'n', nil},
	}},
	plan.KindNumber: {name: "numbers", keys: []string{"e164"}, company: true, cols: []floorCol{
		{plan.AttrSite, "site", 't', ""}, {plan.AttrLabel, "label", 't', ""}, {plan.AttrTarget, "", 'T', nil},
		{plan.AttrRouting, "routing", 't', ""}, {plan.AttrSavedRouting, "saved_routing", 't', ""},
		{plan.AttrSMS, "sms", 'b', false}, {plan.AttrLocation, "location", 'n', nil},
	}},
	plan.KindDevice: {name: "devices", keys: []string{"mac"}, company: true, cols: []floorCol{
		{plan.AttrModel, "model", 't', ""},
	}},
	plan.KindLine: {name: "device_lines", keys: []string{"mac", "port"}, company: true, cols: []floorCol{
		{plan.AttrUser, "user_id", 'n', nil}, {plan.AttrNumber, "number", 'n', nil}, {plan.AttrLines, "lines", 'i', 1},
	}},
	plan.KindLocation: {name: "e911_locations", keys: []string{"company", "id"}, cols: []floorCol{
		{plan.AttrStreet, "street", 't', ""}, {plan.AttrCity, "city", 't', ""}, {plan.AttrRegion, "region", 't', ""},
		{plan.AttrPostal, "postal", 't', ""}, {plan.AttrCountry, "country", 't', ""},
	}},
}

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

	creates := map[plan.Kind][]*plan.Change{}
	type group struct {
		kind plan.Kind
		cols []floorCol
		chs  []*plan.Change
	}
	updates := map[string]*group{}
	var deletes []*plan.Change
	for i := range p.Changes {
		ch := &p.Changes[i]
		if floorTables[ch.Kind] == nil {
			return nil, fmt.Errorf("change %d: kind %q has no table", i, ch.Kind)
		}
		switch ch.Action {
		case plan.Create:
			creates[ch.Kind] = append(creates[ch.Kind], ch)
		case plan.Delete:
			if ch.Kind != plan.KindLine {
				return nil, fmt.Errorf("change %d: delete of a %s", i, ch.Kind)
			}
			deletes = append(deletes, ch)
		default:
			cols, err := changedCols(ch)
			if err != nil {
				return nil, fmt.Errorf("change %d: %w", i, err)
			}
			names := make([]string, len(cols))
			for j, c := range cols {
				names[j] = c.attr
			}
			key := string(ch.Kind) + ":" + strings.Join(names, ",")
			g := updates[key]
			if g == nil {
				g = &group{kind: ch.Kind, cols: cols}
				updates[key] = g
			}
			g.chs = append(g.chs, ch)
		}
	}

	for _, k := range createOrder {
		chs := creates[k]
		if len(chs) == 0 {
			continue
		}
		t := floorTables[k]
		if err := step("COPY "+t.name, func() (int, error) { return copyCreates(ctx, tx, t, p.Company, chs, ownPlan) }); err != nil {
			return nil, err
		}
	}
	if claims {
		if err := step("COPY claims", func() (int, error) { return copyClaims(ctx, tx, p.Company, creates) }); err != nil {
			return nil, err
		}
		f.Rows -= f.Steps[len(f.Steps)-1].Rows // written beside the plan's changes, not changes of it
	}
	keys := make([]string, 0, len(updates))
	for k := range updates {
		keys = append(keys, k)
	}
	rank := map[plan.Kind]int{}
	for i, k := range updateOrder {
		rank[k] = i
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := updates[keys[i]], updates[keys[j]]
		if rank[a.kind] != rank[b.kind] {
			return rank[a.kind] < rank[b.kind]
		}
		return keys[i] < keys[j]
	})
	for n, k := range keys {
		g := updates[k]
		t := floorTables[g.kind]
		if err := step(fmt.Sprintf("COPY + UPDATE %s (%s)", t.name, attrList(g.cols)), func() (int, error) {
			return updateFrom(ctx, tx, t, fmt.Sprintf("floor_upd_%d", n), p.Company, g.cols, g.chs)
		}); err != nil {
			return nil, err
		}
	}
	if len(deletes) > 0 {
		t := floorTables[plan.KindLine]
		if err := step("COPY + DELETE "+t.name, func() (int, error) { return deleteUsing(ctx, tx, t, p.Company, deletes) }); err != nil {
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

func attrList(cols []floorCol) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.attr
	}
	return strings.Join(names, ", ")
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

// keyValues splits a change's key into its key columns' values.
func keyValues(t *floorTable, company string, key string) ([]any, error) {
	switch t.name {
	case "device_lines":
		mac, port, ok := strings.Cut(key, "/")
		n, err := strconv.Atoi(port)
		if !ok || err != nil {
			return nil, fmt.Errorf("line key %q is not mac/port", key)
		}
		return []any{mac, n}, nil
	case "e911_locations":
		return []any{company, key}, nil
	}
	return []any{key}, nil
}

// value converts an attribute's plan value for its column.
func value(c floorCol, v string) (any, error) {
	switch c.conv {
	case 'n':
		if v == "" {
			return nil, nil
		}
	case 'b':
		return strconv.ParseBool(v)
	case 'i':
		return strconv.Atoi(v)
	}
	return v, nil
}

// targetValues spreads a target over target_kind, target_user, target_hunt, target_aa.
func targetValues(v string) []any {
	k, key := pbx.Target(v).Split()
	out := []any{string(k), nil, nil, nil}
	switch k {
	case pbx.TargetUser:
		out[1] = key
	case pbx.TargetHuntGroup:
		out[2] = key
	case pbx.TargetAutoAttendant:
		out[3] = key
	}
	return out
}

var targetCols = []string{"target_kind", "target_user", "target_hunt", "target_aa"}

// columns lists the SQL columns of cols.
func columns(cols []floorCol) []string {
	var out []string
	for _, c := range cols {
		if c.conv == 'T' {
			out = append(out, targetCols...)
		} else {
			out = append(out, c.col)
		}
	}
	return out
}

// values converts the attributes of ch for cols; an attribute the change
// does not set takes its default.
func values(cols []floorCol, ch *plan.Change) ([]any, error) {
	out := make([]any, 0, len(cols)+3)
	for _, c := range cols {
		v, ok := ch.After(c.attr)
		switch {
		case c.conv == 'T':
			out = append(out, targetValues(v)...)
		case !ok:
			out = append(out, c.def)
		default:
			x, err := value(c, v)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %s %q: %w", ch.Kind, ch.Key, c.attr, v, err)
			}
			out = append(out, x)
		}
	}
	return out, nil
}

// copyCreates COPYs the new rows of one table.
func copyCreates(ctx context.Context, tx pgx.Tx, t *floorTable, company string, chs []*plan.Change, ownPlan map[string]bool) (int, error) {
	cols := append(append([]string{}, t.keys...), columns(t.cols)...)
	if t.company {
		cols = append(cols, "company")
	}
	if t.name == "users" {
		cols = append(cols, "ext_scope")
	}
	cols = append(cols, "version")
	i := 0
	n, err := tx.CopyFrom(ctx, pgx.Identifier{t.name}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(chs) {
			return nil, nil
		}
		ch := chs[i]
		i++
		row, err := keyValues(t, company, ch.Key)
		if err != nil {
			return nil, err
		}
		vs, err := values(t.cols, ch)
		if err != nil {
			return nil, err
		}
		row = append(row, vs...)
		if t.company {
			row = append(row, company)
		}
		if t.name == "users" {
			site, _ := ch.After(plan.AttrSite)
			scope := ""
			if ownPlan[site] {
				scope = site
			}
			row = append(row, scope)
		}
		return append(row, int64(1)), nil
	}))
	return int(n), err
}

// changedCols are the columns an update-like change sets, in table order.
func changedCols(ch *plan.Change) ([]floorCol, error) {
	t := floorTables[ch.Kind]
	var out []floorCol
	for _, c := range t.cols {
		if _, ok := ch.After(c.attr); ok {
			out = append(out, c)
		}
	}
	for _, fc := range ch.Fields.All() {
		if fc.Field == plan.AttrCompany {
			continue
		}
		found := false
		for _, c := range t.cols {
			found = found || c.attr == fc.Field
		}
		if !found {
			return nil, fmt.Errorf("%s %s: attribute %q has no column", ch.Kind, ch.Key, fc.Field)
		}
	}
	return out, nil
}

// updateFrom COPYs the new values of a group of changes into a temporary
// table shaped like t, then updates t from it in one statement.
func updateFrom(ctx context.Context, tx pgx.Tx, t *floorTable, tmp, company string, cols []floorCol, chs []*plan.Change) (int, error) {
	keys := t.keys
	set := columns(cols)
	all := append(append(append([]string{}, keys...), set...), "version")
	if _, err := tx.Exec(ctx, fmt.Sprintf(`CREATE TEMPORARY TABLE %s ON COMMIT DROP AS SELECT %s FROM %s WITH NO DATA`,
		tmp, strings.Join(all, ", "), t.name)); err != nil {
		return 0, err
	}
	i := 0
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{tmp}, all, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(chs) {
			return nil, nil
		}
		ch := chs[i]
		i++
		row, err := keyValues(t, company, ch.Key)
		if err != nil {
			return nil, err
		}
		vs, err := values(cols, ch)
		if err != nil {
			return nil, err
		}
		return append(append(row, vs...), ch.Version), nil
	})); err != nil {
		return 0, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "UPDATE %s t SET ", t.name)
	for _, c := range set {
		fmt.Fprintf(&b, "%s = f.%s, ", c, c)
	}
	b.WriteString("version = t.version + 1 FROM " + tmp + " f WHERE ")
	for _, k := range keys {
		fmt.Fprintf(&b, "t.%s = f.%s AND ", k, k)
	}
	b.WriteString("t.version = f.version")
	var args []any
	if t.company {
		b.WriteString(" AND t.company = $1")
		args = append(args, company)
	}
	tag, err := tx.Exec(ctx, b.String(), args...)
	if err != nil {
		return 0, err
	}
	if int(tag.RowsAffected()) != len(chs) {
		return 0, fmt.Errorf("updated %d rows of %d: the state changed since the plan", tag.RowsAffected(), len(chs))
	}
	return len(chs), nil
}

// deleteUsing COPYs the keys of freed device lines into a temporary table
// and deletes them in one statement.
func deleteUsing(ctx context.Context, tx pgx.Tx, t *floorTable, company string, chs []*plan.Change) (int, error) {
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE floor_del ON COMMIT DROP AS SELECT mac, port, version FROM device_lines WITH NO DATA`); err != nil {
		return 0, err
	}
	i := 0
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"floor_del"}, []string{"mac", "port", "version"}, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(chs) {
			return nil, nil
		}
		ch := chs[i]
		i++
		row, err := keyValues(t, "", ch.Key)
		if err != nil {
			return nil, err
		}
		return append(row, ch.Version), nil
	})); err != nil {
		return 0, err
	}
	tag, err := tx.Exec(ctx, `DELETE FROM device_lines t USING floor_del f WHERE t.company = $1 AND t.mac = f.mac AND t.port = f.port
		AND t.version = f.version`, company)
	if err != nil {
		return 0, err
	}
	if int(tag.RowsAffected()) != len(chs) {
		return 0, fmt.Errorf("deleted %d rows of %d: the state changed since the plan", tag.RowsAffected(), len(chs))
	}
	return len(chs), nil
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
func copyClaims(ctx context.Context, tx pgx.Tx, company string, creates map[plan.Kind][]*plan.Change) (int, error) {
	var logins, emails, macs [][]any
	for _, ch := range creates[plan.KindUser] {
		logins = append(logins, []any{ch.Key, company})
		if e, ok := ch.After(plan.AttrEmail); ok && e != "" {
			emails = append(emails, []any{sqlstore.Email(e), company, ch.Key})
		}
	}
	for _, ch := range creates[plan.KindDevice] {
		macs = append(macs, []any{ch.Key, company})
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
