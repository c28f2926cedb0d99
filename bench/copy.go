package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/dsn"
)

// storeCopy is a copy of a store made for one run of a comparison, so that
// both runs start from the same state: a database made with CREATE
// DATABASE ... TEMPLATE on PostgreSQL, a copy of the file for the embedded
// store.
type storeCopy struct {
	DB   string        // the copy's store string, for Options.DB
	Took time.Duration // making it (and, on PostgreSQL, prewarming it)
	drop func(context.Context) error
}

// copyStore copies the store db names into a store of its own named after
// suffix: on PostgreSQL a database beside it on the same server, for the
// embedded store a file in dir. The store must not be in use: PostgreSQL
// refuses to copy a database others are connected to.
func copyStore(ctx context.Context, db, suffix, dir string, log io.Writer) (*storeCopy, error) {
	t, err := dsn.Parse(db)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	var c *storeCopy
	if t.Kind == dsn.Postgres {
		c, err = copyPostgres(ctx, t.Conn, suffix, log)
	} else {
		c, err = copySQLite(ctx, t.Conn, filepath.Join(dir, "store."+suffix+".db"))
	}
	if err != nil {
		return nil, err
	}
	c.Took = time.Since(start)
	return c, nil
}

// copySQLite checkpoints the store's write-ahead log into its file and
// copies the file to path.
func copySQLite(ctx context.Context, src, path string) (*storeCopy, error) {
	if _, err := os.Stat(src); err != nil {
		return nil, fmt.Errorf("copying the store: %w", err)
	}
	db, err := sql.Open("sqlite", src+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	db.Close()
	if err != nil {
		return nil, fmt.Errorf("copying %s: checkpointing its log: %w", src, err)
	}
	if err := copyFile(src, path); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("copying %s to %s: %w", src, path, err)
	}
	return &storeCopy{DB: path, drop: func(context.Context) error {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
		return nil
	}}, nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// copyPostgres makes a database <source>_<suffix> from the one conn names
// (CREATE DATABASE ... TEMPLATE, dropping a leftover of that name first),
// and loads it into the server's buffers with pg_prewarm where the server
// has it, as a database copied for a run by hand would be.
func copyPostgres(ctx context.Context, conn, suffix string, log io.Writer) (*storeCopy, error) {
	cfg, err := pgx.ParseConfig(conn)
	if err != nil {
		return nil, err
	}
	src, base := cfg.Database, cfg.Database
	if n := 63 - len(suffix) - 1; len(base) > n { // PostgreSQL's identifier length
		base = base[:n]
	}
	name := base + "_" + suffix
	admin := cfg.Copy()
	admin.Database = "postgres"
	if src == "postgres" {
		admin.Database = "template1"
	}
	drop := func(ctx context.Context) error { return dropDatabase(ctx, admin, name) }
	if err := drop(ctx); err != nil {
		return nil, fmt.Errorf("dropping the leftover copy %s: %w", name, err)
	}
	ac, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return nil, fmt.Errorf("copying database %s: connecting to %s: %w", src, admin.Database, err)
	}
	_, err = ac.Exec(ctx, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` TEMPLATE `+pgx.Identifier{src}.Sanitize())
	ac.Close(context.WithoutCancel(ctx))
	if err != nil {
		return nil, fmt.Errorf("copying database %s to %s (nothing else may be connected to %s, and the user needs CREATEDB): %w", src, name, src, err)
	}
	c := &storeCopy{DB: withDatabase(conn, name), drop: drop}
	if err := prewarm(ctx, c.DB, log); err != nil {
		c.drop(context.WithoutCancel(ctx))
		return nil, err
	}
	return c, nil
}

// dropDatabase drops the database name, if there is one, connected as admin.
func dropDatabase(ctx context.Context, admin *pgx.ConnConfig, name string) error {
	ac, err := pgx.ConnectConfig(ctx, admin)
	if err != nil {
		return err
	}
	defer ac.Close(context.WithoutCancel(ctx))
	_, err = ac.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`)
	return err
}

// prewarm reads every table and index of the database at conn into the
// server's buffers (pg_prewarm), or says why it cannot.
func prewarm(ctx context.Context, conn string, log io.Writer) error {
	c, err := pgx.Connect(ctx, conn)
	if err != nil {
		return err
	}
	defer c.Close(context.WithoutCancel(ctx))
	if _, err := c.Exec(ctx, `CREATE EXTENSION IF NOT EXISTS pg_prewarm SCHEMA public`); err != nil {
		fmt.Fprintf(log, "bench: the copy is not prewarmed (pg_prewarm: %v)\n", err)
		return nil
	}
	var blocks int64
	err = c.QueryRow(ctx, `SELECT coalesce(sum(public.pg_prewarm(c.oid)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'i') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'`).Scan(&blocks)
	if err != nil {
		return fmt.Errorf("prewarming the copy: %w", err)
	}
	fmt.Fprintf(log, "bench: prewarmed %d blocks of the copy\n", blocks)
	return nil
}

// withDatabase returns the connection string conn naming database name
// instead of its own: a URL's path replaced, a key/value string's dbname
// given last (the last setting of a key counts).
func withDatabase(conn, name string) string {
	lower := strings.ToLower(conn)
	if strings.HasPrefix(lower, "postgres://") || strings.HasPrefix(lower, "postgresql://") {
		if u, err := url.Parse(conn); err == nil {
			u.Path, u.RawPath = "/"+name, ""
			return u.String()
		}
	}
	return strings.TrimSpace(conn+" dbname='"+strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(name)) + "'"
}
