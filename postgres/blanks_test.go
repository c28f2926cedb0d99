package postgres_test

import (
	"context"
	"github.com/pbxsync/pbxsync/columns"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/pbxsync/pbxsync/storetest"
)

// TestInsertBlanksAreDefaults: the blanks a set-based create writes for the
// columns a plan leaves out are the columns' own defaults, so a create
// written in one COPY with its blanks is the row a plain INSERT would make.
func TestInsertBlanksAreDefaults(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	storetest.OpenPostgresAt(t, url) // migrated
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	n := 0
	for tb, as := range columns.InsertBlanks {
		for _, a := range as {
			table, col, blank := tb.Name, a.Col, a.Val
			var def *string
			var nullable string
			err := conn.QueryRow(ctx, `SELECT column_default, is_nullable FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`, table, col).Scan(&def, &nullable)
			if err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			switch blank {
			case nil:
				if def != nil || nullable != "YES" {
					t.Errorf("%s.%s: blank NULL, but the column is nullable=%s with default %v", table, col, nullable, deref(def))
				}
			case "":
				if def == nil || *def != "''::text" {
					t.Errorf("%s.%s: blank '', but the column's default is %v", table, col, deref(def))
				}
			default:
				t.Errorf("%s.%s: unexpected blank %v", table, col, blank)
			}
			n++
		}
	}
	if n < 10 {
		t.Errorf("only %d blanks checked", n)
	}
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}
