package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/dsn"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// The schema floor answers "what does pbxsync's schema cost the floor, and
// what does each of its parts cost", reproducibly: the creates of an
// onboarding (a new user, a desk phone and its line for each row, a pool
// number assigned to the user: what the floor of a bench run writes) are
// COPYed into pbxsync's tables, into variants of them (an index or a
// foreign key dropped, the claims replaced...) and into a minimal schema
// with integer keys and the same uniqueness rules beside them in the same
// database, each in a transaction of its own that is rolled back (the
// variant's DDL with it), several rounds, the order turning each round.
// Each write is timed by the wall clock and by the CPU time of the server
// process that ran it (from /proc, when the server is on this machine),
// which depends much less on what else runs on the machine.

// minimalName is the schema the minimal tables live in, beside pbxsync's
// schema (the connection's current one): floor_min beside public,
// <schema>_floor_min beside another.
func minimalName(current string) string {
	if current == "public" {
		return "floor_min"
	}
	return current + "_floor_min"
}

// SchemaOptions steer a schema floor comparison.
type SchemaOptions struct {
	DB       string   // a postgres:// URL holding a generated state (pbxsync gen state)
	Company  string   // the company that onboards
	Users    int      // new users, each with a phone, its line and a pool number (default 90,000)
	Rounds   int      // default 3
	Variants []string // names of SchemaVariants to measure beside pbxsync's schema and the minimal one; "all" for every one
	Rebuild  bool     // build the minimal schema again even when it is there
	Log      io.Writer
}

// SchemaVariant is pbxsync's schema changed in one way, for one
// transaction: Prepare (or DDL) runs in it before the rows are written.
type SchemaVariant struct {
	Name string
	What string
	DDL  []string
	// Prepare, when set, makes the DDL from the catalog.
	Prepare func(ctx context.Context, tx pgx.Tx) ([]string, error)
	// IntCompany writes the company as its number (c0001 -> 1): with a
	// Prepare that turns every company column into an integer.
	IntCompany bool
}

// SchemaVariants are the variants a schema floor can measure: one index,
// foreign key, claim or column type changed at a time.
var SchemaVariants = []SchemaVariant{
	{Name: "claim-tables", What: "the claims tables written beside the objects instead of the objects' unique indexes, as on Citus (postgres 009-010)",
		DDL: postgres.ClaimTablesDDL()},
	dropConstraint("users", "users_extension_key"),
	dropIndex("numbers_target_user_idx"),
	dropIndex("numbers_location_idx"),
	dropIndex("numbers_target_hunt_idx"),
	dropIndex("numbers_target_aa_idx"),
	{Name: "-numbers-other-idx", What: "drop numbers_location_idx, numbers_target_hunt_idx and numbers_target_aa_idx",
		DDL: []string{`DROP INDEX numbers_location_idx`, `DROP INDEX numbers_target_hunt_idx`, `DROP INDEX numbers_target_aa_idx`}},
	{Name: "-rare-delete-idx", What: "drop devices_model_idx and numbers_location_idx (they speed only the removal of a model or an E911 location)",
		DDL: []string{`DROP INDEX devices_model_idx`, `DROP INDEX numbers_location_idx`}},
	{Name: "partial-fk-idx", What: "the indexes behind the foreign keys of nullable columns partial: WHERE col IS NOT NULL",
		DDL: partialIndexes()},
	dropIndex("device_lines_user_idx"),
	dropIndex("device_lines_number_idx"),
	dropIndex("devices_model_idx"),
	dropConstraint("device_lines", "device_lines_mac_fkey"),
	dropConstraint("device_lines", "device_lines_user_fkey"),
	dropConstraint("device_lines", "device_lines_number_fkey"),
	dropConstraint("numbers", "numbers_target_user_fkey"),
	dropConstraint("devices", "devices_model_fkey"),
	dropConstraint("devices", "devices_company_fkey"),
	dropConstraint("users", "users_company_fkey"),
	// The control of the variants that rebuild indexes (collate-c,
	// int-company, partial-fk-idx): a freshly built index is packed
	// (fillfactor 90) and splits pages sooner than one that has aged.
	{Name: "reindex", What: "the written tables' indexes rebuilt as they are (the control of the variants that rebuild them)",
		DDL: []string{`REINDEX TABLE users`, `REINDEX TABLE numbers`, `REINDEX TABLE devices`, `REINDEX TABLE device_lines`}},
	{Name: "collate-c", What: `every text column of a key, an index or a foreign key COLLATE "C"`, Prepare: collateC},
	{Name: "lean-keys", What: "collate-c and partial-fk-idx together: what postgres migration 010 does", DDL: partialIndexes(), Prepare: collateC},
	{Name: "int-company", What: "the company an integer in every table (companies.id too)", Prepare: intCompany, IntCompany: true},
}

