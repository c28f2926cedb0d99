package postgres_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

var (
	_ importer.Store     = (*postgres.Store)(nil)
	_ storetest.AuditLog = (*postgres.Store)(nil)
)

// TestContract runs the store contract against the server named by
// PBXSYNC_TEST_DATABASE_URL, in a fresh schema per subtest.
func TestContract(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) importer.Store { return storetest.OpenPostgres(t) })
}
