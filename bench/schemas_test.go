package bench_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/pbxsync/pbxsync/bench"
	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/storetest"
)

// The schema floor at a small size: every variant's DDL holds on today's
// schema, each schema is written and rolled back (nothing stays), and the
// minimal schema holds the live state pbxsync's does.
func TestSchemaFloorSmall(t *testing.T) {
	ctx := context.Background()
	url := storetest.PostgresSchemaURL(t)
	if _, err := gen.WriteState(ctx, url, smallState, nil); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	counts := func(schema string) [6]int64 {
		t.Helper()
		var c [6]int64
		q := strings.NewReplacer("S.", schema).Replace(`SELECT (SELECT count(*) FROM S.users), (SELECT count(*) FROM S.numbers),
			(SELECT count(*) FROM S.numbers WHERE target_user IS NOT NULL), (SELECT count(*) FROM S.devices),
			(SELECT count(*) FROM S.device_lines), (SELECT count(*) FROM S.device_lines WHERE number IS NOT NULL)`)
		if err := conn.QueryRow(ctx, q).Scan(&c[0], &c[1], &c[2], &c[3], &c[4], &c[5]); err != nil {
			t.Fatal(err)
		}
		return c
	}
	before := counts("")
	var claims int64
	claimCount := `SELECT (SELECT count(*) FROM login_claims) + (SELECT count(*) FROM email_claims) + (SELECT count(*) FROM device_claims)`
	if err := conn.QueryRow(ctx, claimCount).Scan(&claims); err != nil {
		t.Fatal(err)
	}

	var log bytes.Buffer
	res, err := bench.SchemaFloor(ctx, bench.SchemaOptions{DB: url, Company: "c0001", Users: 50, Rounds: 2, Variants: []string{"all"}, Log: &log})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if !res.Checkpoints {
		t.Errorf("the writes were not preceded by a CHECKPOINT (the test server's user is a superuser): %s", log.String())
	}
	if want := 2 + len(bench.SchemaVariants); len(res.Runs) != want {
		t.Fatalf("%d schemas measured, want %d", len(res.Runs), want)
	}
	for _, r := range res.Runs {
		if len(r.Wall) != 2 {
			t.Errorf("%s: %d rounds, want 2", r.Name, len(r.Wall))
		}
		for _, step := range []string{"users", "devices", "lines", "numbers"} {
			if r.Steps[step] <= 0 {
				t.Errorf("%s: step %s not timed", r.Name, step)
			}
		}
		// Only the variant with claim tables writes claims: pbxsync's
		// schema keeps them by unique indexes (postgres 011).
		if got, want := r.Steps["claims"] > 0, r.Name == "claim-tables"; got != want {
			t.Errorf("%s: claims written %v, want %v", r.Name, got, want)
		}
	}
	if after := counts(""); after != before {
		t.Errorf("pbxsync's tables hold %v after the floor, %v before: the floor must roll back", after, before)
	}
	var after int64
	if err := conn.QueryRow(ctx, claimCount).Scan(&after); err != nil {
		t.Fatal(err)
	}
	if after != claims {
		t.Errorf("%d claims after the floor, %d before", after, claims)
	}
	var current string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&current); err != nil {
		t.Fatal(err)
	}
	if m := counts(current + "_floor_min."); m != before {
		t.Errorf("the minimal schema holds %v (users, numbers, assigned, devices, lines, lines with a number), pbxsync's %v", m, before)
	}
	var out bytes.Buffer
	if err := bench.WriteSchemaText(&out, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pbxsync", "minimal", "collate-c", "CPU / minimal"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table does not name %q:\n%s", want, out.String())
		}
	}
}
