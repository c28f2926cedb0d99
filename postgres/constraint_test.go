package postgres

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pbxsync/pbxsync/sqlstore"
)

// TestConstraintOfCitus: the errors a Citus coordinator passes on from a
// worker name the constraint with the shard's number, and a failed COPY
// comes back as XX000 with the name only in its message; both are the
// schema's rule by its own name.
func TestConstraintOfCitus(t *testing.T) {
	for _, tc := range []struct {
		err  *pgconn.PgError
		want sqlstore.Constraint
	}{
		{&pgconn.PgError{Code: "23505", ConstraintName: "login_claims_pkey_102040", Message: "duplicate key"},
			sqlstore.Constraint{Kind: sqlstore.CUnique, Name: "login_claims_pkey"}},
		{&pgconn.PgError{Code: "XX000", Message: `duplicate key value violates unique constraint "device_claims_pkey_102136"`},
			sqlstore.Constraint{Kind: sqlstore.CUnique, Name: "device_claims_pkey"}},
		{&pgconn.PgError{Code: "XX000", Message: `insert or update on table "device_lines_102090" violates foreign key constraint "device_lines_mac_fkey_102090"`},
			sqlstore.Constraint{Kind: sqlstore.CForeignKey, Name: "device_lines_mac_fkey"}},
		{&pgconn.PgError{Code: "23505", Message: `duplicate key value violates unique constraint "users_extension_key_104197"`},
			sqlstore.Constraint{Kind: sqlstore.CUnique, Name: "users_extension_key"}},
		{&pgconn.PgError{Code: "23514", Message: `new row for relation "users_102030" violates check constraint "users_status_check_102030"`},
			sqlstore.Constraint{Kind: sqlstore.CCheck, Name: "users_status_check"}},
		{&pgconn.PgError{Code: "23505", ConstraintName: "users_extension_key", Message: "duplicate key"},
			sqlstore.Constraint{Kind: sqlstore.CUnique, Name: "users_extension_key"}},
		{&pgconn.PgError{Code: "XX000", Message: "connection to the remote node localhost:9702 failed"}, sqlstore.Constraint{}},
	} {
		got := constraintOf(fmt.Errorf("wrapped: %w", tc.err))
		if got.Kind != tc.want.Kind || got.Name != tc.want.Name {
			t.Errorf("%s %q: got %v %q, want %v %q", tc.err.Code, tc.err.Message, got.Kind, got.Name, tc.want.Kind, tc.want.Name)
		}
	}
}
