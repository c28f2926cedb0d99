// Package dsn reads the string that names a pbxsync store (a --db flag,
// PBXSYNC_DB, DATABASE_URL) and redacts the passwords it may hold. One
// function, Parse, decides which store a string names, so that no command
// guesses: a string that is none of the forms is refused with the forms
// listed, never taken as a file name to create.
package dsn

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Kind is the store a string names.
type Kind int

const (
	SQLite   Kind = iota // the embedded store: a file
	Postgres             // a PostgreSQL database
)

// Target is a parsed store string.
type Target struct {
	Kind Kind
	// Conn is what the store's Open takes: the file's path for SQLite; the
	// URL or key/value connection string for PostgreSQL ("" means the PG*
	// environment alone).
	Conn string
	// Secret is the password the string holds, "" when none: never print
	// it; Redact and Target.String leave it out.
	Secret string
}

// String names the store for messages, with no password.
func (t Target) String() string {
	if t.Kind == SQLite {
		return t.Conn
	}
	if t.Conn == "" {
		return "PostgreSQL (from the PG* environment)"
	}
	return Redact(t.Conn)
}

// ErrForm is wrapped by Parse's error for a string that is none of the forms.
var ErrForm = errors.New("not a store")

// Forms lists the forms Parse takes, for messages.
const Forms = `postgres://USER@HOST/DB or postgresql://... (a PostgreSQL URL), "host=HOST dbname=DB user=USER" (a PostgreSQL key/value string), sqlite:PATH, file:PATH, or a file name ending in .db, .sqlite or .sqlite3 (the embedded store)`

// Parse reads a store string. The forms: postgres://... or
// postgresql://...; a libpq key/value string (host=... dbname=...);
// sqlite:PATH or file:PATH; a path ending in .db, .sqlite or .sqlite3.
// Anything else is refused, wrapping ErrForm, with the forms listed (and no
// password in the message).
func Parse(s string) (Target, error) {
	v := strings.TrimSpace(s)
	lower := strings.ToLower(v)
	switch {
	case v == "":
		return Target{}, fmt.Errorf("%w: the store string is empty; use %s", ErrForm, Forms)
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		u, err := url.Parse(v)
		if err != nil {
			return Target{}, fmt.Errorf("%w: %s is not a valid PostgreSQL URL (%v); use %s", ErrForm, Redact(v), Redact(err.Error()), Forms)
		}
		scheme, rest, _ := strings.Cut(v, "://")
		t := Target{Kind: Postgres, Conn: strings.ToLower(scheme) + "://" + rest}
		if p, ok := u.User.Password(); ok && p != "" {
			t.Secret = p
		} else if p := u.Query().Get("password"); p != "" {
			t.Secret = p
		}
		return t, nil
	case strings.HasPrefix(lower, "sqlite:"):
		return file(v, strings.TrimPrefix(v[len("sqlite:"):], "//"))
	case strings.HasPrefix(lower, "file:"):
		return file(v, strings.TrimPrefix(v[len("file:"):], "//"))
	}
	if kv, ok := keyValues(v); ok {
		return Target{Kind: Postgres, Conn: v, Secret: kv["password"]}, nil
	}
	if hasStoreExt(v) && !strings.Contains(v, "=") {
		return file(v, v)
	}
	return Target{}, fmt.Errorf("%w: %q names no store; use %s", ErrForm, Redact(v), Forms)
}

// file is the SQLite target of path, read from the string s.
func file(s, path string) (Target, error) {
	switch {
	case path == "":
		return Target{}, fmt.Errorf("%w: %q names no file; use %s", ErrForm, Redact(s), Forms)
	case strings.ContainsRune(path, '?'):
		return Target{}, fmt.Errorf("%w: %q: the embedded store takes a file name without options ('?'); use %s", ErrForm, Redact(s), Forms)
	}
	return Target{Kind: SQLite, Conn: path}, nil
}

func hasStoreExt(path string) bool {
	l := strings.ToLower(path)
	return strings.HasSuffix(l, ".db") || strings.HasSuffix(l, ".sqlite") || strings.HasSuffix(l, ".sqlite3")
}

// libpqKeys are the connection keywords of libpq (and pgx); a key/value
// string must use only these.
var libpqKeys = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "connect_timeout": true, "sslmode": true, "sslcert": true, "sslkey": true,
	"sslrootcert": true, "sslpassword": true, "sslsni": true, "application_name": true,
	"target_session_attrs": true, "service": true, "servicefile": true, "options": true,
	"search_path": true, "krbsrvname": true, "channel_binding": true, "requiressl": true,
	"database": true, "min_read_buffer_size": true, "statement_cache_capacity": true,
	"default_query_exec_mode": true, "description_cache_capacity": true,
}

// keyValues reads a libpq key/value string (key=value pairs separated by
// spaces, a value quoted with ' when it holds spaces, \ escaping); ok is
// false when s is not one (a key libpq does not know, a word without '=').
func keyValues(s string) (map[string]string, bool) {
	kv := map[string]string{}
	for {
		s = strings.TrimLeft(s, " \t\n\r")
		if s == "" {
			break
		}
		eq := strings.IndexByte(s, '=')
		if eq <= 0 {
			return nil, false
		}
		key := strings.TrimSpace(s[:eq])
		if !libpqKeys[key] {
			return nil, false
		}
		s = strings.TrimLeft(s[eq+1:], " \t")
		var val strings.Builder
		if strings.HasPrefix(s, "'") {
			s = s[1:]
			closed := false
			for len(s) > 0 {
				c := s[0]
				s = s[1:]
				if c == '\\' && len(s) > 0 {
					val.WriteByte(s[0])
					s = s[1:]
					continue
				}
				if c == '\'' {
					closed = true
					break
				}
				val.WriteByte(c)
			}
			if !closed {
				return nil, false
			}
		} else {
			end := strings.IndexAny(s, " \t\n\r")
			if end < 0 {
				end = len(s)
			}
			for i := 0; i < end; i++ {
				if s[i] == '\\' && i+1 < end {
					i++
				}
				val.WriteByte(s[i])
			}
			s = s[end:]
		}
		kv[key] = val.String()
	}
	return kv, len(kv) > 0
}

var (
	// a URL's user:password@
	urlPassword = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://[^:/?#@\s]*):\S*@`)
	// password=... in a query string or a key/value string, quoted or not
	kvPassword = regexp.MustCompile(`(?i)((?:^|[\s?&;,(\x60"])(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&\x60"]*)`)
)

// Redact returns s with every password it holds replaced by ***: the
// password of a URL (postgres://u:PW@h/db, ?password=PW) and of a key/value
// string (password=PW, password='P W'). It works on any text, e.g. an error
// message that quotes a connection string.
func Redact(s string) string {
	s = urlPassword.ReplaceAllString(s, "$1:***@")
	return kvPassword.ReplaceAllString(s, "${1}***")
}

// RedactSecret is Redact that also replaces every occurrence of secret
// (a password known to be in play) by ***.
func RedactSecret(s, secret string) string {
	if secret != "" {
		s = strings.ReplaceAll(s, secret, "***")
	}
	return Redact(s)
}

// Error wraps err so that its message holds no password: neither secret
// nor any that Redact finds. errors.Is and As still see err.
func Error(err error, secret string) error {
	if err == nil {
		return nil
	}
	return &redacted{err: err, secret: secret}
}

type redacted struct {
	err    error
	secret string
}

func (r *redacted) Error() string { return RedactSecret(r.err.Error(), r.secret) }
func (r *redacted) Unwrap() error { return r.err }
