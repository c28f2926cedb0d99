package main

import (
	"io"
	"sync"

	"github.com/pbxsync/pbxsync/dsn"
)

// The passwords of the stores named in this process: whatever pbxsync
// writes to stderr or into a summary file is redacted of them (and of any
// password dsn.Redact finds), so that no message, warning, progress line
// or driver error shows one. stdout, the product, never names a store.
var secrets struct {
	sync.Mutex
	list []string
}

func addSecret(s string) {
	if s == "" {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	for _, x := range secrets.list {
		if x == s {
			return
		}
	}
	secrets.list = append(secrets.list, s)
}

// redactText is s without any password.
func redactText(s string) string {
	secrets.Lock()
	list := secrets.list
	secrets.Unlock()
	for _, x := range list {
		s = dsn.RedactSecret(s, x)
	}
	return dsn.Redact(s)
}

// redactWriter redacts what goes through it (stderr).
type redactWriter struct{ w io.Writer }

func (r redactWriter) Write(p []byte) (int, error) {
	s := string(p)
	if t := redactText(s); t != s {
		if _, err := io.WriteString(r.w, t); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return r.w.Write(p)
}
