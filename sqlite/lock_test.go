package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestApplyLocked: while another process writes to the file, Apply waits
// for the busy timeout, then fails with pbx.ErrLocked and writes nothing;
// once the other writer is done, the same plan applies.
func TestApplyLocked(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Seed(ctx, storetest.AcmeSeed()); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}

	s.BusyTimeout = 100 * time.Millisecond
	p := storetest.NewPlan(storetest.Acme, storetest.Change(plan.KindUser, plan.Update, string(storetest.JDoe), 1, plan.AttrFirstName, "J"))
	start := time.Now()
	res, err := s.Apply(ctx, p)
	if !errors.Is(err, pbx.ErrLocked) {
		t.Fatalf("Apply while another writer holds the file: %+v, %v; want an error wrapping pbx.ErrLocked", res, err)
	}
	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Errorf("Apply gave up after %s, before the busy timeout", waited)
	}

	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	res, err = s.Apply(ctx, p)
	if err != nil || res.Rollback {
		t.Fatalf("Apply once the other writer is done: %+v, %v", res, err)
	}
	st, err := s.Load(ctx, storetest.Acme)
	if err != nil {
		t.Fatal(err)
	}
	if u := st.Users[storetest.JDoe]; u.FirstName != "J" || u.Version != 2 {
		t.Errorf("after the retry: %+v, want first name J at version 2", u)
	}
}

// TestOpenRejects: a path the DSN cannot carry is refused with a hint.
func TestOpenRejects(t *testing.T) {
	for _, path := range []string{"", "a?b.db"} {
		if s, err := sqlite.Open(context.Background(), path); err == nil {
			s.Close()
			t.Errorf("Open(%q) succeeded, want an error", path)
		}
	}
}
