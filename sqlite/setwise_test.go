package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/sqlite"
	"github.com/pbxsync/pbxsync/sqlstore"
	"github.com/pbxsync/pbxsync/storetest"
)

// setwiseStore is a seeded store file whose Apply counts what it writes:
// the set-based statements (hook change -3) and the changes written one by
// one (hook change >= 0).
type setwiseStore struct {
	*sqlite.Store
	path       string
	statements int
	one        int
}

func newSetwiseStore(t *testing.T, sd *pbx.Seed, batchRows, setwiseFrom int) *setwiseStore {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	s := &setwiseStore{Store: openSeeded(t, path), path: path}
	if err := s.Seed(context.Background(), sd); err != nil {
		t.Fatal(err)
	}
	s.BatchRows = batchRows
	sqlite.SetSetwiseFrom(s.Store, setwiseFrom)
	sqlite.SetHook(s.Store, func(_ context.Context, _, change int, _ uint32) {
		switch {
		case change == -3:
			s.statements++
		case change >= 0:
			s.one++
		}
	})
	return s
}

// dump returns every row of the live-state tables, all columns, in key
// order: what two stores must hold alike, down to the columns Load does
// not read (ext_scope).
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT * FROM users ORDER BY user_id`,
		`SELECT * FROM numbers ORDER BY e164`,
		`SELECT * FROM number_members ORDER BY number, user_id`,
		`SELECT * FROM devices ORDER BY mac`,
		`SELECT * FROM device_lines ORDER BY mac, port`,
		`SELECT * FROM e911_locations ORDER BY company, id`,
		`SELECT id, generation FROM companies ORDER BY id`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "%s\n", q)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					vals[i] = string(bs)
				}
			}
			fmt.Fprintf(&b, "%v\n", vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// firstDiff is the first line where two dumps differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  set-wise:       %s\n  change by change: %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(al), len(bl))
}

// outcomes is what the audit log says of each change of a run.
func outcomes(t *testing.T, s *sqlite.Store, run int64) []plan.RunChange {
	t.Helper()
	rec, err := s.Run(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Outcomes
}

// TestSetwiseSameAsChangeByChange: a plan written by the set-based
// statements leaves the file row for row, column for column (the extension
// scope too), with the same audit log and generation, as the same plan
// written change by change; and it takes far fewer statements than changes,
// none of them one change's.
func TestSetwiseSameAsChangeByChange(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		sc        storetest.Scenario
		batchRows int
		perChange int // at least this many changes per statement
	}{
		{"onboarding", storetest.Onboarding(600), 200, 40},
		// updates, moves, leavers, members, line deletes, in one batch: more
		// kinds of change, in shorter runs
		{"mixed sync", storetest.Mixed(60), 1000, 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sw := newSetwiseStore(t, tc.sc.Seed, tc.batchRows, 1)
			one := newSetwiseStore(t, tc.sc.Seed, tc.batchRows, 1<<30)
			before, err := sw.Load(ctx, storetest.Acme)
			if err != nil {
				t.Fatal(err)
			}
			p, err := tc.sc.Plan(before, tc.sc.Rows(before))
			if err != nil {
				t.Fatal(err)
			}
			batches := len(apply.Batches(p, tc.batchRows))
			res, err := sw.Apply(ctx, p, apply.Options{})
			if err != nil || len(res.Failed) > 0 || res.Applied != len(p.Changes) {
				t.Fatalf("set-wise apply: %+v, %v", res, err)
			}
			res1, err := one.Apply(ctx, p, apply.Options{})
			if err != nil || len(res1.Failed) > 0 {
				t.Fatalf("change-by-change apply: %+v, %v", res1, err)
			}
			if sw.one != 0 {
				t.Errorf("%d changes were written one by one; the set-based path should have written them all", sw.one)
			}
			// A handful of statements per kind of change and batch.
			if sw.statements == 0 || sw.statements*tc.perChange > len(p.Changes) {
				t.Errorf("%d set-based statements for %d changes in %d batches", sw.statements, len(p.Changes), batches)
			}
			if one.statements != 0 || one.one != len(p.Changes) {
				t.Errorf("change by change: %d set-based statements, %d changes one by one, want 0 and %d", one.statements, one.one, len(p.Changes))
			}
			if a, b := dump(t, sw.path), dump(t, one.path); a != b {
				t.Errorf("the set-based path leaves another file than change by change: %s", firstDiff(a, b))
			}
			want, err := storetest.Predict(before, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			after, err := sw.Load(ctx, storetest.Acme)
			if err != nil {
				t.Fatal(err)
			}
			if d := storetest.DiffState(after, want); d != "" {
				t.Errorf("the set-based path leaves another state than the plan says:\n%s", d)
			}
			if a, b := outcomes(t, sw.Store, res.RunID), outcomes(t, one.Store, res1.RunID); !reflect.DeepEqual(a, b) {
				t.Errorf("the audit logs differ")
			}
			t.Logf("%d changes in %d batches: %d set-based statements", len(p.Changes), batches, sw.statements)
		})
	}
}

// TestSetwiseFallsBackAndNamesTheChange: when a change of a batch written
// set-wise is at fault (a version that moved since the plan, a value that
// another object took, a device of another company), the batch is written
// again change by change, which names that change with its reason in
// domain words; the rest of the batch is written, and the file ends as
// the change-by-change path leaves it.
func TestSetwiseFallsBackAndNamesTheChange(t *testing.T) {
	ctx := context.Background()
	const n = 40
	sc := storetest.Onboarding(n)
	// The onboarding of joiner i: its user, number, device and line.
	joiner := func(i int) string { return fmt.Sprintf("joiner%06d@acme.example", i) }
	for _, tc := range []struct {
		name string
		// meddle writes to the store between the plan and its apply
		meddle func(p *plan.Plan) *plan.Plan
		// faulty finds the change that must fail
		faulty   func(ch *plan.Change) bool
		sentinel error
	}{
		{
			name: "number taken since the plan",
			meddle: func(*plan.Plan) *plan.Plan {
				return storetest.NewPlan(storetest.Acme, storetest.Change(plan.KindNumber, plan.Update, string(storetest.ScenarioPool(7)), 1,
					plan.AttrLabel, "reception"))
			},
			faulty: func(ch *plan.Change) bool {
				return ch.Kind == plan.KindNumber && ch.Key == string(storetest.ScenarioPool(7))
			},
			sentinel: pbx.ErrStale,
		},
		{
			name: "extension taken since the plan",
			meddle: func(*plan.Plan) *plan.Plan {
				return storetest.NewPlan(storetest.Acme, storetest.Change(plan.KindUser, plan.Update, string(storetest.JDoe), 1,
					plan.AttrExtension, "100011"))
			},
			faulty:   func(ch *plan.Change) bool { return ch.Kind == plan.KindUser && ch.Key == joiner(11) },
			sentinel: pbx.ErrConflict,
		},
		{
			name: "device created elsewhere since the plan",
			meddle: func(p *plan.Plan) *plan.Plan {
				// Globex (seeded too) takes the MAC of joiner 23's phone.
				return storetest.NewPlan(storetest.Globex, storetest.Change(plan.KindDevice, plan.Create, "805ec0000017", 0,
					plan.AttrCompany, storetest.Globex, plan.AttrModel, "yealink-t42g"))
			},
			faulty:   func(ch *plan.Change) bool { return ch.Kind == plan.KindDevice && ch.Key == "805ec0000017" },
			sentinel: pbx.ErrConflict,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stores [2]*setwiseStore
			var results [2]*plan.Result
			for k, from := range []int{1, 1 << 30} {
				s := newSetwiseStore(t, sc.Seed, 1000, from)
				if err := s.Seed(ctx, storetest.GlobexSeed()); err != nil {
					t.Fatal(err)
				}
				before, err := s.Load(ctx, storetest.Acme)
				if err != nil {
					t.Fatal(err)
				}
				p, err := sc.Plan(before, sc.Rows(before))
				if err != nil {
					t.Fatal(err)
				}
				if res, err := s.Apply(ctx, tc.meddle(p), apply.Options{}); err != nil || len(res.Failed) > 0 {
					t.Fatalf("meddling: %+v, %v", res, err)
				}
				s.statements, s.one = 0, 0
				res, err := s.Apply(ctx, p, apply.Options{})
				if err != nil {
					t.Fatal(err)
				}
				stores[k], results[k] = s, res
				var failed []plan.Outcome
				for _, f := range res.Failed {
					if f.Err != nil && !strings.HasPrefix(f.Reason, "not written, because") {
						failed = append(failed, f)
					}
				}
				if len(failed) != 1 || !tc.faulty(&p.Changes[failed[0].Change]) || !errors.Is(failed[0].Err, tc.sentinel) {
					t.Fatalf("failed: %+v; want the one faulty change, wrapping %v", res.Failed, tc.sentinel)
				}
				// Only the faulty row's four changes are not written.
				if len(res.Failed) != 4 || res.Applied != len(p.Changes)-4 {
					t.Errorf("%d applied, %d not written of %d changes; want all but the faulty row's 4", res.Applied, len(res.Failed), len(p.Changes))
				}
				t.Logf("%s", failed[0].Reason)
			}
			sw := stores[0]
			if sw.statements == 0 || sw.one == 0 {
				t.Errorf("%d set-based statements, %d changes one by one: want both (set-wise, then change by change to name the change)", sw.statements, sw.one)
			}
			if !reflect.DeepEqual(results[0].Failed, results[1].Failed) {
				t.Errorf("set-wise failed %+v, change by change %+v", results[0].Failed, results[1].Failed)
			}
			if a, b := dump(t, stores[0].path), dump(t, stores[1].path); a != b {
				t.Errorf("the set-based path leaves another file than change by change: %s", firstDiff(a, b))
			}
		})
	}
}

// TestInsertBlanksAreTheDefaults: the blank a set-based create writes for
// a column it leaves out is the column's default in the schema.
func TestInsertBlanksAreTheDefaults(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pbxsync.db")
	openSeeded(t, path)
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	for tb, as := range sqlstore.InsertBlanks {
		for _, a := range as {
			table, col, blank := tb.Name, a.Col, a.Val
			n++
			var dflt sql.NullString
			var notNull bool
			err := db.QueryRow(`SELECT dflt_value, "notnull" FROM pragma_table_info(?1) WHERE name = ?2`, table, col).Scan(&dflt, &notNull)
			if err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			want := any(nil) // no default: NULL, for a column that takes it
			if dflt.Valid {
				want = strings.Trim(dflt.String, "'")
			}
			if want == nil && notNull {
				t.Errorf("%s.%s is NOT NULL without a default; the blank %#v would be refused", table, col, blank)
			}
			if blank != want {
				t.Errorf("%s.%s: set-based creates write %#v, the schema's default is %#v", table, col, blank, want)
			}
		}
	}
	if n < 10 {
		t.Fatalf("only %d blanks checked", n)
	}
}
