package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/bench"
)

// runCLI runs pbxsync in-process and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestGenHelpTeaches(t *testing.T) {
	code, out, _ := runCLI(t, "gen", "--help")
	if code != exitOK {
		t.Fatalf("gen --help exits %d", code)
	}
	for _, want := range []string{"gen state", "gen roster", "--companies 50 --users 500000 --numbers 1000000", "--new 0.9", "--mistakes 0.01"} {
		if !strings.Contains(out, want) {
			t.Errorf("gen --help does not show %q:\n%s", want, out)
		}
	}
	for _, sub := range []string{"state", "roster"} {
		if code, out, _ := runCLI(t, "gen", sub, "--help"); code != exitOK || !strings.Contains(out, "-seed") {
			t.Errorf("gen %s --help: exit %d, output:\n%s", sub, code, out)
		}
	}
	for _, args := range [][]string{{"gen"}, {"gen", "nothing"}} {
		if code, _, errs := runCLI(t, args...); code != exitFatal || !strings.Contains(errs, "want state or roster") {
			t.Errorf("%v exits %d, stderr %q; want %d and what to say", args, code, errs, exitFatal)
		}
	}
}

// gen state, gen roster, then validate and bench on what they made.
func TestGenThenBench(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "gen.db")
	code, _, errs := runCLI(t, "gen", "state", "--db", db, "--companies", "2", "--users", "400", "--numbers", "3000", "--site-pool", "1500", "--seed", "5")
	if code != exitOK {
		t.Fatalf("gen state exits %d: %s", code, errs)
	}
	if !strings.Contains(errs, "company c0001 has 200 users and 2048 free numbers") {
		t.Errorf("gen state does not say what the first company can take:\n%s", errs)
	}
	roster := filepath.Join(dir, "site.csv")
	code, _, errs = runCLI(t, "gen", "roster", "--db", db, "--company", "c0001", "--rows", "300", "--new", "0.5",
		"--changes", "0.1", "--moves", "0.02", "--mistakes", "0.02", "--leavers", "0.01", "--out", roster)
	if code != exitOK {
		t.Fatalf("gen roster exits %d: %s", code, errs)
	}
	if !strings.Contains(errs, "wrote 300 rows") || !strings.Contains(errs, "150 new, 30 changed, 6 moves (12 rows)") {
		t.Errorf("gen roster does not say what it wrote:\n%s", errs)
	}
	// The roster is one the other commands read: its 6 mistakes are the first
	// six kinds, each reported by its (stable) problem code.
	code, out, _ := runCLI(t, "validate", "--db", db, "--company", "c0001", roster)
	if code != exitPartial {
		t.Errorf("validate of the generated roster exits %d, want %d (rows invalid)", code, exitPartial)
	}
	for _, c := range []string{"mac.multicast", "number.invalid", "device.model_unknown", "email.invalid", "number.scientific", "extension.leading_zeros"} {
		if !strings.Contains(out, c) {
			t.Errorf("validate does not report %s:\n%s", c, out)
		}
	}
	code, out, _ = runCLI(t, "gen", "roster", "--db", db, "--company", "c0002", "--rows", "5", "--new", "0", "--changes", "0", "--moves", "0", "--mistakes", "0", "--leavers", "0", "--out", "-")
	if code != exitOK || strings.Count(out, "\n") != 6 || !strings.HasPrefix(out, "First Name,Last Name,Email,User ID,Phone Number") {
		t.Errorf("gen roster --out - exits %d and prints:\n%s", code, out)
	}

	code, out, errs = runCLI(t, "bench", "--db", db, "--company", "c0001", "--rows", "500", "--json")
	if code != exitOK {
		t.Fatalf("bench exits %d: %s", code, errs)
	}
	var res bench.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("bench --json prints no result: %v\n%s", err, out)
	}
	if res.Expect.Rows != 500 || res.ReportLines != 500 || res.ResyncChanges != 0 || res.Applied == 0 {
		t.Errorf("bench result %+v", res)
	}
	code, out, _ = runCLI(t, "bench", "--db", db, "--company", "c0002", "--rows", "100", "--new", "0.5")
	if code != exitOK || !strings.Contains(out, "end to end") || !strings.Contains(out, "re-sync of the same roster (unchanged since run ") ||
		!strings.Contains(out, "): 0 changes") || !strings.Contains(out, "re-sync, full (--full): 0 changes") {
		t.Errorf("bench exits %d and prints:\n%s", code, out)
	}
}
