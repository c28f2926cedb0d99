package storetest

import (
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
)

// ApplyOptions are how a store applies a plan; both stores carry them as
// fields of the same names.
type ApplyOptions struct {
	Atomic    bool          // the whole plan in one transaction
	BatchRows int           // roster rows per batch; 0 = the store's default
	LockWait  time.Duration // wait for the company lock; 0 = the store's default
}

// Configure sets how s applies plans.
func Configure(t testing.TB, s importer.Store, o ApplyOptions) {
	t.Helper()
	switch s := s.(type) {
	case *sqlite.Store:
		s.Atomic, s.BatchRows, s.LockWait = o.Atomic, o.BatchRows, o.LockWait
	case *postgres.Store:
		s.Atomic, s.BatchRows, s.LockWait = o.Atomic, o.BatchRows, o.LockWait
	default:
		t.Fatalf("storetest.Configure: unknown store %T", s)
	}
}