// partialIndexes are the DDL of variant partial-fk-idx.
func partialIndexes() []string {
	var out []string
	for _, x := range []struct{ name, table, col string }{
		{"numbers_target_user_idx", "numbers", "target_user"}, {"numbers_target_hunt_idx", "numbers", "target_hunt"},
		{"numbers_target_aa_idx", "numbers", "target_aa"}, {"numbers_location_idx", "numbers", "location"},
		{"device_lines_user_idx", "device_lines", "user_id"}, {"device_lines_number_idx", "device_lines", "number"},
	} {
		out = append(out, `DROP INDEX `+x.name, `CREATE INDEX `+x.name+` ON `+x.table+` (company, `+x.col+`) WHERE `+x.col+` IS NOT NULL`)
	}
	return out
}

func dropIndex(name string) SchemaVariant {
	return SchemaVariant{Name: "-" + name, What: "drop index " + name, DDL: []string{`DROP INDEX ` + name}}
}

func dropConstraint(table, name string) SchemaVariant {
	return SchemaVariant{Name: "-" + name, What: "drop " + name, DDL: []string{`ALTER TABLE ` + table + ` DROP CONSTRAINT ` + name}}
}

// SchemaRun is one schema's figures, one per round.
type SchemaRun struct {
	Name string          `json:"name"`
	What string          `json:"what"`
	Wall []time.Duration `json:"wall_ns"`
	CPU  []time.Duration `json:"server_cpu_ns"` // the server process's user + system CPU; empty when unknown
	// Steps is the wall time of each step (users, devices, lines, claims,
	// numbers), summed over the rounds.
	Steps map[string]time.Duration `json:"steps_ns"`
}

// SchemaResult is what a schema floor comparison measured.
type SchemaResult struct {
	Company string `json:"company"`
	Users   int    `json:"users"`
	Rounds  int    `json:"rounds"`
	// Checkpoints: each write was preceded by a CHECKPOINT (it needs a
	// superuser or pg_checkpoint).
	Checkpoints bool        `json:"checkpoints"`
	Collation   string      `json:"collation"` // the database's default
	Load        []string    `json:"load"`      // the load average at the start of each round
	Runs        []SchemaRun `json:"runs"`      // pbxsync, minimal, then the variants
}

// floorRows are the rows every schema is given: per new user i its login,
// e-mail, extension, MAC and the pool number assigned to it.
type floorRows struct {
	company, site, model string
	location             string // the E911 location the numbers get
	min                  string // the minimal schema's name
	logins, emails, exts []string
	macs, numbers        []string
	routings             []string // the numbers' routing before
	versions             []int64  // the numbers' versions
	// the minimal schema's ids
	companyID, modelID int64
	locationID         int64
	userID, deviceID   int64 // first new ids
	numberIDs          []int64
}

