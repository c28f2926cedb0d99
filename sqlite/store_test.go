package sqlite_test

import (
	"testing"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

var _ importer.Store = (*sqlite.Store)(nil)

// TestContract runs the store contract on a SQLite file per subtest.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) importer.Store { return storetest.OpenSQLite(t) })
}

// TestContractSetwise runs the store contract with every batch written by
// the set-based statements first (falling back to change by change when
// they find a change at fault), so that both paths keep one meaning.
func TestContractSetwise(t *testing.T) {
	storetest.Run(t, func(t *testing.T) importer.Store {
		s := storetest.OpenSQLite(t)
		sqlite.SetSetwiseFrom(s.(*sqlite.Store), 1)
		return s
	})
}

// TestContractRowByRow runs the store contract with every batch written
// change by change.
func TestContractRowByRow(t *testing.T) {
	storetest.Run(t, func(t *testing.T) importer.Store {
		s := storetest.OpenSQLite(t)
		sqlite.SetSetwiseFrom(s.(*sqlite.Store), 1<<30)
		return s
	})
}
