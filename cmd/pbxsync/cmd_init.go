package main

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/dsn"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/postgres"
)

type initOptions struct {
	store       storeFlags
	seed        string
	distributed bool
	shards      int
}

func runInitCmd(ctx context.Context, e *env, args []string) int {
	var o initOptions
	fs := newFlags(e, "init", "", `
Creates the store, or brings its schema up to date (safe to run again),
and with --seed loads a new company from a seed file: its sites (region,
extension length, reserved extensions), number inventory, device catalogue,
hunt groups and auto attendants. See samples/demo/company.json. A company
already in the store is left as it is, so init is safe to run again.

With --distributed (PostgreSQL with Citus) the schema is laid out across
the cluster, sharded by company: every company's rows on one node, logins,
e-mails, numbers and MACs kept unique by claims sharded by the value, the
device catalogue copied to every node (docs/scale.md). Safe to run again.

Examples:
  pbxsync init --seed samples/demo/company.json
  pbxsync init --db postgres://pbx@db.internal/pbx --seed acme.json
  pbxsync init --db postgres://pbx@citus-coordinator/pbx --distributed`)
	o.store.register(fs)
	fs.StringVar(&o.seed, "seed", "", "seed file (JSON) of a company to load")
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
			fmt.Fprintf(e.stderr, "company %s is in the store already: the seed was not loaded again (rosters change it from here on)\n", c.ID)
			return nil
		}
	}
	if err := st.Seed(ctx, seed); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "loaded company %s: %d site(s), %d numbers, %d device models, %d hunt group(s), %d auto attendant(s)\n",
		seed.Company.ID, len(seed.Sites), len(seed.Numbers), len(seed.Models), len(seed.Hunts), len(seed.AAs))
	return nil
}
