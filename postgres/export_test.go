package postgres

import (
	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/sqlstore"
)

// SetHook makes Apply call h where a batch is (sqlstore.Hook); pid is the
// server process writing the batch (for pg_terminate_backend).
func SetHook(s *Store, h sqlstore.Hook) { s.Tune.Hook = h }

// SetSetwiseFrom makes Apply write batches of n changes or more with the
// set-based statements (1: every batch; a huge n: none).
func SetSetwiseFrom(s *Store, n int) { s.Tune.SetwiseFrom = n }

// On is sqlstore's Q over a pgx transaction, as the store runs its SQL.
func On(tx pgx.Tx) sqlstore.Q { return q{tx} }
