package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/roster"
)

func runMappingCmd(ctx context.Context, e *env, args []string) int {
	var ro rosterFlags
	fs := newFlags(e, "mapping", "list | show NAME|PROFILE-FILE | suggest FILE", `
Mapping profiles say which column of a roster holds which pbxsync field,
and how to transform it (split "Last, First", derive the user ID from the
e-mail, add a country code...). pbxsync has built-in profiles for its own
template and for legacy exports; a profile of your own is a YAML or JSON
file given with --profile.

  list          the built-in profiles
  show NAME     print a built-in profile, to copy and adapt; given a
                profile file, print it merged with the built-in it extends
  suggest FILE  a draft profile from FILE's headers, with what it could not place

Examples:
  pbxsync mapping list
  pbxsync mapping show freepbx > my-freepbx.yaml
  pbxsync mapping show survey.yaml     # extends: pbxsync, merged
  pbxsync mapping suggest legacy-export.csv > legacy.yaml`)
	ro.register(fs)
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		fs.Usage()
		return exitFatal
	}
	switch {
	case pos[0] == "list" && len(pos) == 1:
		for _, name := range mapping.Builtins() {
			p, err := mapping.Builtin(name)
			if err != nil {
				return fail(e, err)
			}
			fmt.Fprintf(e.stdout, "%-10s %s\n", name, p.Description)
		}
		return exitOK
	case pos[0] == "show" && len(pos) == 2:
		p, err := showProfile(pos[1])
		if err != nil {
			return fail(e, err)
		}
		return printProfile(e, p)
	case pos[0] == "suggest" && len(pos) == 2:
		src, err := ro.source(pos[1])
		if err != nil {
			return fail(e, err)
		}
		rd, err := roster.Open(src.Path, src.Read)
		if err != nil {
			return fail(e, err)
		}
		defer rd.Close()
		p, unplaced := mapping.Suggest(rd.Headers())
		if len(unplaced) > 0 {
			fmt.Fprintf(e.stderr, "could not place: %s (add them to the profile, or leave them ignored)\n", strings.Join(unplaced, ", "))
		}
		return printProfile(e, p)
	}
	fs.Usage()
	return exitFatal
}

func printProfile(e *env, p *mapping.Profile) int {
	b, err := p.Marshal()
	if err != nil {
		return fail(e, err)
	}
	e.stdout.Write(b)
	return exitOK
}

// showProfile is the built-in name, or the profile file at name (merged with
// the built-in it extends).
func showProfile(name string) (*mapping.Profile, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return mapping.Load(name)
	}
	return mapping.Builtin(name)
}
