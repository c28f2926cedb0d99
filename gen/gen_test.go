package gen_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/pbxsync/pbxsync/gen"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/storetest"
)

// smallSpec: 3 companies of 100 users; c0001 has 1,000 extra pool numbers.
var smallSpec = gen.Spec{Seed: 7, Companies: 3, Users: 300, Numbers: 3000, SitePool: 1000}

var smallRoster = gen.RosterSpec{Company: "c0001", Rows: 500, New: 0.8, Changes: 0.05, Moves: 0.02, Mistakes: 0.04, Leavers: 0.02, Seed: 3}

// stores runs f on a fresh embedded store and a fresh PostgreSQL schema.
func stores(t *testing.T, f func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "gen.db")) })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.PostgresSchemaURL(t)) })
}

func TestSpecLayout(t *testing.T) {
	s := gen.Spec{Companies: 3, Users: 10, Numbers: 100, SitePool: 40}
	var users, numbers int
	next := 0
	for i := range s.Companies {
		c := s.Company(i)
		if c.FirstNumber != next {
			t.Errorf("company %s starts at number %d, want %d (contiguous)", c.ID, c.FirstNumber, next)
		}
		next += c.Numbers
		users += c.Users
		numbers += c.Numbers
	}
	if users != 10 || numbers != 100 {
		t.Errorf("layout spreads %d users and %d numbers, want 10 and 100", users, numbers)
	}
	if c := s.Company(0); c.Numbers != 60 || c.Users != 4 || c.ID != "c0001" {
		t.Errorf("first company %+v: want 60 numbers (20 + the site pool of 40), 4 users, id c0001", c)
	}
	for _, bad := range []gen.Spec{
		{Companies: 0, Users: 1, Numbers: 10},
		{Companies: 2, Users: 100, Numbers: 50},
		{Companies: 1, Users: 1, Numbers: 10, SitePool: 11},
	} {
		if bad.Check() == nil {
			t.Errorf("Check(%+v) = nil, want an error", bad)
		}
	}
}

func TestRosterSpecCheck(t *testing.T) {
	for _, bad := range []gen.RosterSpec{
		{Rows: 0},
		{Rows: 10, New: 1.2},
		{Rows: 10, New: 0.9, Moves: 0.1},
		{Rows: 10, Leavers: -0.1},
	} {
		if bad.Check() == nil {
			t.Errorf("Check(%+v) = nil, want an error", bad)
		}
	}
}

