package sqlite_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

var (
	_ importer.Store     = (*sqlite.Store)(nil)
	_ storetest.AuditLog = (*sqlite.Store)(nil)
)

// TestContract runs the store contract on a SQLite file per subtest.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) importer.Store { return storetest.OpenSQLite(t) })
}
