package postgres_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/storetest"
)

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestBigArgumentsAreLetGo: the arguments of a statement are garbage once
// it has run, however few parameters the connection's next statements have
// (pgx's own builder keeps them to the next statement with as many: see
// bigargs.go), through Query and Exec alike.
func TestBigArgumentsAreLetGo(t *testing.T) {
	ctx := context.Background()
	c, err := pgx.Connect(ctx, storetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	const size = 32 << 20
	for _, how := range []string{"query", "exec"} {
		t.Run(how, func(t *testing.T) {
			tx, err := c.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback(ctx)
			before := liveHeap()
			big := strings.Repeat("x", size)
			const sql = `SELECT length($3) + $1 + $2`
			if how == "query" {
				rows, err := postgres.On(tx).Query(ctx, sql, 1, 2, big)
				if err != nil {
					t.Fatal(err)
				}
				var n int
				for rows.Next() {
					if err := rows.Scan(&n); err != nil {
						t.Fatal(err)
					}
				}
				if rows.Close(); rows.Err() != nil || n != size+3 {
					t.Fatalf("got %d, %v", n, rows.Err())
				}
			} else if n, err := postgres.On(tx).Exec(ctx, sql, 1, 2, big); err != nil || n != 1 {
				t.Fatalf("exec: %d rows, %v", n, err)
			}
			big = ""
			if _, err := tx.Exec(ctx, `SELECT $1::int`, 1); err != nil { // a next statement of fewer parameters
				t.Fatal(err)
			}
			if after := liveHeap(); after > before+size/4 {
				t.Fatalf("the live heap grew by %d MiB after a statement of a %d MiB argument", (after-before)>>20, size>>20)
			}
		})
	}
}
