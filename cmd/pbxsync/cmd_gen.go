package main

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/dsn"
	"github.com/pbxsync/pbxsync/gen"
)

const genAbout = `
Makes test data, deterministically from a seed: the same flags always make
the same data.

  gen state    writes a live state of many companies into an empty store:
               sites, E911 locations, the device catalogue, the number
               inventory, users with a number each, desk phones and lines.
               Users and numbers are spread evenly over the companies; the
               first company gets --site-pool more free numbers, so that it
               can take a large site's roster.
  gen roster   writes a roster (CSV or XLSX, pbxsync template headers) for
               one company of the store, made from its live state: a share
               of new users, changed users, leavers (left off), numbers
               moved between two users, and rows with one mistake each.

Companies are c0001, c0002...; logins are <initial><last name><n>@<company>.example.

Examples:
  pbxsync gen state --db postgres://localhost/pbx --companies 50 --users 500000 --numbers 1000000 --seed 1
  pbxsync gen state --db bench.db --companies 50 --users 500000 --numbers 1000000 --site-pool 110000
  pbxsync gen roster --db postgres://localhost/pbx --company c0001 --rows 100000 \
      --new 0.9 --changes 0.05 --leavers 0.01 --moves 0.01 --mistakes 0.01 --out roster.csv
  pbxsync gen roster --db bench.db --company c0002 --rows 5000 --new 0 --changes 0.1 --out hr.xlsx`

func runGenCmd(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "state":
			return runGenState(ctx, e, args[1:])
		case "roster":
			return runGenRoster(ctx, e, args[1:])
		}
	}
	fs := newFlags(e, "gen", "state|roster [flags]", genAbout)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	what := "nothing"
	if len(pos) > 0 {
		what = fmt.Sprintf("%q", pos[0])
	}
	fmt.Fprintf(e.stderr, "pbxsync gen: want state or roster, got %s\nrun 'pbxsync gen --help' for usage\n", what)
	return exitFatal
}

// genDB resolves --db the way the other commands do, as gen's writers want
// it: a PostgreSQL connection string, or the embedded store's file.
func genDB(flagValue string) (string, error) {
	t, err := dbTarget(flagValue)
	switch {
	case err != nil:
		return "", err
	case t.Kind == dsn.Postgres && t.Conn == "":
		return "postgres://", nil // everything from the PG* environment
	}
	return t.Conn, nil
}

func runGenState(ctx context.Context, e *env, args []string) int {
	var db string
	s := gen.Spec{}
	var seed int64
	fs := newFlags(e, "gen state", "", `
Writes a generated live state into an empty store (see 'pbxsync gen --help').
Small objects go through the store's own seed; users, numbers, devices and
lines are written in bulk in one transaction (COPY on PostgreSQL). Refuses a
store that already holds one of the companies.

Examples:
  pbxsync gen state --db postgres://localhost/pbx --companies 50 --users 500000 --numbers 1000000 --seed 1
  pbxsync gen state --db small.db --companies 3 --users 3000 --numbers 10000 --site-pool 4000`)
	fs.StringVar(&db, "db", "", "the store: a file for the embedded store, or postgres://... (default: $PBXSYNC_DB, $DATABASE_URL, the PG* environment, else ./"+defaultDB+")")
	fs.IntVar(&s.Companies, "companies", 50, "number of companies")
	fs.IntVar(&s.Users, "users", 500_000, "users in all, spread over the companies (each with a number, a desk phone and a line)")
	fs.IntVar(&s.Numbers, "numbers", 1_000_000, "numbers in all: the users' ones, 2 per company (main line, hunt group), the free pools")
	fs.IntVar(&s.SitePool, "site-pool", -1, "of --numbers, extra free numbers for the first company's pool, for a large-site roster (default: a tenth of --numbers)")
	fs.Int64Var(&seed, "seed", 1, "seed: the same seed makes the same state")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	s.Seed = uint64(seed)
	if s.SitePool < 0 {
		s.SitePool = s.Numbers / 10
	}
	target, err := genDB(db)
	if err != nil {
		return fail(e, err)
	}
	stats, err := gen.WriteState(ctx, target, s, e.stderr)
	if err != nil {
		return fail(e, err)
	}
	first := s.Company(0)
	fmt.Fprintf(e.stderr, "wrote %d companies (%s..%s), %d users, %d numbers, %d devices and lines to %s in %s\n",
		stats.Companies, first.ID, s.Company(s.Companies-1).ID, stats.Users, stats.Numbers, stats.Devices, dsn.Redact(target),
		(stats.Seed + stats.Bulk + stats.Analyze).Round(1e6))
	fmt.Fprintf(e.stderr, "company %s has %d users and %d free numbers: a roster of it may have up to %d new users\n",
		first.ID, first.Users, first.Pool(), first.Pool())
	return exitOK
}

