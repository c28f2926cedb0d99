package storetest

import (
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
)

// ApplyOptions are how a subtest applies plans: Atomic is an option of each
// apply (apply.Options); the batch size and the lock wait are settings both
// stores carry as fields of the same names.
type ApplyOptions struct {
	Atomic    bool          // the whole plan in one transaction
	BatchRows int           // roster rows per batch; 0 = the store's default
	LockWait  time.Duration // wait for the company lock; 0 = the store's default
}

// configure sets how the harness's store applies plans.
func (h *harness) configure(t testing.TB, o ApplyOptions) {
	t.Helper()
	switch s := h.s.(type) {
	case *sqlite.Store:
		s.BatchRows, s.LockWait = o.BatchRows, o.LockWait
	case *postgres.Store:
		s.BatchRows, s.LockWait = o.BatchRows, o.LockWait
	default:
		t.Fatalf("storetest: unknown store %T", h.s)
	}
	h.opts = apply.Options{Atomic: o.Atomic}
}
