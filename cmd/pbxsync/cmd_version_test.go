package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/postgres"
	"github.com/pbxsync/pbxsync/sqlite"
)

func schemas(t *testing.T) (int, int) {
	t.Helper()
	s, err := sqlite.SchemaVersion()
	if err != nil || s == 0 {
		t.Fatalf("sqlite schema version %d, %v", s, err)
	}
	p, err := postgres.SchemaVersion()
	if err != nil || p == 0 {
		t.Fatalf("postgres schema version %d, %v", p, err)
	}
	return s, p
}

// TestVersionFromBuildInfo: the module version, the commit and its time,
// uncommitted changes, the Go version and both schema versions come from
// the build info.
func TestVersionFromBuildInfo(t *testing.T) {
	s, p := schemas(t)
	platform := runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install @v1.4.0", &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/pbxsync/pbxsync", Version: "v1.4.0"}},
			"pbxsync v1.4.0\n  commit  unknown (built without version control information)\n  go      go1.26.0 " + platform + "\n"},
		{"go build in a checkout with changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "e73f697c0ffee"}, {Key: "vcs.time", Value: "2026-12-07T07:11:10Z"}, {Key: "vcs.modified", Value: "true"}}},
			"pbxsync (devel)\n  commit  e73f697c0ffee (2026-12-07T07:11:10Z), with changes not committed\n  go      go1.26.8 " + platform + "\n"},
		{"no build info", nil, "pbxsync (devel)\n  commit  unknown (built without version control information)\n  go      " + runtime.Version() + " " + platform + "\n"},
	}
	for _, tt := range tests {
		var b bytes.Buffer
		if err := readBuildInfo(tt.bi).write(&b); err != nil {
			t.Fatal(err)
		}
		want := tt.want + fmt.Sprintf("  schema  sqlite %d, postgres %d\n", s, p)
		if b.String() != want {
			t.Errorf("%s:\n%s\nwant:\n%s", tt.name, b.String(), want)
		}
	}
}

// TestVersionCommand: `pbxsync version` and `pbxsync --version` print the
// same, on stdout, ending with a newline.
func TestVersionCommand(t *testing.T) {
	s, p := schemas(t)
	var outs []string
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, strings.NewReader(""), &out, &errb); code != exitOK {
			t.Fatalf("pbxsync %s: exit %d: %s", args[0], code, errb.String())
		}
		if !strings.HasPrefix(out.String(), "pbxsync ") || !strings.HasSuffix(out.String(), fmt.Sprintf("schema  sqlite %d, postgres %d\n", s, p)) {
			t.Errorf("pbxsync %s:\n%s", args[0], out.String())
		}
		outs = append(outs, out.String())
	}
	if outs[0] != outs[1] {
		t.Errorf("version and --version differ:\n%s\n%s", outs[0], outs[1])
	}
}

// completion prints the completion script for shell.
func completion(t *testing.T, shell string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"completion", shell}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("pbxsync completion %s: exit %d: %s", shell, code, errb.String())
	}
	return out.String()
}

// TestCompletionBash runs the bash script in bash, as the shell runs it
// when Tab is pressed, and reads what it offers.
func TestCompletionBash(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed to test the bash completion: ", err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "pbxsync.bash")
	writeFile(t, script, completion(t, "bash"))
	writeFile(t, filepath.Join(dir, "roster.xlsx"), "")
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"pbxsync", "val"}, "validate"},
		{[]string{"pbxsync", "ver"}, "version"},
		{[]string{"pbxsync", "apply", "--ye"}, "--yes"},
		{[]string{"pbxsync", "apply", "--ann"}, "--annotate"},
		{[]string{"pbxsync", "export", "--w"}, "--what"},
		{[]string{"pbxsync", "mapping", "s"}, "show suggest"},
		{[]string{"pbxsync", "completion", "z"}, "zsh"},
		{[]string{"pbxsync", "gen", "roster", "--ro"}, "--rows"},
		{[]string{"pbxsync", "validate", "ros"}, "roster.xlsx"},
		{[]string{"pbxsync", "validate", "--report", "ros"}, "roster.xlsx"},
	}
	for _, tt := range tests {
		words := make([]string, len(tt.words))
		for i, w := range tt.words {
			words[i] = "'" + w + "'"
		}
		cmd := exec.Command(bash, "--norc", "-c", fmt.Sprintf(`source %s; COMP_WORDS=(%s); COMP_CWORD=%d; _pbxsync; echo "${COMPREPLY[*]}"`,
			script, strings.Join(words, " "), len(words)-1))
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", tt.words, err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tt.want {
			t.Errorf("completing %q: %q, want %q", strings.Join(tt.words, " "), got, tt.want)
		}
	}
}

// TestCompletionScripts: every shell's script names every command and
// every flag of a command; zsh and fish check their scripts' syntax where
// they are installed.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		s := completion(t, shell)
		for _, c := range commands() {
			if !strings.Contains(s, c.name) {
				t.Errorf("%s completion lacks the command %s", shell, c.name)
			}
		}
		for _, flag := range []string{"annotate", "summary-json", "detailed-exitcode", "what"} {
			if !strings.Contains(s, flag) {
				t.Errorf("%s completion lacks the flag --%s", shell, flag)
			}
		}
		if !strings.HasSuffix(s, "\n") {
			t.Errorf("%s completion does not end with a newline", shell)
		}
		bin, err := exec.LookPath(shell)
		if err != nil {
			t.Logf("%s is not installed: its script's syntax is not checked", shell)
			continue
		}
		path := filepath.Join(t.TempDir(), "pbxsync."+shell)
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "-n", path).CombinedOutput(); err != nil {
			t.Errorf("%s -n: %v\n%s", shell, err, out)
		}
		if shell == "fish" { // fish completes a command line on request
			out, err := exec.Command(bin, "-c", "source "+path+`; complete -C "pbxsync val"; complete -C "pbxsync apply --ye"`).CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "validate\t") || !strings.Contains(string(out), "\n--yes\t") {
				t.Errorf("fish completes %q (%v)", out, err)
			}
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"completion", "powershell"}, strings.NewReader(""), &out, &errb); code != exitFatal || !strings.Contains(errb.String(), "bash, zsh or fish") {
		t.Errorf("completion powershell: exit %d, stderr %q", code, errb.String())
	}
}
