package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/bench"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/plan"
)

func runBenchCmd(ctx context.Context, e *env, args []string) int {
	var o bench.Options
	var db, mode, compare, schemas string
	var seed int64
	var rounds int
	var asJSON bool
	fs := newFlags(e, "bench", "", `
Measures pbxsync end to end on a generated live state (make one first with
'pbxsync gen state'), and the database's own floor in the same run.

It makes a roster for one company (as 'pbxsync gen roster' does) and runs
it the way 'pbxsync apply --yes --report FILE' does, printing per stage the
wall time, rows/s, the peak Go heap, the heap reserved from the OS and the
peak RSS: load of the live state, read + map + validate, plan, apply, report.

On PostgreSQL it then measures the floor: the same rows the plan writes,
loaded into the same tables (same indexes and constraints) by COPY for new
rows and by COPY into a temporary table and one UPDATE ... FROM for changed
rows, in one transaction that is rolled back before the plan is applied;
and prints end to end / floor. It also plans and applies the same roster
again (it must change nothing: zero writes), and compares the store's load
of the live state with a plain scan of the same columns.

The run changes the store: its new users stay. Another run makes a new
roster from what is then live (new users take further pool numbers).

With --compare given,auto (or auto,given) the roster is run twice, in that
order, each run on a fresh copy of the store (the store itself is left as
it is; copies are removed): once with the new users' numbers and extensions
given, once with the same rows saying auto:NPA and auto, so that both are
taken from the pool; it prints both runs, their stages side by side and
auto / given end to end. A copy of a PostgreSQL database needs CREATEDB and
nobody else connected to it; the copy is prewarmed with pg_prewarm where the
server has it. The comparison fails (exit 1) when the runs' rows or plans
differ or a re-sync plans changes.

With --schema-floor (PostgreSQL) it measures only the floor, on the schema:
--rows new users of the company, each with a desk phone, its line and a
pool number, COPYed into pbxsync's tables, into a minimal schema beside them
(integer keys, the same uniqueness rules; built once in the schema
floor_min from the live state) and into the variants named (pbxsync's
schema with one index, foreign key, claim or key type changed: 'all' for
every one, 'none' for none), each in a transaction rolled back, --rounds
times; it prints each one's wall time and server CPU against pbxsync's and
the minimal schema's.

Examples:
  pbxsync gen state --db postgres://localhost/pbx --companies 50 --users 500000 --numbers 1000000
  pbxsync bench --db postgres://localhost/pbx --company c0001 --rows 100000
  pbxsync bench --db bench.db --company c0001 --rows 10000 --format xlsx --json > result.json
  pbxsync bench --db postgres://localhost/pbx --company c0002 --rows 5000 --new 0.1 --changes 0.1 --mode sync
  pbxsync bench --db postgres://localhost/pbx --company c0001 --rows 100000 --compare given,auto
  pbxsync bench --db postgres://localhost/pbx --company c0001 --rows 90000 --schema-floor all --rounds 3`)
	fs.StringVar(&db, "db", "", "the store holding a generated state: a file for the embedded store, or postgres://... (default: $PBXSYNC_DB, $DATABASE_URL, the PG* environment, else ./"+defaultDB+")")
	fs.StringVar(&o.Roster.Company, "company", "", "company ID (default: the store's only company)")
	fs.IntVar(&o.Roster.Rows, "rows", 10_000, "roster rows")
	fs.Float64Var(&o.Roster.New, "new", 0.9, "share of rows that are new users")
	fs.Float64Var(&o.Roster.Changes, "changes", 0.05, "share of rows that change one field of an existing user")
	fs.Float64Var(&o.Roster.Leavers, "leavers", 0.01, "share (of --rows) of the company's users left off the roster")
	fs.Float64Var(&o.Roster.Moves, "moves", 0.01, "share of rows that move a number from one user to another (two rows each)")
	fs.Float64Var(&o.Roster.Mistakes, "mistakes", 0.01, "share of rows with one invalid value")
	fs.Int64Var(&seed, "seed", 1, "roster seed")
	fs.BoolVar(&o.Roster.Auto, "auto", false, "the new users' rows say auto for their number and extension: both taken from the company's pool")
	fs.StringVar(&compare, "compare", "", "given,auto or auto,given: run the roster with numbers and extensions given and with them auto, each on a copy of the store, and compare")
	fs.StringVar(&o.Format, "format", "csv", "roster file format: csv or xlsx")
	fs.StringVar(&o.Dir, "dir", "", "keep the roster and the reports in this directory (default: a temporary one, removed)")
	fs.StringVar(&mode, "mode", "onboard", "onboard, or sync (every user of the company managed; removal limits forced)")
	fs.BoolVar(&o.NoFloor, "no-floor", false, "skip the floor on PostgreSQL")
	fs.IntVar(&o.SliceRows, "slice-rows", importer.SliceRows, "plan the roster in slices of about this many rows, as apply does; 0: whole")
	fs.StringVar(&schemas, "schema-floor", "", "measure only the floor of --rows new users on pbxsync's schema, a minimal one and these variants (comma-separated, all or none)")
	fs.IntVar(&rounds, "rounds", 3, "rounds of --schema-floor")
	fs.BoolVar(&o.NoOverlap, "no-overlap", false, "write each slice before the next is planned (not while), to measure what the overlap pays")
	fs.BoolVar(&o.Progress, "progress", false, "draw the progress bar (into nowhere), to measure its cost")
	fs.BoolVar(&asJSON, "json", false, "print the result as JSON")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the run's stages to this file (go tool pprof)")
	fs.StringVar(&o.HeapProfile, "heapprofile", "", "write a heap profile, taken when the plan is made, to this file")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	var err error
	if o.DB, err = genDB(db); err != nil {
		return fail(e, err)
	}
	o.Roster.Seed = uint64(seed)
	o.Mode = plan.Mode(mode)
	o.Log = e.stderr
	if compare != "" {
		return runBenchCompare(ctx, e, o, compare, asJSON)
	}
	if schemas != "" {
		return runSchemaFloor(ctx, e, o, schemas, rounds, asJSON)
	}
	res, err := bench.Run(ctx, o)
	if err != nil {
		return fail(e, err)
	}
	if asJSON {
		err = bench.WriteJSON(e.stdout, res)
	} else {
		err = bench.WriteText(e.stdout, res)
	}
	if err != nil {
		return fail(e, err)
	}
	if res.ResyncChanges != 0 {
		return fail(e, fmt.Errorf("the re-sync of the unchanged roster planned %d changes; it must plan none", res.ResyncChanges))
	}
	return exitOK
}

