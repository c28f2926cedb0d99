package sqlite

import (
	"context"
	"path/filepath"
	"testing"
)

// TestWriterPragmas: the writer connection keeps the durability the store
// promises (WAL, synchronous=NORMAL, foreign keys on) with the tuning of
// writerPragmas.
func TestWriterPragmas(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := s.writer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, c := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "1"}, // NORMAL
		{"foreign_keys", "1"},
		{"cache_size", "-65536"},
		{"temp_store", "2"}, // MEMORY
		{"wal_autocheckpoint", "10000"},
	} {
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
}
