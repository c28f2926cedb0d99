package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestTextOutputsEndWithNewline: every command's stdout and stderr end with
// a newline, so a shell prompt, `cat` and a cron mail never run on from
// the last line.
func TestTextOutputsEndWithNewline(t *testing.T) {
	c := cli{t, filepath.Join(t.TempDir(), "pbxsync.db")}
	roster := filepath.Join(demo, "onboarding.csv")
	xlsx := filepath.Join(demo, "onboarding.xlsx")
	for _, tt := range []struct {
		code int
		args []string
	}{
		{exitOK, []string{"init", "--seed", filepath.Join(demo, "company.json")}},
		{exitPartial, []string{"validate", roster}},
		{exitPartial, []string{"validate", "--format", "json", roster}},
		{exitOK, []string{"plan", roster}},
		{exitOK, []string{"plan", "--format", "json", roster}},
		{exitOK, []string{"apply", "--yes", xlsx}},
		{exitOK, []string{"apply", "--yes", xlsx}}, // nothing to do
		{exitOK, []string{"runs"}},
		{exitOK, []string{"runs", "1"}},
		{exitOK, []string{"export"}},
		{exitOK, []string{"export", "--what", "users"}},
		{exitOK, []string{"revert", "1"}},
		{exitFatal, []string{"plan", "no-such-roster.csv"}},
		{exitOK, []string{"mapping", "list"}},
		{exitOK, []string{"version"}},
		{exitOK, []string{"completion", "bash"}},
	} {
		args := tt.args
		var code int
		var out, errs string
		switch args[0] {
		case "mapping", "version", "completion": // no store
			var o, e bytes.Buffer
			code = run(context.Background(), args, strings.NewReader(""), &o, &e)
			out, errs = o.String(), e.String()
		default:
			code, out, errs = c.run(args...)
		}
		if code != tt.code {
			t.Errorf("pbxsync %s: exit %d, want %d\n%s", strings.Join(args, " "), code, tt.code, errs)
		}
		for name, s := range map[string]string{"stdout": out, "stderr": errs} {
			if s != "" && !strings.HasSuffix(s, "\n") {
				t.Errorf("pbxsync %s: %s does not end with a newline: ...%q", strings.Join(args, " "), name, s[max(0, len(s)-40):])
			}
		}
	}
}
