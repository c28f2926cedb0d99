package importer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/sqlite"
)

// The property: for any live state and any roster, the plan applies without
// breaking a uniqueness rule of the schema mid-apply (the database checks
// each statement), and planning the same roster again right after finds
// nothing to do. Each trial applies a sequence of random rosters to one
// store, so later rosters meet the users, numbers and devices the earlier
// ones left: joiners, leavers, moves, swaps, extension changes, devices
// changing hands, outbound-only members added and removed, in onboard and
// sync modes, with and without --take.
func TestPropertyApplyThenReplanIsEmpty(t *testing.T) {
	trials, steps := 12, 6
	if testing.Short() {
		trials = 3
	}
	if n := os.Getenv("PBXSYNC_PROPERTY_TRIALS"); n != "" { // for a longer hunt
		fmt.Sscan(n, &trials)
	}
	var changes, conflicts, moves, members int
	for trial := range trials {
		t.Run(fmt.Sprint("seed", trial), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(trial), 42))
			ctx := context.Background()
			st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "pbxsync.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if err := st.Seed(ctx, propertySeed()); err != nil {
				t.Fatal(err)
			}
			for step := range steps {
				path := filepath.Join(t.TempDir(), fmt.Sprintf("roster%d.csv", step))
				roster := randomRoster(r)
				if err := os.WriteFile(path, []byte(roster), 0o644); err != nil {
					t.Fatal(err)
				}
				opts := importer.Options{Plan: randomOptions(r)}
				src := importer.Source{Path: path}

				p, _, err := importer.Plan(ctx, st, src, opts)
				var limit *plan.LimitError
				if errors.As(err, &limit) {
					continue // a refused plan writes nothing; the next roster goes on from here
				}
				if err != nil {
					t.Fatalf("step %d: plan: %v\nroster:\n%s", step, err, roster)
				}
				res, err := importer.Apply(ctx, st, p, apply.Options{})
				if err != nil {
					t.Fatalf("step %d: apply: %v\nroster:\n%s", step, err, roster)
				}
				if res.Rollback {
					t.Fatalf("step %d: apply rolled back: %+v\nplan:\n%s\nroster:\n%s", step, res.Failed, describe(p), roster)
				}

				again, _, err := importer.Plan(ctx, st, src, opts)
				if err != nil {
					t.Fatalf("step %d: re-plan: %v", step, err)
				}
				if !again.Empty() {
					t.Fatalf("step %d: re-plan after apply is not empty:\n%s\nfirst plan:\n%s\nroster:\n%s", step, describe(again), describe(p), roster)
				}
				// The live state exported as a roster and synced back changes
				// nothing: the export carries every value a roster can set.
				live, err := st.Load(ctx, p.Company)
				if err != nil {
					t.Fatal(err)
				}
				exported := filepath.Join(t.TempDir(), fmt.Sprintf("export%d.csv", step))
				var buf bytes.Buffer
				if err := report.WriteRoster(&buf, live); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(exported, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				sync := importer.Options{Plan: plan.Options{Mode: plan.Sync, Manage: plan.Scope{All: true}, Force: true}}
				back, _, err := importer.Plan(ctx, st, importer.Source{Path: exported}, sync)
				if err != nil {
					t.Fatalf("step %d: plan of the export: %v", step, err)
				}
				// Device ports are outside what this check holds the export
				// to: a roster row has one port, so a user on two exports only
				// the first (report.WriteRoster says so), and a port left with
				// no number after its number moved exports as a device without
				// a number, which validation refuses. Users, numbers and their
				// members must come back unchanged.
				var unexpected []plan.Change
				for _, c := range back.Changes {
					if c.Kind != plan.KindLine && c.Kind != plan.KindDevice {
						unexpected = append(unexpected, c)
					}
				}
				if len(unexpected) > 0 {
					t.Fatalf("step %d: the exported roster synced back is not a no-op:\n%s\nexport:\n%s", step, describe(back), buf.String())
				}
				changes += len(p.Changes)
				conflicts += p.Summary.Conflict
				for _, c := range p.Changes {
					if c.Action == plan.Move {
						moves++
					}
					if c.Kind == plan.KindMember {
						members++
					}
				}
				if again.Summary.Invalid != p.Summary.Invalid {
					t.Errorf("step %d: %d invalid rows the first time, %d the second", step, p.Summary.Invalid, again.Summary.Invalid)
				}
			}
		})
	}
	t.Logf("%d trials: %d changes applied (%d moves, %d of number members), %d rows in conflict", trials, changes, moves, members, conflicts)
	if changes == 0 || moves == 0 || conflicts == 0 || members == 0 {
		t.Errorf("the random rosters are too tame: %d changes, %d moves, %d of members, %d conflicts", changes, moves, members, conflicts)
	}
}

