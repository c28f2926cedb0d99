package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
)

// Environment variables of the PostgreSQL tests.
const (
	// EnvDatabaseURL names the PostgreSQL server the tests use; each test
	// works in a schema of its own there and drops it afterwards.
	EnvDatabaseURL = "PBXSYNC_TEST_DATABASE_URL"
	// EnvRequirePG set to 1 makes a missing EnvDatabaseURL a failure instead
	// of a skip, so that scripts/test can never silently skip PostgreSQL.
	EnvRequirePG = "PBXSYNC_REQUIRE_PG"
	// EnvDistributed, when set to a number of shards, has every PostgreSQL
	// store the tests open laid out on Citus, sharded by company
	// (postgres.Store.Distribute), after its migrations: the server of
	// EnvDatabaseURL is then a Citus coordinator (scripts/test-citus).
	EnvDistributed = "PBXSYNC_TEST_DISTRIBUTED"
)

// PostgresURL returns the URL of the test PostgreSQL server. When none is
// set it skips the test, or fails it when PBXSYNC_REQUIRE_PG=1.
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvDatabaseURL)
	if u != "" {
		return u
	}
	if os.Getenv(EnvRequirePG) == "1" {
		t.Fatalf("%s is not set but %s=1: PostgreSQL tests must run; use scripts/test, which starts a server", EnvDatabaseURL, EnvRequirePG)
		return ""
	}
	t.Skipf("%s is not set: skipping the PostgreSQL tests (scripts/test starts a throwaway server and runs them)", EnvDatabaseURL)
	return ""
}

// Engines are the two stores, by name, for a test that runs on both.
var Engines = []struct {
	Name string
	Open func(testing.TB) importer.Store
}{{"sqlite", OpenSQLite}, {"postgres", OpenPostgres}}

// OnEach runs f as a subtest of t on a fresh store of each engine.
func OnEach(t *testing.T, f func(t *testing.T, s importer.Store)) {
	for _, e := range Engines {
		t.Run(e.Name, func(t *testing.T) { f(t, e.Open(t)) })
	}
}

// OpenSQLite returns a migrated SQLite store in a file of the test's own
// temporary directory, closed when the test ends.
func OpenSQLite(t testing.TB) importer.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
	if err != nil {
		t.Fatalf("opening the SQLite store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrating the SQLite store: %v", err)
	}
	return s
}

// OpenPostgres returns a migrated PostgreSQL store working in a schema of
// its own on the server PostgresURL names; the schema is dropped when the
// test ends. It skips or fails like PostgresURL when no server is set.
func OpenPostgres(t testing.TB) importer.Store {
	t.Helper()
	conn := PostgresSchemaURL(t)
	if conn == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatalf("opening the PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrating the PostgreSQL store (%s): %v", conn, err)
	}
	Distribute(t, ctx, s)
	return s
}

// PostgresSchemaURL creates an empty schema of the test's own on the server
// PostgresURL names and returns the connection string that works in it; the
// schema is dropped when the test ends. It skips or fails like PostgresURL
// when no server is set.
func PostgresSchemaURL(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := adminPool(ctx, base)
	if err != nil {
		t.Fatalf("connecting to the test PostgreSQL server (%s): %v", EnvDatabaseURL, err)
	}
	schema := "pbxsync_test_" + randomHex(6)
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("creating schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
	})
	return WithSearchPath(base, schema)
}

var (
	adminMu    sync.Mutex
	adminPools = map[string]*pgxpool.Pool{}
)

// adminPool returns the pool, shared by every test of the binary, that
// creates and drops the tests' schemas on the server at url.
func adminPool(ctx context.Context, url string) (*pgxpool.Pool, error) {
	adminMu.Lock()
	defer adminMu.Unlock()
	if p, ok := adminPools[url]; ok {
		return p, nil
	}
	p, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, err
	}
	if err := p.Ping(ctx); err != nil {
		p.Close()
		return nil, err
	}
	adminPools[url] = p
	return p, nil
}

// WithSearchPath returns the connection string conn with its search_path set
// to schema; conn is a URL (postgres://...) or keyword/value settings.
func WithSearchPath(conn, schema string) string {
	if strings.HasPrefix(conn, "postgres://") || strings.HasPrefix(conn, "postgresql://") {
		if u, err := url.Parse(conn); err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return strings.TrimSpace(conn+" search_path=") + schema
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// OpenPostgresAt returns a migrated PostgreSQL store on the connection
// string conn (e.g. from PostgresSchemaURL), closed when the test ends.
func OpenPostgresAt(t testing.TB, conn string) importer.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := postgres.Open(ctx, conn)
	if err != nil {
		t.Fatalf("opening the PostgreSQL store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("migrating the PostgreSQL store (%s): %v", conn, err)
	}
	Distribute(t, ctx, s)
	return s
}

// Distribute lays s, migrated, out on Citus when EnvDistributed asks for
// it (a test that opens its own store calls it after Migrate).
func Distribute(t testing.TB, ctx context.Context, s *postgres.Store) {
	t.Helper()
	v := os.Getenv(EnvDistributed)
	if v == "" {
		return
	}
	shards, err := strconv.Atoi(v)
	if err != nil || shards < 0 {
		t.Fatalf("%s=%q: give a number of shards (0: Citus's default)", EnvDistributed, v)
	}
	if err := s.Distribute(ctx, shards); err != nil {
		t.Fatalf("laying the PostgreSQL store out on Citus (%s): %v", EnvDistributed, err)
	}
}
