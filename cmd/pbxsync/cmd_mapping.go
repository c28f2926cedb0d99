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

  list          the built-in profiles, and the columns of each kind of
                day-two file (numbers, sites, models, hunt-groups,
                auto-attendants)
  show NAME     print a built-in profile, to copy and adapt; given a
                profile file, print it merged with the built-in it extends
  suggest FILE  a draft profile from FILE's headers and values: a column is
                placed in a field only if most of its values pass that
                field's checks; each field says why, what could not be
                placed is listed with a value

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
		width := 0
		for _, name := range mapping.Builtins() {
			width = max(width, len(name))
		}
		for _, name := range mapping.Builtins() {
			p, err := mapping.Builtin(name)
			if err != nil {
				return fail(e, err)
			}
			fmt.Fprintf(e.stdout, "%-*s %s\n", width, name, p.Description)
		}
		fmt.Fprintf(e.stdout, "\nday-two files, one kind each (told by the header, or apply --kind KIND):\n")
		for _, kp := range mapping.KindProfiles {
			var cols []string
			for _, c := range kp.Columns {
				if c.Field != mapping.KindReadOnly {
					cols = append(cols, c.Aliases[0])
				}
			}
			fmt.Fprintf(e.stdout, "%-*s %s\n", width, kp.Kind, strings.Join(cols, ", "))
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
		var samples [][]string
		for len(samples) < suggestSamples {
			rec, err := rd.Next()
			if err != nil {
				break // io.EOF, or a row the checks will report
			}
			samples = append(samples, rec.Values)
		}
		sg := mapping.Suggest(rd.Headers(), samples)
		for _, pl := range sg.Placed {
			if len(pl.Headers) > 0 {
				fmt.Fprintf(e.stderr, "%-13s <- %s (confidence %.2f, %d of %d values pass)\n", pl.Field, strings.Join(pl.Headers, " + "), pl.Confidence, pl.Passed, pl.Sampled)
			}
		}
		for _, u := range sg.Unplaced {
			fmt.Fprintf(e.stderr, "not placed: %s (e.g. %q): %s\n", u.Header, u.Sample, u.Why)
		}
		return printProfile(e, sg.Profile)
	}
	fs.Usage()
	return exitFatal
}

// suggestSamples is how many rows `mapping suggest` reads to weigh the columns by their values.
const suggestSamples = 200

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
