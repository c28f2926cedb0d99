package dsn

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in     string
		kind   Kind
		conn   string
		secret string
	}{
		{"postgres://u:s3cretPW@db.internal:5432/pbx?sslmode=disable", Postgres, "postgres://u:s3cretPW@db.internal:5432/pbx?sslmode=disable", "s3cretPW"},
		{"postgresql://u@db/pbx?password=s3cretPW", Postgres, "postgresql://u@db/pbx?password=s3cretPW", "s3cretPW"},
		{"POSTGRES://u@db/pbx", Postgres, "postgres://u@db/pbx", ""},
		{"host=127.0.0.1 port=5432 user=u password=s3cretPW dbname=db", Postgres, "host=127.0.0.1 port=5432 user=u password=s3cretPW dbname=db", "s3cretPW"},
		{"host=db dbname=pbx password='s3cret PW'", Postgres, "host=db dbname=pbx password='s3cret PW'", "s3cret PW"},
		{"dbname=pbx", Postgres, "dbname=pbx", ""},
		{"sqlite:x", SQLite, "x", ""},
		{"sqlite:/var/lib/pbxsync/acme.db", SQLite, "/var/lib/pbxsync/acme.db", ""},
		{"sqlite:///var/lib/pbxsync/acme.db", SQLite, "/var/lib/pbxsync/acme.db", ""},
		{"file:state/acme", SQLite, "state/acme", ""},
		{"pbxsync.db", SQLite, "pbxsync.db", ""},
		{"/tmp/dir with space/acme.SQLite", SQLite, "/tmp/dir with space/acme.SQLite", ""},
		{"x.sqlite3", SQLite, "x.sqlite3", ""},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got.Kind != tt.kind || got.Conn != tt.conn || got.Secret != tt.secret {
			t.Errorf("Parse(%q) = %+v, want kind %d conn %q secret %q", tt.in, got, tt.kind, tt.conn, tt.secret)
		}
		if tt.secret != "" && strings.Contains(got.String(), tt.secret) {
			t.Errorf("Parse(%q).String() = %q holds the password", tt.in, got.String())
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, in := range []string{
		"", "acme", "state/acme.txt", "host=db frobnicate=1 password=s3cretPW", "mysql://u:s3cretPW@h/db",
		"user=u password='s3cretPW", "sqlite:", "file:x.db?mode=ro&password=s3cretPW",
	} {
		got, err := Parse(in)
		if !errors.Is(err, ErrForm) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrForm", in, got, err)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "s3cretPW") {
			t.Errorf("Parse(%q): the error holds the password: %s", in, msg)
		}
		if !strings.Contains(msg, "postgres://") || !strings.Contains(msg, "sqlite:PATH") {
			t.Errorf("Parse(%q): the error does not list the forms: %s", in, msg)
		}
	}
}

func TestRedact(t *testing.T) {
	for _, in := range []string{
		"postgres://u:s3cretPW@h/db",
		"postgresql://u:s3cretPW@h:5432/db?sslmode=disable",
		"postgres://u:s3c@retPW@h/db",
		"postgres://u@h/db?sslmode=disable&password=s3cretPW",
		"host=h password=s3cretPW dbname=db",
		"host=h PASSWORD = s3cretPW dbname=db",
		"host=h password='s3cretPW and more' dbname=db",
		"host=h password='s3cret\\'PW' dbname=db",
		"cannot parse `host=h password=s3cretPW`: failed",
		"failed to connect to `user=u password=s3cretPW database=db`",
		"sslpassword=s3cretPW",
	} {
		got := Redact(in)
		if strings.Contains(got, "s3cret") || strings.Contains(got, "retPW") {
			t.Errorf("Redact(%q) = %q", in, got)
		}
		if !strings.Contains(got, "***") {
			t.Errorf("Redact(%q) = %q: no *** where the password was", in, got)
		}
	}
	for _, in := range []string{"pbxsync.db", "row 2: password reset for kim", "postgres://u@h/db"} {
		if got := Redact(in); got != in {
			t.Errorf("Redact(%q) = %q, want it unchanged", in, got)
		}
	}
}

func TestError(t *testing.T) {
	base := errors.New("dial tcp: the server said s3cretPW is wrong")
	err := Error(base, "s3cretPW")
	if strings.Contains(err.Error(), "s3cretPW") || !errors.Is(err, base) {
		t.Fatalf("Error: %q (is base: %v)", err, errors.Is(err, base))
	}
	if Error(nil, "x") != nil {
		t.Fatal("Error(nil) is not nil")
	}
}