// SchemaFloor measures the floor of pbxsync's schema, the variants o
// names and the minimal schema, o.Rounds times each.
func SchemaFloor(ctx context.Context, o SchemaOptions) (*SchemaResult, error) {
	log := o.Log
	if log == nil {
		log = io.Discard
	}
	if o.Users <= 0 {
		o.Users = 90_000
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	var variants []SchemaVariant
	for _, name := range o.Variants {
		if name == "all" {
			variants = SchemaVariants
			break
		}
		i := slices.IndexFunc(SchemaVariants, func(v SchemaVariant) bool { return v.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("schema variant %q: want one of %s, or all", name, variantNames())
		}
		variants = append(variants, SchemaVariants[i])
	}
	t, err := dsn.Parse(o.DB)
	if err != nil {
		return nil, err
	}
	if t.Kind != dsn.Postgres {
		return nil, fmt.Errorf("the schema floor needs PostgreSQL: %s is the embedded store", o.DB)
	}
	conn, err := pgx.Connect(ctx, t.Conn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	res := &SchemaResult{Company: o.Company, Users: o.Users, Rounds: o.Rounds}
	if err := conn.QueryRow(ctx, `SELECT datcollate || CASE WHEN datlocprovider = 'i' THEN ' (ICU ' || daticulocale || ')' ELSE '' END
		FROM pg_database WHERE datname = current_database()`).Scan(&res.Collation); err != nil {
		return nil, err
	}
	var current string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
		return nil, err
	}
	min := minimalName(current)
	if err := buildMinimal(ctx, conn, min, o.Rebuild, log); err != nil {
		return nil, fmt.Errorf("building the minimal schema: %w", err)
	}
	rows, err := makeFloorRows(ctx, conn, min, o.Company, o.Users)
	if err != nil {
		return nil, err
	}
	pid := uint32(conn.PgConn().PID())
	targets := []SchemaRun{
		{Name: "pbxsync", What: "pbxsync's schema as migrated"},
		{Name: "minimal", What: "integer keys, the same uniqueness rules, foreign keys on the write path, no other index"},
	}
	for _, v := range variants {
		targets = append(targets, SchemaRun{Name: v.Name, What: v.What})
	}
	checkpoint := true
	for round := 0; round < o.Rounds; round++ {
		res.Load = append(res.Load, loadAverage())
		for k := range targets {
			i := (k + round) % len(targets) // each round starts one further
			tg := &targets[i]
			var v *SchemaVariant
			if i >= 2 {
				v = &variants[i-2]
			}
			// Every write starts just after a checkpoint: the first change of
			// each page after one writes the whole page to the WAL, which
			// the writing process pays for, so a write that a checkpoint
			// happened to precede would cost more than one that did not.
			if checkpoint {
				if _, err := conn.Exec(ctx, `CHECKPOINT`); err != nil {
					fmt.Fprintf(log, "bench: no CHECKPOINT before each write (%v): the rounds spread wider\n", err)
					checkpoint = false
				}
			}
			wall, cpu, steps, err := floorOnce(ctx, conn, pid, rows, i == 1, v)
			if err != nil {
				return nil, fmt.Errorf("round %d, %s: %w", round+1, tg.Name, err)
			}
			tg.Wall = append(tg.Wall, wall)
			if cpu >= 0 {
				tg.CPU = append(tg.CPU, cpu)
			}
			if tg.Steps == nil {
				tg.Steps = map[string]time.Duration{}
			}
			for s, d := range steps {
				tg.Steps[s] += d
			}
			fmt.Fprintf(log, "bench: round %d %-28s wall %s server CPU %s\n", round+1, tg.Name, secs(wall), secs(cpu))
			if err := vacuumFloor(ctx, conn, min, i == 1); err != nil {
				return nil, err
			}
		}
	}
	res.Runs = targets
	res.Checkpoints = checkpoint
	return res, nil
}

func variantNames() string {
	var names []string
	for _, v := range SchemaVariants {
		names = append(names, v.Name)
	}
	return strings.Join(names, ", ")
}

// loadAverage is the first field of /proc/loadavg, "" when unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// serverCPU is the user + system CPU time of the server process pid, -1
// when it cannot be read (the server is on another machine).
func serverCPU(pid uint32) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.FormatUint(uint64(pid), 10) + "/stat")
	if err != nil {
		return -1
	}
	s := string(b)
	j := strings.LastIndexByte(s, ')')
	if j < 0 {
		return -1
	}
	f := strings.Fields(s[j+1:])
	if len(f) < 13 {
		return -1
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	k, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	return time.Duration(u+k) * (time.Second / 100) // USER_HZ is 100 on Linux
}

// makeFloorRows picks the company's first free pool numbers and makes a new
// user, MAC and extension for each.
func makeFloorRows(ctx context.Context, conn *pgx.Conn, min, company string, n int) (*floorRows, error) {
	r := &floorRows{company: company, min: min}
	err := conn.QueryRow(ctx, `SELECT n.location, m.id FROM numbers n JOIN `+min+`.locations m ON m.code = n.location
		JOIN `+min+`.companies c ON c.id = m.company AND c.code = n.company
		WHERE n.company = $1 AND n.location IS NOT NULL GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`, company).Scan(&r.location, &r.locationID)
	if err != nil {
		return nil, fmt.Errorf("the E911 location of company %s's numbers: %w", company, err)
	}
	rs, err := conn.Query(ctx, `SELECT n.e164, n.site, n.routing, n.version, m.id FROM numbers n
		JOIN `+min+`.numbers m ON m.e164 = n.e164
		WHERE n.company = $1 AND n.target_kind = '' AND n.site <> ''
		AND NOT EXISTS (SELECT 1 FROM device_lines l WHERE l.company = n.company AND l.number = n.e164)
		AND NOT EXISTS (SELECT 1 FROM number_members x WHERE x.company = n.company AND x.number = n.e164)
		ORDER BY n.e164 LIMIT $2`, company, n)
	if err != nil {
		return nil, err
	}
	var sites []string
	for rs.Next() {
		var e, site, routing string
		var version, id int64
		if err := rs.Scan(&e, &site, &routing, &version, &id); err != nil {
			return nil, err
		}
		r.numbers, r.routings, r.versions, r.numberIDs = append(r.numbers, e), append(r.routings, routing), append(r.versions, version), append(r.numberIDs, id)
		sites = append(sites, site)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	if len(r.numbers) < n {
		return nil, fmt.Errorf("company %s has %d free pool numbers, not %d: generate a larger state or ask for fewer users", company, len(r.numbers), n)
	}
	r.site = sites[0]
	err = conn.QueryRow(ctx, `SELECT d.name, m.id FROM device_models d JOIN `+min+`.models m ON m.name = d.name
		WHERE d.ports >= 1 ORDER BY d.name LIMIT 1`).Scan(&r.model, &r.modelID)
	if err != nil {
		return nil, fmt.Errorf("a device model: %w", err)
	}
	err = conn.QueryRow(ctx, `SELECT id, (SELECT coalesce(max(id), 0) + 1 FROM `+min+`.users),
		(SELECT coalesce(max(id), 0) + 1 FROM `+min+`.devices) FROM `+min+`.companies WHERE code = $1`, company).
		Scan(&r.companyID, &r.userID, &r.deviceID)
	if err != nil {
		return nil, fmt.Errorf("company %s in the minimal schema: %w", company, err)
	}
	for i := range n {
		r.logins = append(r.logins, fmt.Sprintf("floor.user.%06d@%s.example", i, company))
		r.emails = append(r.emails, fmt.Sprintf("Floor.User.%06d@mail.%s.example", i, company))
		r.exts = append(r.exts, fmt.Sprintf("8%06d", i))
		r.macs = append(r.macs, fmt.Sprintf("02f1%08x", i))
	}
	var taken int
	err = conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM users WHERE company = $1 AND (user_id = ANY($2) OR extension = ANY($3)))
		+ (SELECT count(*) FROM devices WHERE mac = ANY($4))`, company, r.logins, r.exts, r.macs).Scan(&taken)
	if err != nil {
		return nil, err
	}
	if taken > 0 {
		return nil, fmt.Errorf("%d of the floor's logins, extensions or MACs exist in company %s already (a floor run left rows?)", taken, company)
	}
	return r, nil
}

// floorOnce writes the rows into one schema in a transaction of its own,
// timed from the first row to the last, and rolls it back.
func floorOnce(ctx context.Context, conn *pgx.Conn, pid uint32, r *floorRows, minimal bool, v *SchemaVariant) (time.Duration, time.Duration, map[string]time.Duration, error) {
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, 0, nil, err
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	var intCompany bool
	if v != nil {
		ddl := v.DDL
		if v.Prepare != nil {
			more, err := v.Prepare(ctx, tx)
			if err != nil {
				return 0, 0, nil, fmt.Errorf("preparing: %w", err)
			}
			ddl = append(slices.Clone(ddl), more...)
		}
		for _, s := range ddl {
			if _, err := tx.Exec(ctx, s); err != nil {
				return 0, 0, nil, fmt.Errorf("%s: %w", s, err)
			}
		}
		intCompany = v.IntCompany
		// pgx remembers the column types of what it prepared or copied into
		if err := conn.DeallocateAll(ctx); err != nil {
			return 0, 0, nil, err
		}
	}
	claims := false // the schema (or the variant) has claim tables to write
	if !minimal {
		if err := tx.QueryRow(ctx, postgres.ClaimLayout).Scan(&claims); err != nil {
			return 0, 0, nil, err
		}
	}
	steps := map[string]time.Duration{}
	cpu0 := serverCPU(pid)
	start := time.Now()
	if minimal {
		err = writeMinimal(ctx, tx, r, steps)
	} else {
		err = writePbxsync(ctx, tx, r, intCompany, claims, steps)
	}
	if err != nil {
		return 0, 0, nil, err
	}
	wall := time.Since(start)
	cpu1 := serverCPU(pid)
	cpu := time.Duration(-1)
	if cpu0 >= 0 && cpu1 >= 0 {
		cpu = cpu1 - cpu0
	}
	if err := tx.Rollback(ctx); err != nil {
		return 0, 0, nil, err
	}
	return wall, cpu, steps, conn.DeallocateAll(ctx)
}

// timed runs one step and adds its wall time to steps.
func timed(steps map[string]time.Duration, name string, f func() error) error {
	t := time.Now()
	if err := f(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	steps[name] += time.Since(t)
	return nil
}

func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, n int, row func(i int) []any) error {
	i := 0
	got, err := tx.CopyFrom(ctx, pgx.Identifier(strings.Split(table, ".")), cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		return row(i - 1), nil
	}))
	if err == nil && int(got) != n {
		err = fmt.Errorf("copied %d rows of %d", got, n)
	}
	return err
}

// writePbxsync writes the rows as the floor of a bench run does (bench/floor.go).
func writePbxsync(ctx context.Context, tx pgx.Tx, r *floorRows, intCompany, claims bool, steps map[string]time.Duration) error {
	var company any = r.company
	if intCompany {
		n, err := strconv.Atoi(strings.TrimLeft(r.company, "abcdefghijklmnopqrstuvwxyz"))
		if err != nil {
			return fmt.Errorf("int-company needs a company named by letters and a number (c0001), not %q", r.company)
		}
		company = n
	}
	n := len(r.logins)
	err := timed(steps, "users", func() error {
		return copyRows(ctx, tx, "users", []string{"user_id", "company", "site", "first_name", "last_name", "email", "extension", "ext_scope",
			"station_type", "voice_enabled", "status", "external_id", "version"}, n, func(i int) []any {
			return []any{r.logins[i], company, r.site, "Floor", "User", r.emails[i], r.exts[i], "", "standard", true, "active", fmt.Sprintf("F%07d", i), int64(1)}
		})
	})
	if err == nil {
		err = timed(steps, "devices", func() error {
			return copyRows(ctx, tx, "devices", []string{"mac", "company", "model", "version"}, n, func(i int) []any {
				return []any{r.macs[i], company, r.model, int64(1)}
			})
		})
	}
	if err == nil {
		err = timed(steps, "lines", func() error {
			return copyRows(ctx, tx, "device_lines", []string{"mac", "port", "user_id", "number", "lines", "version", "company"}, n, func(i int) []any {
				return []any{r.macs[i], int32(1), r.logins[i], r.numbers[i], int32(1), int64(1), company}
			})
		})
	}
	if err == nil && claims {
		err = timed(steps, "claims", func() error {
			if err := copyRows(ctx, tx, "login_claims", []string{"user_id", "company"}, n, func(i int) []any { return []any{r.logins[i], company} }); err != nil {
				return err
			}
			if err := copyRows(ctx, tx, "email_claims", []string{"email", "company", "user_id"}, n, func(i int) []any {
				return []any{sqlstore.Email(r.emails[i]), company, r.logins[i]}
			}); err != nil {
				return err
			}
			return copyRows(ctx, tx, "device_claims", []string{"mac", "company"}, n, func(i int) []any { return []any{r.macs[i], company} })
		})
	}
	if err == nil {
		err = timed(steps, "numbers", func() error {
			return assignNumbers(ctx, tx, "numbers", "e164", r.numbers, r, company, r.location, func(i int) any { return r.logins[i] })
		})
	}
	return err
}

// assignNumbers routes each row's number to its user, as the floor's
// UPDATE ... FROM does: COPY into a temporary table, one UPDATE matched by
// key, version and company.
func assignNumbers[K any](ctx context.Context, tx pgx.Tx, table, key string, keys []K, r *floorRows, company, location any, user func(i int) any) error {
	userType := "text"
	if _, ok := user(0).(int64); ok {
		userType = "bigint"
	}
	keyType := "text"
	if _, ok := any(keys[0]).(int64); ok {
		keyType = "bigint"
	}
	// a name per shape: pgx remembers the columns of a table it copied into by its name
	tmp := "floor_assign_" + keyType + "_" + userType
	if _, err := tx.Exec(ctx, `CREATE TEMPORARY TABLE `+tmp+` (k `+keyType+`, target_user `+userType+`, routing text, saved_routing text, version bigint) ON COMMIT DROP`); err != nil {
		return err
	}
	if err := copyRows(ctx, tx, tmp, []string{"k", "target_user", "routing", "saved_routing", "version"}, len(keys), func(i int) []any {
		return []any{keys[i], user(i), "ext:" + r.exts[i], r.routings[i], r.versions[i]}
	}); err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE `+table+` t SET target_kind = 'user', target_user = f.target_user, routing = f.routing,
		saved_routing = f.saved_routing, location = $2, version = t.version + 1 FROM `+tmp+` f
		WHERE t.company = $1 AND t.`+key+` = f.k AND t.version = f.version`, company, location)
	if err != nil {
		return err
	}
	if int(tag.RowsAffected()) != len(keys) {
		return fmt.Errorf("assigned %d numbers of %d", tag.RowsAffected(), len(keys))
	}
	return nil
}