func describe(p *plan.Plan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "  %s %s %s (%s) rows %v\n", c.Action, c.Kind, c.Key, c.Reason, c.Rows)
		for _, f := range c.Fields.All() {
			fmt.Fprintf(&b, "      %s: %q -> %q\n", f.Field, f.Before, f.After)
		}
	}
	for _, r := range p.Rows {
		if len(r.Problems) > 0 {
			fmt.Fprintf(&b, "  row %d %s %s:", r.Line, r.Key, r.Status)
			for _, pr := range r.Problems {
				fmt.Fprintf(&b, " [%s %s]", pr.Code, pr.Message)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

const propertyNumbers = 16

func propertySeed() *pbx.Seed {
	seed, err := importer.DecodeSeed(strings.NewReader(fmt.Sprintf(`{
  "company": {"id": "acme", "name": "Acme", "plan": "C2", "sms": true},
  "sites": [{"code": "hq", "name": "HQ", "region": "US", "ext_len": 4, "reserved": ["911", "9000-9999"]}],
  "models": [
    {"name": "phone", "vendor": "Yealink", "kind": "deskphone", "ports": 1, "max_lines": 3, "ouis": ["805ec0"]},
    {"name": "ata", "vendor": "Grandstream", "kind": "ata", "ports": 2, "max_lines": 1, "ouis": ["000b82"]}
  ],
  "hunt_groups": [{"id": "sales", "name": "Sales", "extension": "3000"}],
  "numbers": [
    {"site": "hq", "number": "+14155550100", "target": "huntgroup:sales", "routing": "hg:sales"},
    {"site": "hq", "range": "+14155550101-+14155550%03d", "routing": "aa:main"}
  ]
}`, 100+propertyNumbers-1)), "property")
	if err != nil {
		panic(err)
	}
	return seed
}

var propertyMACs = []struct{ mac, model string }{
	{"80:5e:c0:00:00:01", "phone"},
	{"80:5e:c0:00:00:02", "phone"},
	{"80:5e:c0:00:00:03", "phone"},
	{"00:0b:82:00:00:01", "ata"},
	{"00:0b:82:00:00:02", "ata"},
}

// randomRoster writes a roster in the pbxsync template: a few users out of a
// small pool, so that rows collide on numbers, extensions and device ports
// and the live state from earlier steps is taken apart and rebuilt. Half
// the rosters have an outbound-only column (numbers the row does not
// assign, the cell sometimes empty).
func randomRoster(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("User ID,First Name,Last Name,Email,Extension,Phone Number,Phone Model,MAC Address,Port,E911 Street,E911 City,E911 State,E911 Postal Code,E911 Country")
	outbound := r.IntN(2) == 0
	if outbound {
		b.WriteString(",Outbound Only")
	}
	b.WriteString("\n")
	n := 1 + r.IntN(8)
	for _, u := range r.Perm(10)[:n] {
		ext := ""
		if r.IntN(3) > 0 {
			ext = fmt.Sprintf("2%03d", r.IntN(6))
		}
		var nums []string
		for range r.IntN(3) {
			nums = append(nums, fmt.Sprintf("+1415555%04d", 100+r.IntN(propertyNumbers)))
		}
		mac, model, port := "", "", ""
		if len(nums) > 0 && r.IntN(2) == 0 {
			d := propertyMACs[r.IntN(len(propertyMACs))]
			mac, model, port = d.mac, d.model, "1"
			if d.model == "ata" {
				port = fmt.Sprint(1 + r.IntN(2))
			}
		}
		fmt.Fprintf(&b, "u%d@acme.example,First%d,Last%d,u%d@acme.example,%s,%s,%s,%s,%s,100 Main St,San Francisco,CA,94105,US",
			u, u, u, u, ext, strings.Join(nums, ";"), model, mac, port)
		if outbound {
			var out []string
			for range r.IntN(3) {
				n := fmt.Sprintf("+1415555%04d", 100+r.IntN(propertyNumbers))
				if !slices.Contains(nums, n) && !slices.Contains(out, n) {
					out = append(out, n)
				}
			}
			b.WriteString("," + strings.Join(out, ";"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func randomOptions(r *rand.Rand) plan.Options {
	o := plan.Options{Mode: plan.Onboard, Take: r.IntN(2) == 0, MaxRemove: 100, MaxRemovePct: 100}
	if r.IntN(2) == 0 {
		o.Mode = plan.Sync
		o.Manage = plan.Scope{All: true}
	}
	return o
}
