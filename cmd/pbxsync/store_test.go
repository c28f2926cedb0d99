package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

const secretPW = "s3cretPW"

// TestStoreSecretsNeverShown names stores whose strings hold a password,
// in every form (URL user info, URL query, key/value, quoted key/value), a
// store that works and one that cannot be reached, and strings that name no
// store, through --db, PBXSYNC_DB and DATABASE_URL, and runs the commands
// that name a store: no output, no summary file and no file name holds
// the password, and nothing but the stores' own files is created.
func TestStoreSecretsNeverShown(t *testing.T) {
	base, err := url.Parse(storetest.PostgresSchemaURL(t))
	if err != nil {
		t.Fatal(err)
	}
	schema := base.Query().Get("search_path")
	host, port := base.Hostname(), base.Port()
	user := base.User.Username()
	withUserPW := *base
	withUserPW.User = url.UserPassword(user, secretPW)
	withQueryPW := *base
	q := withQueryPW.Query()
	q.Set("password", secretPW)
	withQueryPW.RawQuery = q.Encode()
	working := []string{
		withUserPW.String(),
		withQueryPW.String(),
		"host=" + host + " port=" + port + " user=" + user + " password=" + secretPW + " dbname=" + strings.TrimPrefix(base.Path, "/") + " search_path=" + schema,
		"host=" + host + " port=" + port + " user=" + user + " password='" + secretPW + " x' dbname=" + strings.TrimPrefix(base.Path, "/") + " search_path=" + schema,
	}
	unreachable := []string{
		"postgres://kim:" + secretPW + "@127.0.0.1:1/pbx?connect_timeout=2",
		"host=127.0.0.1 port=1 user=kim password=" + secretPW + " dbname=pbx connect_timeout=2",
	}
	refused := []string{
		"host=127.0.0.1 password=" + secretPW + " frobnicate=1",
		"mysql://kim:" + secretPW + "@127.0.0.1/pbx",
		"user=kim password='" + secretPW,
	}
	roster := filepath.Join(demo, "onboarding.csv")
	seed, err := filepath.Abs(filepath.Join(demo, "company.json"))
	if err != nil {
		t.Fatal(err)
	}
	roster, err = filepath.Abs(roster)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	for _, env := range []string{"PBXSYNC_DB", "DATABASE_URL", "PGHOST", "PGDATABASE", "PGPASSWORD"} {
		t.Setenv(env, "")
	}
	commands := [][]string{
		{"init", "--seed", seed},
		{"validate", "--summary-json", "sum.json", roster},
		{"plan", roster},
		{"apply", "--yes", "--summary-json", "sum.json", roster},
		{"runs"},
		{"export", "--what", "numbers"},
		{"revert", "1"},
		{"gen", "state", "--companies", "1", "--users", "5", "--numbers", "20", "--site-pool", "5"},
		{"gen", "roster", "--rows", "2", "--out", "g.csv"},
	}
	check := func(t *testing.T, what, text string) {
		t.Helper()
		if strings.Contains(text, secretPW) {
			t.Errorf("%s shows the password:\n%s", what, text)
		}
	}
	runAll := func(t *testing.T, how, store string, wantOK bool) {
		for _, args := range commands {
			argv := append([]string(nil), args...)
			switch how {
			case "--db":
				argv = append(argv[:len(args)-len(args)+1:1], append([]string{"--db", store}, args[1:]...)...)
				if args[0] == "gen" {
					argv = append([]string{"gen", args[1], "--db", store}, args[2:]...)
				}
			default:
				t.Setenv(how, store)
			}
			os.Remove("sum.json")
			var out, errb bytes.Buffer
			code := run(context.Background(), argv, strings.NewReader(""), &out, &errb)
			name := how + " " + strings.Join(args[:1], " ")
			check(t, name+" stdout", out.String())
			check(t, name+" stderr", errb.String())
			if b, err := os.ReadFile("sum.json"); err == nil {
				check(t, name+" --summary-json", string(b))
			}
			if !wantOK && code == exitOK {
				t.Errorf("%s on %s: exit 0\n%s", name, how, errb.String())
			}
			if wantOK && args[0] == "init" && code != exitOK {
				t.Errorf("%s: exit %d\n%s", name, code, errb.String())
			}
		}
	}
	for _, how := range []string{"--db", "PBXSYNC_DB", "DATABASE_URL"} {
		t.Run(how, func(t *testing.T) {
			for _, s := range working {
				runAll(t, how, s, true)
			}
			for _, s := range append(unreachable, refused...) {
				runAll(t, how, s, false)
			}
			if how != "--db" {
				t.Setenv(how, "")
			}
		})
	}
	t.Run("PG environment", func(t *testing.T) {
		t.Setenv("PGHOST", "127.0.0.1")
		t.Setenv("PGPORT", "1")
		t.Setenv("PGCONNECT_TIMEOUT", "2")
		t.Setenv("PGPASSWORD", secretPW)
		for _, args := range commands[:5] {
			code, out, errs := runCLI(t, args...)
			check(t, args[0]+" stdout", out)
			check(t, args[0]+" stderr", errs)
			if code == exitOK {
				t.Errorf("%s against no server: exit 0", args[0])
			}
		}
	})
	err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(path, secretPW) || strings.Contains(path, "=") || strings.Contains(path, "://") {
			t.Errorf("a file was created with the store string as its name: %s", path)
		}
		if !d.IsDir() && strings.HasSuffix(path, ".db") {
			t.Errorf("an embedded store was created: %s", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestOnlyInitCreatesAStore runs every command but init on a store file
// that does not exist: each fails naming the file and leaves no file behind.
func TestOnlyInitCreatesAStore(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "missing.db")
	roster := filepath.Join(demo, "onboarding.csv")
	commands := [][]string{{"runs"}, {"export"}, {"plan", roster}, {"validate", roster},
		{"apply", "--yes", roster}, {"revert", "--yes", "1"}, {"erase", "--yes"}}
	for _, args := range commands {
		code, _, errs := runCLI(t, append([]string{args[0], "--db", db}, args[1:]...)...)
		if code != exitFatal || !strings.Contains(errs, db) || !strings.Contains(errs, "does not exist") {
			t.Errorf("%s on a missing store: exit %d\n%s", args[0], code, errs)
		}
		if _, err := os.Stat(db); err == nil {
			t.Fatalf("%s created %s", args[0], db)
		}
	}
	// sqlite:PATH names the file; a string that names no store is refused,
	// and no file of that name is made.
	for _, s := range []string{"sqlite:" + db, "file:" + db} {
		code, _, errs := runCLI(t, "runs", "--db", s)
		if code != exitFatal || !strings.Contains(errs, db+" does not exist") {
			t.Errorf("runs --db %s: exit %d\n%s", s, code, errs)
		}
	}
	// A PostgreSQL database without the schema is not given one.
	empty := storetest.PostgresSchemaURL(t)
	for _, args := range commands {
		code, _, errs := runCLI(t, append([]string{args[0], "--db", empty}, args[1:]...)...)
		if code != exitFatal || !strings.Contains(errs, "holds no pbxsync schema") {
			t.Errorf("%s on an empty PostgreSQL schema: exit %d\n%s", args[0], code, errs)
		}
	}
	pg, err := postgres.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if _, isEmpty, err := pg.Pending(context.Background()); err != nil || !isEmpty {
		t.Errorf("commands other than init created the schema (empty %v, %v)", isEmpty, err)
	}

	t.Chdir(dir)
	code, _, errs := runCLI(t, "init", "--db", "acme")
	if code != exitFatal || !strings.Contains(errs, "sqlite:PATH") {
		t.Errorf("init --db acme: exit %d\n%s", code, errs)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("init --db acme made %v", entries)
	}
}

// TestInitDistributedWithoutCitus: --distributed on a PostgreSQL without
// Citus is refused before the schema is made there.
func TestInitDistributedWithoutCitus(t *testing.T) {
	if os.Getenv("PBXSYNC_TEST_DISTRIBUTED") != "" {
		t.Skip("the server has Citus (scripts/test-citus)")
	}
	empty := storetest.PostgresSchemaURL(t)
	code, _, errs := runCLI(t, "init", "--db", empty, "--distributed")
	if code != exitFatal || !strings.Contains(errs, "no Citus") {
		t.Fatalf("init --distributed without Citus: exit %d\n%s", code, errs)
	}
	pg, err := postgres.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if _, isEmpty, err := pg.Pending(context.Background()); err != nil || !isEmpty {
		t.Errorf("init --distributed without Citus migrated the database (empty %v, %v)", isEmpty, err)
	}
}