// writeMinimal writes the same rows into the minimal schema.
func writeMinimal(ctx context.Context, tx pgx.Tx, r *floorRows, steps map[string]time.Duration) error {
	n := len(r.logins)
	m := r.min + "."
	err := timed(steps, "users", func() error {
		return copyRows(ctx, tx, m+"users", []string{"id", "login", "company", "site", "first_name", "last_name", "email", "extension", "ext_scope",
			"station_type", "voice_enabled", "status", "external_id", "version"}, n, func(i int) []any {
			return []any{r.userID + int64(i), r.logins[i], r.companyID, r.site, "Floor", "User", r.emails[i], r.exts[i], "", "standard", true, "active",
				fmt.Sprintf("F%07d", i), int64(1)}
		})
	})
	if err == nil {
		err = timed(steps, "devices", func() error {
			return copyRows(ctx, tx, m+"devices", []string{"id", "mac", "company", "model", "version"}, n, func(i int) []any {
				return []any{r.deviceID + int64(i), r.macs[i], r.companyID, r.modelID, int64(1)}
			})
		})
	}
	if err == nil {
		err = timed(steps, "lines", func() error {
			return copyRows(ctx, tx, m+"device_lines", []string{"device", "port", "user_id", "number", "lines", "version"}, n, func(i int) []any {
				return []any{r.deviceID + int64(i), int32(1), r.userID + int64(i), r.numberIDs[i], int32(1), int64(1)}
			})
		})
	}
	if err == nil {
		err = timed(steps, "numbers", func() error {
			return assignNumbers(ctx, tx, m+"numbers", "id", r.numberIDs, r, r.companyID, r.locationID, func(i int) any { return r.userID + int64(i) })
		})
	}
	return err
}