// runBenchCompare runs bench --compare: the roster with numbers given and
// with them auto, each on a copy of the store.
func runBenchCompare(ctx context.Context, e *env, o bench.Options, compare string, asJSON bool) int {
	order, err := bench.ParseOrder(compare)
	if err != nil {
		return fail(e, err)
	}
	if o.Roster.Auto {
		return fail(e, fmt.Errorf("--auto and --compare: --compare runs the roster both ways; leave out --auto"))
	}
	c, err := bench.CompareAuto(ctx, o, order)
	if err != nil {
		return fail(e, err)
	}
	if asJSON {
		err = bench.WriteComparisonJSON(e.stdout, c)
	} else {
		err = bench.WriteComparisonText(e.stdout, c)
	}
	if err != nil {
		return fail(e, err)
	}
	if len(c.Problems) > 0 {
		return fail(e, fmt.Errorf("the comparison is not sound: %s", strings.Join(c.Problems, "; ")))
	}
	return exitOK
}

// runSchemaFloor runs bench --schema-floor.
func runSchemaFloor(ctx context.Context, e *env, o bench.Options, schemas string, rounds int, asJSON bool) int {
	so := bench.SchemaOptions{DB: o.DB, Company: o.Roster.Company, Users: o.Roster.Rows, Rounds: rounds, Log: o.Log}
	if so.Company == "" {
		return fail(e, fmt.Errorf("--schema-floor: name the company that onboards with --company"))
	}
	if schemas != "none" {
		so.Variants = strings.Split(schemas, ",")
	}
	r, err := bench.SchemaFloor(ctx, so)
	if err != nil {
		return fail(e, err)
	}
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	} else {
		err = bench.WriteSchemaText(e.stdout, r)
	}
	if err != nil {
		return fail(e, err)
	}
	return exitOK
}
