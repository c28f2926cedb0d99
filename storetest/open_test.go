package storetest

import (
	"fmt"
	"strings"
	"testing"
)

// fakeTB records Skipf and Fatalf instead of stopping the test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Skipf(format string, args ...any)  { f.skipped = fmt.Sprintf(format, args...) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }

func TestPostgresURL(t *testing.T) {
	tests := []struct {
		name, url, require string
		want               string
		skip, fail         bool
	}{
		{name: "set", url: "postgres://db/x", want: "postgres://db/x"},
		{name: "set and required", url: "postgres://db/x", require: "1", want: "postgres://db/x"},
		{name: "unset skips", skip: true},
		{name: "unset but required fails", require: "1", fail: true},
		{name: "required only by 1", require: "yes", skip: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDatabaseURL, tt.url)
			t.Setenv(EnvRequirePG, tt.require)
			f := &fakeTB{TB: t}
			if got := PostgresURL(f); got != tt.want {
				t.Errorf("PostgresURL = %q, want %q", got, tt.want)
			}
			if (f.skipped != "") != tt.skip || (f.failed != "") != tt.fail {
				t.Errorf("skipped %q, failed %q; want skip %v, fail %v", f.skipped, f.failed, tt.skip, tt.fail)
			}
			if tt.fail && !strings.Contains(f.failed, EnvDatabaseURL) {
				t.Errorf("failure %q does not name %s", f.failed, EnvDatabaseURL)
			}
		})
	}
}

func TestWithSearchPath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://postgres@127.0.0.1:54329/postgres?sslmode=disable",
			"postgres://postgres@127.0.0.1:54329/postgres?search_path=s1&sslmode=disable"},
		{"postgresql://u@h/db", "postgresql://u@h/db?search_path=s1"},
		{"host=/tmp dbname=x", "host=/tmp dbname=x search_path=s1"},
		{"", "search_path=s1"},
	}
	for _, tt := range tests {
		if got := WithSearchPath(tt.in, "s1"); got != tt.want {
			t.Errorf("WithSearchPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFixtures: the fixtures obey the rules the stores rely on, and
// StateOf is what a store returns (checked against both stores by Run).
func TestFixtures(t *testing.T) {
	acme := StateOf(AcmeSeed())
	for id, u := range acme.Users {
		site := acme.Site(u.Site)
		if err := site.CheckExtension(u.Extension); err != nil {
			t.Errorf("user %s: %v", id, err)
		}
		if u.Version != 1 || u.Company != Acme {
			t.Errorf("user %s: version %d company %q, want 1 and %s", id, u.Version, u.Company, Acme)
		}
	}
	for _, n := range []int{0, 1, 2, 3, 4, 5} {
		if _, ok := acme.Numbers[Pool(n)]; !ok {
			t.Errorf("pool number %s missing from acme", Pool(n))
		}
	}
	globex := StateOf(GlobexSeed())
	if u := globex.Users[WCoyote]; u == nil || u.Company != Globex || u.Extension != acme.Users[JDoe].Extension {
		t.Errorf("globex's user should share jdoe's extension in another company: %+v", u)
	}
	if d := DiffState(acme, StateOf(AcmeSeed())); d != "" {
		t.Errorf("StateOf is not deterministic:\n%s", d)
	}
	changed := StateOf(AcmeSeed())
	changed.Users[JDoe].FirstName = "X"
	if d := DiffState(changed, acme); !strings.Contains(d, string(JDoe)) {
		t.Errorf("DiffState missed a changed user: %q", d)
	}
}