// vacuumFloor vacuums the tables a rolled-back floor wrote (their dead
// rows and index entries would slow the next round).
func vacuumFloor(ctx context.Context, conn *pgx.Conn, min string, minimal bool) error {
	tables := `users, devices, device_lines, numbers`
	if minimal {
		tables = strings.ReplaceAll(`M.users, M.devices, M.device_lines, M.numbers`, "M.", min+".")
	}
	if _, err := conn.Exec(ctx, `VACUUM `+tables); err != nil {
		return fmt.Errorf("vacuum after the rollback: %w", err)
	}
	return nil
}

// minimalDDL is the minimal schema (M. stands for its name): integer keys,
// and the uniqueness rules of pbxsync's (a login, an e-mail in any case, a
// MAC and a number once in the store; an extension once per company and
// scope; an E911 location once per company), the foreign keys the floor's
// writes check (line -> device, user, number; number -> user, location;
// device -> model; user, device, number -> company) and no other index.
var minimalDDL = []string{
	`CREATE SCHEMA M`,
	`CREATE TABLE M.companies (id integer PRIMARY KEY, code text NOT NULL UNIQUE)`,
	`CREATE TABLE M.models (id integer PRIMARY KEY, name text NOT NULL UNIQUE)`,
	`CREATE TABLE M.locations (id integer PRIMARY KEY, company integer NOT NULL REFERENCES M.companies, code text NOT NULL,
		UNIQUE (company, code))`,
	`CREATE TABLE M.users (id bigint PRIMARY KEY, login text NOT NULL UNIQUE,
		company integer NOT NULL REFERENCES M.companies, site text NOT NULL DEFAULT '',
		first_name text NOT NULL DEFAULT '', last_name text NOT NULL DEFAULT '', email text, extension text,
		ext_scope text NOT NULL DEFAULT '', station_type text NOT NULL DEFAULT '', voice_enabled boolean NOT NULL DEFAULT false,
		caller_id text NOT NULL DEFAULT '', status text NOT NULL DEFAULT 'active', external_id text NOT NULL DEFAULT '',
		version bigint NOT NULL DEFAULT 1, deprovisioned_at text, UNIQUE (company, ext_scope, extension))`,
	`CREATE UNIQUE INDEX users_email_key ON M.users (lower(email))`,
	`CREATE TABLE M.numbers (id bigint PRIMARY KEY, e164 text NOT NULL UNIQUE,
		company integer NOT NULL REFERENCES M.companies, site text NOT NULL DEFAULT '', label text NOT NULL DEFAULT '',
		target_kind text NOT NULL DEFAULT '', target_user bigint REFERENCES M.users, target_hunt text, target_aa text,
		routing text NOT NULL DEFAULT '', saved_routing text NOT NULL DEFAULT '', holiday_routing text NOT NULL DEFAULT '',
		sms boolean NOT NULL DEFAULT false, location integer REFERENCES M.locations, version bigint NOT NULL DEFAULT 1)`,
	`CREATE TABLE M.devices (id bigint PRIMARY KEY, mac text NOT NULL UNIQUE,
		company integer NOT NULL REFERENCES M.companies, model integer NOT NULL REFERENCES M.models,
		version bigint NOT NULL DEFAULT 1)`,
	`CREATE TABLE M.device_lines (device bigint NOT NULL REFERENCES M.devices, port integer NOT NULL,
		user_id bigint REFERENCES M.users, number bigint REFERENCES M.numbers,
		lines integer NOT NULL DEFAULT 1, version bigint NOT NULL DEFAULT 1, PRIMARY KEY (device, port))`,
	// the live state, copied
	`INSERT INTO M.companies SELECT row_number() OVER (ORDER BY id), id FROM companies`,
	`INSERT INTO M.models SELECT row_number() OVER (ORDER BY name), name FROM device_models`,
	`INSERT INTO M.locations SELECT row_number() OVER (ORDER BY l.company, l.id), c.id, l.id FROM e911_locations l
		JOIN M.companies c ON c.code = l.company`,
	`INSERT INTO M.users SELECT row_number() OVER (ORDER BY u.company, u.user_id), u.user_id, c.id, u.site,
		u.first_name, u.last_name, u.email, u.extension, u.ext_scope, u.station_type, u.voice_enabled, u.caller_id, u.status,
		u.external_id, u.version, u.deprovisioned_at FROM users u JOIN M.companies c ON c.code = u.company`,
	`INSERT INTO M.numbers SELECT row_number() OVER (ORDER BY n.company, n.e164), n.e164, c.id, n.site, n.label,
		n.target_kind, u.id, n.target_hunt, n.target_aa, n.routing, n.saved_routing, n.holiday_routing, n.sms, l.id, n.version
		FROM numbers n JOIN M.companies c ON c.code = n.company LEFT JOIN M.users u ON u.login = n.target_user
		LEFT JOIN M.locations l ON l.company = c.id AND l.code = n.location`,
	`INSERT INTO M.devices SELECT row_number() OVER (ORDER BY d.company, d.mac), d.mac, c.id, m.id, d.version
		FROM devices d JOIN M.companies c ON c.code = d.company JOIN M.models m ON m.name = d.model`,
	`INSERT INTO M.device_lines SELECT d.id, l.port, u.id, n.id, l.lines, l.version FROM device_lines l
		JOIN M.devices d ON d.mac = l.mac LEFT JOIN M.users u ON u.login = l.user_id
		LEFT JOIN M.numbers n ON n.e164 = l.number`,
	`ANALYZE M.companies, M.models, M.locations, M.users, M.numbers, M.devices, M.device_lines`,
}

