package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
)

// version is the release, when the build sets it
// (-ldflags "-X main.version=v1.2.3"); otherwise the module version from
// the build info: v1.2.3 for `go install ...@v1.2.3`, (devel) for a build
// from a checkout.
var version = ""

// buildInfo is what `pbxsync version` reports: where this binary comes
// from and which schemas it migrates the stores to.
type buildInfo struct {
	Version  string
	Revision string // the VCS commit, "" when the build did not record one
	Time     string // the commit's time
	Modified bool   // built from a work tree with changes not committed
	Go       string // Go version, OS and architecture
	SQLite   int    // schema version of the embedded store
	Postgres int    // schema version of PostgreSQL
}

// readBuildInfo gathers the build info of this binary (bi is
// debug.ReadBuildInfo's, nil when there is none).
func readBuildInfo(bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: version, Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if b.Version == "" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
		if bi.GoVersion != "" {
			b.Go = bi.GoVersion + " " + runtime.GOOS + "/" + runtime.GOARCH
		}
	}
	if b.Version == "" {
		b.Version = "(devel)"
	}
	b.SQLite, _ = sqlite.SchemaVersion()
	b.Postgres, _ = postgres.SchemaVersion()
	return b
}

func (b buildInfo) write(w io.Writer) error {
	commit := "unknown (built without version control information)"
	if b.Revision != "" {
		commit = b.Revision
		if b.Time != "" {
			commit += " (" + b.Time + ")"
		}
		if b.Modified {
			commit += ", with changes not committed"
		}
	}
	_, err := fmt.Fprintf(w, "pbxsync %s\n  commit  %s\n  go      %s\n  schema  sqlite %d, postgres %d\n",
		b.Version, commit, b.Go, b.SQLite, b.Postgres)
	return err
}

func runVersionCmd(_ context.Context, e *env, args []string) int {
	fs := newFlags(e, "version", "", `
Prints the version of pbxsync: the module version (a release tag when
installed with go install ...@version), the commit it was built from and
its time, the Go version, and the schema version each store is migrated to
(pbxsync init migrates a store to it).

Examples:
  pbxsync version
  pbxsync --version`)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	bi, _ := debug.ReadBuildInfo()
	if err := readBuildInfo(bi).write(e.stdout); err != nil {
		return fail(e, err)
	}
	return exitOK
}