func TestStateAndRoster(t *testing.T) {
	stores(t, func(t *testing.T, db string) {
		ctx := context.Background()
		stats, err := gen.WriteState(ctx, db, smallSpec, nil)
		if err != nil {
			t.Fatal(err)
		}
		if stats.Users != 300 || stats.Numbers != 3000 {
			t.Errorf("stats %+v", stats)
		}
		if _, err := gen.WriteState(ctx, db, smallSpec, nil); err == nil {
			t.Error("writing the same state twice must fail: the companies exist")
		}
		st, err := gen.OpenStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()

		cs, err := st.Companies(ctx)
		if err != nil || len(cs) != 3 {
			t.Fatalf("companies %v, %v; want 3", cs, err)
		}
		numbers := 0
		for i, c := range cs {
			live, err := st.Load(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := smallSpec.Company(i)
			if len(live.Users) != want.Users || len(live.Numbers) != want.Numbers || len(live.Devices) != want.Users || len(live.Lines) != want.Users {
				t.Errorf("%s: %d users, %d numbers, %d devices, %d lines; want %d, %d, %d, %d", c.ID,
					len(live.Users), len(live.Numbers), len(live.Devices), len(live.Lines), want.Users, want.Numbers, want.Users, want.Users)
			}
			numbers += len(live.Numbers)
			for _, n := range live.Numbers {
				if _, err := pbx.ParseE164(string(n.E164), "US"); err != nil {
					t.Fatalf("generated number %s does not parse: %v", n.E164, err)
				}
				if u := n.Target.User(); u != "" && live.Users[u] == nil {
					t.Fatalf("number %s is assigned to %s, who is not a user of %s", n.E164, u, c.ID)
				}
			}
		}
		if numbers != smallSpec.Numbers {
			t.Errorf("%d numbers in all, want %d", numbers, smallSpec.Numbers)
		}

		r, err := gen.RosterFromStore(ctx, st, smallRoster)
		if err != nil {
			t.Fatal(err)
		}
		want := gen.Expect{Rows: 500, New: 400, Changed: 25, Moves: 10, Unchanged: 35, Mistakes: 20, Leavers: 10, Absent: 20}
		if r.Expect != want {
			t.Errorf("expect %+v, want %+v", r.Expect, want)
		}
		path := filepath.Join(t.TempDir(), "roster.csv")
		if err := r.WriteFile(path); err != nil {
			t.Fatal(err)
		}
		p, c, err := importer.Plan(ctx, st, importer.Source{Path: path}, importer.Options{Company: "c0001", Plan: plan.Options{Mode: plan.Onboard}})
		if err != nil {
			t.Fatal(err)
		}
		if c.Profile != "pbxsync" || c.Total != 500 {
			t.Errorf("read %d rows with profile %s, want 500 with pbxsync", c.Total, c.Profile)
		}
		status := map[plan.Status]int{}
		for _, row := range p.Rows {
			status[row.Status]++
		}
		if status[plan.StatusCreated] != want.New || status[plan.StatusInvalid] != want.Mistakes ||
			status[plan.StatusUnchanged] != want.Unchanged || status[plan.StatusConflict] != 0 {
			t.Errorf("row statuses %v: want %d created, %d invalid, %d unchanged, no conflicts", status, want.New, want.Mistakes, want.Unchanged)
		}
		if p.Summary.Move != want.Moves {
			t.Errorf("plan moves %d numbers, want %d", p.Summary.Move, want.Moves)
		}
		codes := map[string]bool{}
		for _, row := range p.Rows {
			if row.Status == plan.StatusInvalid && len(row.Problems) != 1 {
				t.Errorf("mistaken row %d has %d problems, want exactly one: %v", row.Line, len(row.Problems), row.Problems)
			}
			for _, pr := range row.Problems {
				codes[pr.Code] = true
			}
		}
		if len(codes) != 8 {
			t.Errorf("the mistakes raise %d distinct problem codes (%v), want 8", len(codes), codes)
		}

		// The same live state and spec give the same bytes; another seed does not.
		var a, b, other bytes.Buffer
		again, err := gen.RosterFromStore(ctx, st, smallRoster)
		if err != nil {
			t.Fatal(err)
		}
		r.WriteCSV(&a)
		again.WriteCSV(&b)
		reseeded := smallRoster
		reseeded.Seed++
		r3, err := gen.RosterFromStore(ctx, st, reseeded)
		if err != nil {
			t.Fatal(err)
		}
		r3.WriteCSV(&other)
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("two rosters of one state and spec differ")
		}
		if bytes.Equal(a.Bytes(), other.Bytes()) {
			t.Error("rosters of different seeds are the same")
		}
	})
}

func TestRosterNeedsPool(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "gen.db")
	if _, err := gen.WriteState(ctx, db, gen.Spec{Seed: 1, Companies: 1, Users: 10, Numbers: 20}, nil); err != nil {
		t.Fatal(err)
	}
	st, err := gen.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = gen.RosterFromStore(ctx, st, gen.RosterSpec{Rows: 100, New: 0.9})
	if err == nil {
		t.Fatal("a roster of 90 new users against a pool of 8 numbers must fail")
	}
	t.Log(err)
}

func TestXLSXRoster(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "gen.db")
	if _, err := gen.WriteState(ctx, db, gen.Spec{Seed: 2, Companies: 1, Users: 50, Numbers: 400}, nil); err != nil {
		t.Fatal(err)
	}
	st, err := gen.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	r, err := gen.RosterFromStore(ctx, st, gen.RosterSpec{Rows: 100, New: 0.6, Changes: 0.1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "roster.xlsx")
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	c, err := importer.Check(ctx, st, importer.Source{Path: path}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Total != 100 || len(c.Rows) != 100 || !c.Valid() {
		t.Errorf("XLSX roster: %d rows read, %d valid, problems %v", c.Total, len(c.Rows), c.Problems)
	}
}