// buildMinimal makes the minimal schema min and copies the live state
// into it, unless it is there already (and rebuild is false).
func buildMinimal(ctx context.Context, conn *pgx.Conn, min string, rebuild bool, log io.Writer) error {
	var there bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, min).Scan(&there); err != nil {
		return err
	}
	if there && !rebuild {
		return nil
	}
	start := time.Now()
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DROP SCHEMA IF EXISTS `+pgx.Identifier{min}.Sanitize()+` CASCADE`); err != nil {
			return err
		}
		for _, s := range minimalDDL {
			s = strings.ReplaceAll(strings.Replace(s, "SCHEMA M", "SCHEMA "+pgx.Identifier{min}.Sanitize(), 1), "M.", pgx.Identifier{min}.Sanitize()+".")
			if _, err := tx.Exec(ctx, s); err != nil {
				return fmt.Errorf("%s: %w", strings.Join(strings.Fields(s)[:3], " "), err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(log, "bench: minimal schema %s built beside pbxsync's in %s\n", min, secs(time.Since(start)))
	return nil
}

// collateC turns every text column of pbxsync's tables that a key, an
// index or a foreign key names to COLLATE "C", one ALTER TABLE per table.
func collateC(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rs, err := tx.Query(ctx, `WITH cols AS (
			SELECT i.indrelid AS rel, unnest(i.indkey::int2[]) AS att FROM pg_index i
			UNION SELECT k.conrelid, unnest(k.conkey) FROM pg_constraint k WHERE k.contype = 'f')
		SELECT c.relname, string_agg(format('ALTER COLUMN %I TYPE text COLLATE "C"', a.attname), ', ' ORDER BY a.attname)
		FROM cols JOIN pg_class c ON c.oid = cols.rel JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = cols.att
		WHERE c.relkind = 'r' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
		AND a.atttypid = 'text'::regtype GROUP BY c.relname ORDER BY c.relname`)
	if err != nil {
		return nil, err
	}
	alters, err := pgx.CollectRows(rs, func(row pgx.CollectableRow) (string, error) {
		var table, cols string
		err := row.Scan(&table, &cols)
		return `ALTER TABLE ` + pgx.Identifier{table}.Sanitize() + ` ` + cols, err
	})
	// ALTER COLUMN ... TYPE drops the column's statistics: without them the
	// UPDATE ... FROM is planned blind (migration 010 analyzes too)
	return append(append(claimViews(ctx, tx), alters...), `ANALYZE users, numbers, devices, device_lines`), err
}

// claimViews drops the claims' views of the objects (sqlstore/claims.go),
// which keep a column they read from changing its type, and cost the
// writes nothing; none when the claims are tables.
func claimViews(ctx context.Context, tx pgx.Tx) []string {
	var tables bool
	if tx.QueryRow(ctx, postgres.ClaimLayout).Scan(&tables) != nil || tables {
		return nil
	}
	return []string{`DROP VIEW login_claims, email_claims, number_claims, device_claims`}
}

// intCompany drops every foreign key of pbxsync's tables, turns each
// company column (and companies.id) into an integer (c0001 -> 1) and adds
// the foreign keys again.
func intCompany(ctx context.Context, tx pgx.Tx) ([]string, error) {
	rs, err := tx.Query(ctx, `SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
		WHERE k.contype = 'f' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) ORDER BY 1, 2`)
	if err != nil {
		return nil, err
	}
	type fk struct{ table, name, def string }
	fks, err := pgx.CollectRows(rs, func(row pgx.CollectableRow) (fk, error) {
		var f fk
		err := row.Scan(&f.table, &f.name, &f.def)
		return f, err
	})
	if err != nil {
		return nil, err
	}
	rs, err = tx.Query(ctx, `SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relkind = 'r' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
		AND (a.attname = 'company' OR (c.relname = 'companies' AND a.attname = 'id')) AND a.atttypid = 'text'::regtype ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	cols, err := pgx.CollectRows(rs, func(row pgx.CollectableRow) (string, error) {
		var table, col string
		err := row.Scan(&table, &col)
		return fmt.Sprintf(`ALTER TABLE %s ALTER COLUMN %s TYPE integer USING ltrim(%s, 'abcdefghijklmnopqrstuvwxyz')::integer`,
			pgx.Identifier{table}.Sanitize(), pgx.Identifier{col}.Sanitize(), pgx.Identifier{col}.Sanitize()), err
	})
	if err != nil {
		return nil, err
	}
	out := claimViews(ctx, tx)
	for _, f := range fks {
		out = append(out, `ALTER TABLE `+pgx.Identifier{f.table}.Sanitize()+` DROP CONSTRAINT `+pgx.Identifier{f.name}.Sanitize())
	}
	out = append(out, cols...)
	for _, f := range fks {
		out = append(out, `ALTER TABLE `+pgx.Identifier{f.table}.Sanitize()+` ADD CONSTRAINT `+pgx.Identifier{f.name}.Sanitize()+` `+f.def)
	}
	return out, nil
}

