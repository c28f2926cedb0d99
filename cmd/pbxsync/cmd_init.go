package main

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/dsn"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/report"
)

type initOptions struct {
	store       storeFlags
	seed        string
	dryRun      bool
	yes         bool
	distributed bool
	shards      int
}

func runInitCmd(ctx context.Context, e *env, args []string) int {
	var o initOptions
	fs := newFlags(e, "init", "", `
Creates the store, or brings its schema up to date (safe to run again),
and with --seed loads a new company from a seed file: its sites (region,
extension length, reserved extensions), number inventory, device catalogue,
hunt groups and auto attendants. See samples/demo/company.json.

A seed of a company already in the store plans the difference between the
seed and the live state: sites, device models, numbers (site, label,
routing, holiday routing), hunt groups and auto attendants (and the numbers
routed to them) added or changed, nothing removed. The plan is printed;
with --yes (or confirmed on a terminal, as apply asks) it is applied as a
recorded run ('pbxsync runs', 'pbxsync revert RUN'); --dry-run only shows
it. A seed that matches the store changes nothing, so init is safe to run
again. Day by day the same objects are managed from files, each of its own
kind: pbxsync apply --kind numbers|sites|models|hunt-groups|auto-attendants.

With --distributed (PostgreSQL with Citus) the schema is laid out across
the cluster, sharded by company: every company's rows on one node, logins,
e-mails, numbers and MACs kept unique by claims sharded by the value, the
device catalogue copied to every node (docs/scale.md). Safe to run again.

Examples:
  pbxsync init --seed samples/demo/company.json
  pbxsync init --seed acme.json --dry-run        # acme in the store: what the seed would change
  pbxsync init --db postgres://pbx@db.internal/pbx --seed acme.json --yes
  pbxsync init --db postgres://pbx@citus-coordinator/pbx --distributed`)
	o.store.register(fs)
	fs.StringVar(&o.seed, "seed", "", "seed file (JSON) of a company to load, or to plan against the company in the store")
	fs.BoolVar(&o.dryRun, "dry-run", false, "with a company in the store: show what the seed would change, apply nothing")
	fs.BoolVar(&o.yes, "yes", false, "with a company in the store: apply the seed's changes without asking")
	fs.BoolVar(&o.distributed, "distributed", false, "lay the schema out on Citus, sharded by company (PostgreSQL with the citus extension)")
	fs.IntVar(&o.shards, "shards", 0, "with --distributed: shards per table (0: Citus's citus.shard_count, 32 by default)")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	if err := runInit(ctx, e, o); err != nil {
		return fail(e, err)
	}
	return exitOK
}

func runInit(ctx context.Context, e *env, o initOptions) error {
	if t, err := dbTarget(o.store.db); err == nil && o.distributed && t.Kind != dsn.Postgres {
		return fmt.Errorf("%w: --distributed lays out a PostgreSQL database with Citus (--db postgres://...); %s is the embedded store", pbx.ErrInvalid, t)
	}
	if o.distributed {
		if err := citusFirst(ctx, o.store.db); err != nil {
			return err
		}
	}
	st, err := o.store.open(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	t, err := dbTarget(o.store.db)
	if err != nil {
		return err
	}
	if o.distributed {
		pg, ok := st.(*postgres.Store)
		if !ok {
			return fmt.Errorf("%w: --distributed lays out a PostgreSQL database with Citus; %s is not one", pbx.ErrInvalid, t)
		}
		if o.shards < 0 {
			return fmt.Errorf("%w: --shards %d: give a number of shards, or 0 for Citus's default", pbx.ErrInvalid, o.shards)
		}
		if err := pg.Distribute(ctx, o.shards); err != nil {
			return dsn.Error(err, t.Secret)
		}
		fmt.Fprintf(e.stderr, "store %s is laid out on Citus, sharded by company\n", t)
	}
	fmt.Fprintf(e.stderr, "store %s is ready\n", t)
	if o.seed == "" {
		return nil
	}
	seed, err := importer.ReadSeed(o.seed)
	if err != nil {
		return err
	}
	cs, err := st.Companies(ctx)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.ID == seed.Company.ID {
			return reseed(ctx, e, o, st, seed)
		}
	}
	if err := st.Seed(ctx, seed); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "loaded company %s: %d site(s), %d numbers, %d device models, %d hunt group(s), %d auto attendant(s)\n",
		seed.Company.ID, len(seed.Sites), len(seed.Numbers), len(seed.Models), len(seed.Hunts), len(seed.AAs))
	return nil
}

// reseed plans a seed of a company in the store against it, shows the
// plan, and applies it as a recorded run when told to.
func reseed(ctx context.Context, e *env, o initOptions, st importer.Store, seed *pbx.Seed) error {
	p, err := importer.PlanSeed(ctx, st, seed, o.seed)
	if err != nil {
		return err
	}
	if err := report.WritePlan(e.stdout, p, report.PlanOptions{}); err != nil {
		return err
	}
	switch {
	case p.Empty():
		fmt.Fprintf(e.stderr, "company %s is in the store and matches the seed: nothing to do\n", p.Company)
		return nil
	case o.dryRun:
		fmt.Fprintf(e.stderr, "company %s is in the store: the plan above is what the seed would change; nothing applied (run it without --dry-run to apply)\n", p.Company)
		return nil
	case !o.yes && !e.stdinTTY:
		return fmt.Errorf("%w: company %s is in the store and the seed would change it (the plan above), and there is no terminal to ask on: run it with --yes, or --dry-run to only look", pbx.ErrRefused, p.Company)
	case !o.yes && !confirm(e, fmt.Sprintf("Apply %d changes to company %s? Type yes to go on: ", len(p.Changes), p.Company)):
		return fmt.Errorf("%w: nothing applied: the plan was not confirmed", pbx.ErrRefused)
	}
	res, err := importer.Apply(ctx, st, p, apply.Options{})
	if err != nil {
		return err
	}
	if len(res.Failed) > 0 {
		for _, f := range res.Failed {
			c := p.Changes[f.Change]
			fmt.Fprintf(e.stderr, "  %s %s %s: %s\n", c.Action, c.Kind, c.Key, f.Reason)
		}
		return fmt.Errorf("applied %d changes (run %d); %d change(s) failed", res.Applied, res.RunID, len(res.Failed))
	}
	fmt.Fprintf(e.stderr, "applied %d changes of the seed to company %s (run %d; pbxsync revert %d undoes it)\n", res.Applied, p.Company, res.RunID, res.RunID)
	return nil
}

// citusFirst refuses --distributed on a PostgreSQL database without Citus
// before init gives it the schema: nothing is written there.
func citusFirst(ctx context.Context, db string) error {
	t, err := dbTarget(db)
	if err != nil {
		return err
	}
	st, err := openTarget(ctx, t)
	if err != nil {
		return err
	}
	defer st.Close()
	if pg, ok := st.(*postgres.Store); ok {
		return dsn.Error(pg.HasCitus(ctx), t.Secret)
	}
	return nil
}
