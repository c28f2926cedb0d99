package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The layout of the schema on Citus (docs/scale.md): every table of a
// company's data sharded by its company and co-located with companies, so
// that a batch, which names its company in every statement, runs on one
// node, in the foreign keys' order; the claims sharded by the value they
// keep unique (the first of their columns); the device catalogue a
// reference table; schema_migrations left on the coordinator.
var (
	byCompany = []string{"sites", "e911_locations", "hunt_groups", "auto_attendants", "users", "hunt_group_members", "numbers",
		"number_members", "devices", "device_lines", "runs", "run_batches", "run_changes", "company_locks"}
	claims = [][]string{{"login_claims", "user_id", "company"}, {"email_claims", "email", "company", "user_id"},
		{"number_claims", "e164", "company"}, {"device_claims", "mac", "company"}}
	local = []string{"schema_migrations"}
)

// HasCitus says what to do when the database has no citus extension.
func (s *Store) HasCitus(ctx context.Context) error {
	var citus int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_extension WHERE extname = 'citus'`).Scan(&citus); err != nil {
		return fmt.Errorf("postgres: looking for Citus: %w", err)
	}
	if citus == 0 {
		return errors.New("postgres: the database has no Citus: --distributed needs the citus extension (CREATE EXTENSION citus, on the coordinator and every worker, and citus_add_node for each worker)")
	}
	return nil
}

// Distribute lays the migrated schema out on Citus as above, in shards
// shards per table (0: citus.shard_count). Tables laid out already are left
// as they are; a table the layout does not name is an error.
func (s *Store) Distribute(ctx context.Context, shards int) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: connecting: %w", err)
	}
	defer conn.Release()
	if err := s.HasCitus(ctx); err != nil {
		return err
	}
	if n, _, err := s.Pending(ctx); err != nil || n > 0 {
		if err == nil {
			err = fmt.Errorf("%d migrations are not applied yet; run pbxsync init first", n)
		}
		return fmt.Errorf("postgres: distributing: %w", err)
	}
	if shards > 0 {
		if _, err := conn.Exec(ctx, fmt.Sprintf("SET citus.shard_count = %d", shards)); err != nil {
			return fmt.Errorf("postgres: distributing: %w", err)
		}
	}
	done := func(table string) (bool, error) {
		var n int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = to_regclass($1)`, table).Scan(&n)
		return n > 0, err
	}
	run := func(table, sql string, args ...any) error {
		ok, err := done(table)
		if err == nil && !ok {
			_, err = conn.Exec(ctx, sql, args...)
		}
		if err != nil {
			return fmt.Errorf("postgres: distributing %s: %w", table, err)
		}
		return nil
	}
	if err := claimTables(ctx, conn); err != nil {
		return err
	}
	if err := run("companies", `SELECT create_distributed_table('companies', 'id')`); err != nil {
		return err
	}
	// A foreign key to a table that becomes a reference table turns the
	// local tables that name it into Citus local tables, which a sharded
	// table may not reference: devices' key to the catalogue waits until
	// both are laid out.
	model, err := done("device_models")
	if err != nil {
		return fmt.Errorf("postgres: distributing: %w", err)
	}
	if !model {
		if _, err := conn.Exec(ctx, `ALTER TABLE devices DROP CONSTRAINT IF EXISTS devices_model_fkey`); err != nil {
			return fmt.Errorf("postgres: distributing devices: %w", err)
		}
	}
	for _, t := range byCompany {
		if err := run(t, `SELECT create_distributed_table($1, 'company', colocate_with => 'companies')`, t); err != nil {
			return err
		}
	}
	for _, c := range claims {
		if err := run(c[0], `SELECT create_distributed_table($1, $2, colocate_with => 'companies')`, c[0], c[1]); err != nil {
			return err
		}
	}
	if !model {
		if err := run("device_models", `SELECT create_reference_table('device_models')`); err != nil {
			return err
		}
		if _, err := conn.Exec(ctx, `ALTER TABLE devices ADD CONSTRAINT devices_model_fkey FOREIGN KEY (model) REFERENCES device_models (name)`); err != nil {
			return fmt.Errorf("postgres: distributing devices: %w", err)
		}
	}
	rows, err := conn.Query(ctx, `SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
		AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = c.oid) AND c.relname <> ALL($1) ORDER BY 1`, local)
	left, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("postgres: checking the layout: %w", err)
	}
	if len(left) > 0 {
		return fmt.Errorf("postgres: tables %s have no place in the distributed layout (postgres/distribute.go): give each its distribution column", strings.Join(left, ", "))
	}
	return s.readLayout(ctx)
}

// claimTables turns the claims into tables (ClaimTablesDDL) in one
// transaction, before anything is distributed.
func claimTables(ctx context.Context, conn *pgxpool.Conn) error {
	var tables bool
	if err := conn.QueryRow(ctx, ClaimLayout).Scan(&tables); err != nil || tables {
		return err
	}
	err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		for _, sql := range ClaimTablesDDL() {
			if _, err := tx.Exec(ctx, sql); err != nil {
				return fmt.Errorf("%s: %w", sql, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: making the claim tables: %w", err)
	}
	return nil
}

// ClaimTablesDDL turns each claim from a view of its objects into a table
// keyed by the value: the unique index that kept the rule on one server
// cannot hold on tables sharded by company and is dropped, and the table's
// primary key takes its name.
func ClaimTablesDDL() []string {
	var out []string
	for _, c := range claims {
		table, cols := c[0], c[1:]
		defs := make([]string, len(cols))
		for i, col := range cols {
			defs[i] = col + ` text COLLATE "C" NOT NULL`
		}
		out = append(out,
			`DROP INDEX `+table+`_pkey`,
			`CREATE TABLE `+table+`_new (`+strings.Join(defs, ", ")+`, CONSTRAINT `+table+`_pkey PRIMARY KEY (`+cols[0]+`))`,
			`INSERT INTO `+table+`_new SELECT `+strings.Join(cols, ", ")+` FROM `+table,
			`DROP VIEW `+table,
			`ALTER TABLE `+table+`_new RENAME TO `+table)
	}
	return out
}