// median is the middle of ds (the mean of the two middle ones), 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// RoundRatio is the median over the rounds of a[i] / b[i], each pair
// measured in the same round (minutes apart, not the whole run apart: the
// machine's load drifts), as "1.23x"; "-" when there is none.
func RoundRatio(a, b []time.Duration) string {
	var rs []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			rs = append(rs, a[i].Seconds()/b[i].Seconds())
		}
	}
	if len(rs) == 0 {
		return "-"
	}
	slices.Sort(rs)
	m := rs[len(rs)/2]
	if len(rs)%2 == 0 {
		m = (rs[len(rs)/2-1] + rs[len(rs)/2]) / 2
	}
	return fmt.Sprintf("%.2fx", m)
}

// WriteSchemaText writes a schema floor comparison as a table: per schema
// the median wall and server CPU over the rounds, each over pbxsync's and
// over the minimal schema's, then the rounds themselves.
func WriteSchemaText(w io.Writer, r *SchemaResult) error {
	cp := "each write after a CHECKPOINT"
	if !r.Checkpoints {
		cp = "no CHECKPOINT before the writes"
	}
	fmt.Fprintf(w, "schema floor: %d new users of company %s (a user, a phone, its line, a pool number assigned: %d rows; 3 claims more where they are tables), %d rounds (%s), database collation %s, load average per round %s\n",
		r.Users, r.Company, 4*r.Users, r.Rounds, cp, r.Collation, strings.Join(r.Load, " "))
	var base, min *SchemaRun
	for i := range r.Runs {
		switch r.Runs[i].Name {
		case "pbxsync":
			base = &r.Runs[i]
		case "minimal":
			min = &r.Runs[i]
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "schema\twall\tCPU\tCPU / pbxsync\tCPU / minimal\twall / minimal\tusers\tdevices\tlines\tclaims\tnumbers\t\n")
	for _, s := range r.Runs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s", s.Name, secs(median(s.Wall)), secs(median(s.CPU)),
			RoundRatio(s.CPU, base.CPU), RoundRatio(s.CPU, min.CPU), RoundRatio(s.Wall, min.Wall))
		for _, step := range []string{"users", "devices", "lines", "claims", "numbers"} {
			fmt.Fprintf(tw, "\t%s", secs(s.Steps[step]/time.Duration(max(len(s.Wall), 1))))
		}
		fmt.Fprint(tw, "\t\n")
	}
	tw.Flush()
	for _, s := range r.Runs {
		fmt.Fprintf(w, "%s: %s\n", s.Name, s.What)
	}
	fmt.Fprintln(w, "(wall and CPU: medians over the rounds; CPU is the server process's; a ratio is the median of the rounds' ratios, each within one round; steps: mean wall per round)")
	fmt.Fprintln(w, "\nrounds (wall / server CPU, seconds):")
	for _, s := range r.Runs {
		fmt.Fprintf(w, "%-28s", s.Name)
		for i := range s.Wall {
			c := "?"
			if i < len(s.CPU) {
				c = fmt.Sprintf("%.2f", s.CPU[i].Seconds())
			}
			fmt.Fprintf(w, "  %.2f / %s", s.Wall[i].Seconds(), c)
		}
		fmt.Fprintln(w)
	}
	return nil
}
