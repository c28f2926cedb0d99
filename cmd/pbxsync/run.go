package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// Exit codes, documented in `pbxsync help` and README.md.
const (
	exitOK          = 0   // done, or nothing to do
	exitFatal       = 1   // could not run, or refused (lock, stale plan, safety limit)
	exitChanges     = 2   // --detailed-exitcode: the plan has (or apply made) changes
	exitPartial     = 3   // validate, or --detailed-exitcode: rows invalid or in conflict
	exitCutOff      = 4   // the store failed or the connection was lost during the writes: safe to re-run
	exitAnnotate    = 5   // applied and reported, but the annotated copy could not be written
	exitInterrupted = 130 // stopped by Ctrl-C or SIGTERM
)

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	stdinTTY       bool
	stderrTTY      bool
	// onFlags, when set, is given each flag set a command makes (completion
	// reads the flags from them).
	onFlags func(*flag.FlagSet)
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

func commands() []command {
	return []command{
		{"init", "create or migrate the store; load a company from a seed file", runInitCmd},
		{"validate", "read, map and check a roster; report every problem by cell", runValidateCmd},
		{"plan", "show (and save) the changes a roster would make", runPlanCmd},
		{"apply", "apply a roster or a saved plan, with a report for every row", runApplyCmd},
		{"runs", "list the runs of a company from the audit log, or show one run's changes", runRunsCmd},
		{"revert", "plan (and with --yes apply) the inverse of a run", runRevertCmd},
		{"erase", "plan (and with --yes apply) the erasure for good of users deprovisioned longer ago than a retention period", runEraseCmd},
		{"export", "write the live state as CSV (numbers as the portal shows them, or users as a roster)", runExportCmd},
		{"mapping", "list, show and suggest mapping profiles", runMappingCmd},
		{"gen", "generate a live state of many companies, and rosters for it (test data)", runGenCmd},
		{"bench", "benchmark a roster end to end against a generated state, and the database's floor", runBenchCmd},
		{"completion", "print the shell completion script for bash, zsh or fish", runCompletionCmd},
		{"version", "print the version, the commit it was built from and the stores' schema versions", runVersionCmd},
	}
}

const usageText = `pbxsync bulk-provisions a cloud PBX from CSV/XLSX rosters.

A roster is read, its columns mapped to pbxsync's fields, every value
validated (and every problem reported by row, column and value), the
changes planned against the live state, and only then applied, with a
report for every row.

Usage:
  pbxsync <command> [flags] [args]

Commands:
%s
Typical first run (embedded store in ./pbxsync.db, no server needed):
  pbxsync init --seed samples/demo/company.json
  pbxsync validate samples/demo/onboarding.xlsx
  pbxsync plan samples/demo/onboarding.xlsx
  pbxsync apply samples/demo/onboarding.xlsx

The store: --db FILE.db (or sqlite:FILE, file:FILE) for the embedded
store (default ./pbxsync.db), or --db postgres://user@host/db (or a
key/value string, "host=... dbname=... user=...") for PostgreSQL; any
other string is refused. Without --db, PBXSYNC_DB, then DATABASE_URL, then
PGHOST/PGDATABASE (the usual PG* environment) are used, and the embedded
store when none is set. Passwords are never printed. validate, plan, runs
and export never create a store.

Output: the product (plan, report, export) goes to stdout; progress,
warnings and summaries to stderr.

Exit codes:
  0    done, or nothing to do
  1    could not run, or refused (store locked, stale plan, safety limit)
  2    --detailed-exitcode: the plan has (or apply made) changes
  3    some rows failed as they were written (apply, revert); validate, or
       --detailed-exitcode: some rows are invalid or in conflict
  4    cut off: the connection to the store was lost (or the store failed)
       during the writes; every batch was written whole or not at all, so
       running the same command again finishes the job
  5    applied and reported, but the annotated copy (--annotate) could not
       be written: a warning, the writes and the report stand
  130  interrupted (Ctrl-C, SIGTERM); safe to re-run as for 4

Run 'pbxsync <command> --help' for a command's flags and examples.
`

func usage(w io.Writer) {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, usageText, b.String())
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: redactWriter{stderr}, stdinTTY: isTerminal(stdin), stderrTTY: isTerminal(stderr)}
	stderr = e.stderr
	if len(args) == 0 {
		usage(stderr)
		return exitFatal
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, stdin, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	case "--version", "-version":
		return runVersionCmd(ctx, e, nil)
	}
	for _, c := range commands() {
		if c.name == name {
			code := c.run(ctx, e, args[1:])
			if ctx.Err() != nil && code != exitOK {
				fmt.Fprintln(stderr, "pbxsync: interrupted; every batch was applied whole or not at all, so running again finishes the job")
			}
			return exitStatus(ctx, code)
		}
	}
	fmt.Fprintf(stderr, "pbxsync: unknown command %q\n\n", name)
	usage(stderr)
	return exitFatal
}

// exitStatus is the exit status of a command that returned code: one that
// did not succeed after ctx ended (Ctrl-C, SIGTERM) was interrupted.
func exitStatus(ctx context.Context, code int) int {
	if ctx.Err() != nil && code != exitOK {
		return exitInterrupted
	}
	return code
}

// newFlags makes a subcommand's flag set with its own help text.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	help := func() {
		w := e.stdout
		fmt.Fprintf(w, "Usage: pbxsync %s [flags] %s\n\n%s\nFlags:\n", name, args, strings.TrimSpace(about)+"\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	// The flag package calls Usage for --help and after a bad flag alike;
	// only --help gets the whole text (on stdout): a mistake gets its error
	// and a pointer to the help, on stderr.
	fs.Usage = func() {}
	helps.Store(fs, help)
	if e.onFlags != nil {
		e.onFlags(fs)
	}
	return fs
}

// helps holds each flag set's full help text printer.
var helps sync.Map

// parse parses flags and positional arguments in any order
// ("apply roster.csv --yes" as well as "apply --yes roster.csv").
func parse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	defer helps.Delete(fs)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				if help, ok := helps.Load(fs); ok {
					help.(func())()
				}
				return nil, exitOK, false
			}
			fmt.Fprintf(fs.Output(), "run 'pbxsync %s --help' for usage\n", fs.Name())
			return nil, exitFatal, false
		}
		if fs.NArg() == 0 {
			return pos, 0, true
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// fail reports an error on stderr and returns its exit code.
func fail(e *env, err error) int {
	fmt.Fprintf(e.stderr, "pbxsync: %v\n", err)
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	return exitFatal
}

// wantArgs checks the count of positional arguments.
func wantArgs(e *env, fs *flag.FlagSet, pos []string, n int, what string) bool {
	if len(pos) != n {
		fmt.Fprintf(e.stderr, "pbxsync %s: want %s, got %d argument(s)\n", fs.Name(), what, len(pos))
		fmt.Fprintf(e.stderr, "run 'pbxsync %s --help' for usage\n", fs.Name())
		return false
	}
	return true
}
