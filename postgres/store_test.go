package postgres_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

var _ importer.Store = (*postgres.Store)(nil)

// TestContract runs the store contract against the server named by
// PBXSYNC_TEST_DATABASE_URL, in a fresh schema per subtest.
func TestContract(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) importer.Store { return storetest.OpenPostgres(t) })
}

// TestContractSetwise runs the store contract with every batch written by
// the set-based statements first (falling back to change by change when
// they find a change at fault), so that both paths keep one meaning.
func TestContractSetwise(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) importer.Store {
		s := storetest.OpenPostgres(t)
		postgres.SetSetwiseFrom(s.(*postgres.Store), 1)
		return s
	})
}

// TestContractRowByRow runs the store contract with every batch written
// change by change.
func TestContractRowByRow(t *testing.T) {
	storetest.PostgresURL(t)
	storetest.Run(t, func(t *testing.T) importer.Store {
		s := storetest.OpenPostgres(t)
		postgres.SetSetwiseFrom(s.(*postgres.Store), 1<<30)
		return s
	})
}