func runGenRoster(ctx context.Context, e *env, args []string) int {
	var db, out string
	var seed int64
	r := gen.RosterSpec{}
	fs := newFlags(e, "gen roster", "", `
Writes a roster for one company of the store, made from its live state (see
'pbxsync gen --help'). The shares are fractions of --rows; a move takes two
rows (the giver gets a pool number, the receiver the giver's number). Every
row that is not new, changed, moved or a mistake names an existing user
exactly as the live state has them. What the roster holds is printed on
stderr.

Examples:
  pbxsync gen roster --company c0001 --rows 100000 --new 0.9 --changes 0.05 --leavers 0.01 --moves 0.01 --mistakes 0.01 --out roster.csv
  pbxsync gen roster --db bench.db --rows 2000 --new 0.5 --out site.xlsx
  pbxsync gen roster --company c0003 --rows 10 --out - | head`)
	fs.StringVar(&db, "db", "", "the store: a file for the embedded store, or postgres://... (default: $PBXSYNC_DB, $DATABASE_URL, the PG* environment, else ./"+defaultDB+")")
	fs.StringVar(&r.Company, "company", "", "company ID (default: the store's only company)")
	fs.IntVar(&r.Rows, "rows", 10_000, "data rows")
	fs.Float64Var(&r.New, "new", 0.9, "share of rows that are new users")
	fs.Float64Var(&r.Changes, "changes", 0.05, "share of rows that change one field of an existing user")
	fs.Float64Var(&r.Leavers, "leavers", 0.01, "share (of --rows) of the company's users left off the roster")
	fs.Float64Var(&r.Moves, "moves", 0.01, "share of rows that move a number from one user to another (two rows each)")
	fs.Float64Var(&r.Mistakes, "mistakes", 0.01, "share of rows with one invalid value (bad MAC, number, model, e-mail, extension, postal code, station type)")
	fs.BoolVar(&r.Auto, "auto", false, "the new users' rows say auto for their number and extension: both taken from the company's pool")
	fs.Int64Var(&seed, "seed", 1, "seed: the same live state and seed make the same roster")
	fs.StringVar(&out, "out", "", "the roster file: .csv or .xlsx; - writes CSV to stdout")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	if out == "" {
		return fail(e, fmt.Errorf("--out: name the roster file (.csv or .xlsx), or - for CSV on stdout"))
	}
	r.Seed = uint64(seed)
	target, err := genDB(db)
	if err != nil {
		return fail(e, err)
	}
	st, err := gen.OpenStore(ctx, target)
	if err != nil {
		return fail(e, err)
	}
	defer st.Close()
	ro, err := gen.RosterFromStore(ctx, st, r)
	if err != nil {
		return fail(e, err)
	}
	if out == "-" {
		err = ro.WriteCSV(e.stdout)
	} else {
		err = ro.WriteFile(out)
	}
	if err != nil {
		return fail(e, err)
	}
	x := ro.Expect
	fmt.Fprintf(e.stderr, "wrote %d rows to %s: %d new, %d changed, %d moves (%d rows), %d unchanged, %d mistakes; %d users left off (%d asked for)\n",
		x.Rows, out, x.New, x.Changed, x.Moves, 2*x.Moves, x.Unchanged, x.Mistakes, x.Absent, x.Leavers)
	return exitOK
}
