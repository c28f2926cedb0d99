package sqlite

import "github.com/pbxsync/pbxsync/sqlstore"

// SetHook makes Apply call h where a batch is (sqlstore.Hook); pid is
// always 0 (the postgres store's hook gives its server process).
func SetHook(s *Store, h sqlstore.Hook) { s.Tune.Hook = h }

// SetSetwiseFrom makes Apply write batches of n changes or more with the
// set-based statements (1: every batch; a huge n: none).
func SetSetwiseFrom(s *Store, n int) { s.Tune.SetwiseFrom = n }
