package main

import (
	"flag"
	"fmt"
	"maps"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/report"
	"github.com/pbxsync/pbxsync/roster"
)

// rosterFlags say how to read and map a roster file.
type rosterFlags struct {
	profile   string
	sheet     string
	delimiter string
	encoding  string
	headerRow int
	set       setFlag
	allocate  string
	kind      string
}

// dayTwoHelp is what validate, plan and apply --help say of the kinds of
// file besides user rosters.
const dayTwoHelp = `
Day two: besides user rosters, a file may manage the rest of the company,
one kind of object per file: numbers (the inventory: by number, by range
+16505550100-+16505550149, or Area Code and Quantity; label, site,
routing, holiday routing; Action remove takes a number out for good),
sites (code, name, region, extension length, own dial plan, reserved
ranges), models (the device catalogue: vendor, kind, ports, max lines,
MAC prefixes), hunt-groups and auto-attendants (ID, name, extension, the
numbers routed to them). --kind numbers|sites|models|hunt-groups|
auto-attendants|users says which; without it the header tells when it is
unambiguous, and the output names the kind read. See samples/daytwo.
`

// setFlag collects --set FIELD=VALUE, repeatable.
type setFlag map[pbx.Field]string

func (s *setFlag) String() string { return "" }

func (s *setFlag) Set(v string) error {
	f, val, ok := strings.Cut(v, "=")
	f = strings.TrimSpace(f)
	if !ok || f == "" {
		return fmt.Errorf("want FIELD=VALUE, e.g. e911_country=US")
	}
	if !pbx.KnownField(pbx.Field(f)) {
		names := make([]string, len(pbx.Fields))
		for i, k := range pbx.Fields {
			names[i] = string(k)
		}
		return fmt.Errorf("no field %q; the fields are %s", f, strings.Join(names, ", "))
	}
	if *s == nil {
		*s = setFlag{}
	}
	(*s)[pbx.Field(f)] = val
	return nil
}

func (r *rosterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.profile, "profile", "", "mapping profile: a built-in name ("+strings.Join(mapping.Builtins(), ", ")+") or a YAML/JSON file (default: the built-in that fits the headers best)")
	fs.StringVar(&r.sheet, "sheet", "", "XLSX sheet, by name or 1-based number (default: the first)")
	fs.StringVar(&r.delimiter, "delimiter", "", `CSV delimiter: ",", ";", "tab" or "|" (default: sniffed)`)
	fs.StringVar(&r.encoding, "encoding", "", "CSV encoding: utf-8, utf-16le, utf-16be, windows-1252 (default: detected)")
	fs.IntVar(&r.headerRow, "header-row", 0, "row number of the header (default: found, title rows above it allowed)")
	fs.Var(&r.set, "set", "FIELD=VALUE: give a field this value on every row when the file has no column for it (repeatable), e.g. --set e911_street='100 Market St'; --set number=auto is --allocate numbers")
	fs.StringVar(&r.kind, "kind", "", "the kind of file: numbers, sites, models, hunt-groups, auto-attendants or users (default: told by the header, else users)")
	fs.StringVar(&r.allocate, "allocate", "", "numbers, extensions or numbers,extensions: a blank number or extension cell takes one from the company's pool, as a cell \"auto\" does (a number of the row's site; \"auto:650\" one of area code 650; an extension from the number's last digits, else the site's next free one); without it a blank cell means none")
}

func (r *rosterFlags) source(path string) (importer.Source, error) {
	src := importer.Source{Path: path, Read: roster.Options{Sheet: r.sheet, Encoding: r.encoding, HeaderRow: r.headerRow}, Defaults: r.set,
		Kind: plan.FileKind(r.kind)}
	if err := r.allocation(&src); err != nil {
		return src, err
	}
	switch d := r.delimiter; d {
	case "":
	case "tab", `\t`:
		src.Read.Delimiter = '\t'
	default:
		if utf8.RuneCountInString(d) != 1 {
			return src, fmt.Errorf("--delimiter %q: give one character, or tab", d)
		}
		src.Read.Delimiter, _ = utf8.DecodeRuneInString(d)
	}
	if r.profile != "" {
		p, err := loadProfile(r.profile)
		if err != nil {
			return src, err
		}
		src.Profile = p
	}
	return src, nil
}

// allocation sets src.Allocate from --allocate and from --set number=auto
// or extension=auto, which it takes out of the defaults.
func (r *rosterFlags) allocation(src *importer.Source) error {
	if r.allocate != "" {
		for _, w := range strings.Split(r.allocate, ",") {
			switch strings.ToLower(strings.TrimSpace(w)) {
			case "numbers", "number":
				src.Allocate.Numbers = true
			case "extensions", "extension":
				src.Allocate.Extensions = true
			default:
				return fmt.Errorf("--allocate %q: want numbers, extensions, or numbers,extensions", r.allocate)
			}
		}
	}
	for f, on := range map[pbx.Field]*bool{pbx.FNumber: &src.Allocate.Numbers, pbx.FExtension: &src.Allocate.Extensions} {
		if v, ok := src.Defaults[f]; ok && strings.EqualFold(strings.TrimSpace(v), "auto") {
			*on = true
			defaults := maps.Clone(src.Defaults)
			delete(defaults, f)
			src.Defaults = defaults
		}
	}
	if len(src.Defaults) == 0 {
		src.Defaults = nil
	}
	return nil
}

func loadProfile(name string) (*mapping.Profile, error) {
	if _, err := os.Stat(name); err == nil {
		return mapping.Load(name)
	}
	return mapping.Builtin(name)
}

// planFlags steer planning.
type planFlags struct {
	mode      string
	manage    string
	take      bool
	maxRemove int
	maxPct    float64
	force     bool
	full      bool
	today     string
	holdDays  int
	slice     int // plan a large roster in slices of about so many rows (importer.Options.Slice); 0: whole
}

func (p *planFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.mode, "mode", "onboard", "onboard (add and update only; a row whose HR status says the person left deprovisions them) or sync (the roster is the truth: leavers are deprovisioned)")
	fs.StringVar(&p.manage, "manage", "", "sync: which users the roster is the truth for: all, site=CODE, or external-id (users with an HR id)")
	fs.BoolVar(&p.take, "take", false, "move numbers and device ports held by users the roster does not name (a conflict otherwise)")
	fs.IntVar(&p.maxRemove, "max-remove", plan.DefaultMaxRemove, "sync: refuse to deprovision more users missing from the roster than this (rows whose status says the person left are not counted)")
	fs.Float64Var(&p.maxPct, "max-remove-pct", plan.DefaultMaxRemovePct, "sync: refuse to deprovision more than this percentage of the managed users, once more than 3 would go (a small company may lose up to 3 whatever the share)")
	fs.BoolVar(&p.force, "force-removals", false, "sync: go past the removal limits (the roster is known to be complete)")
	fs.IntVar(&p.holdDays, "extension-hold-days", pbx.DefaultExtensionHoldDays, "a deprovisioned user's extension is held for them this many days from the day they were deprovisioned: only --take reclaims it then; after, any row may have it, the plan clearing it from them (0: released at once)")
	fs.StringVar(&p.today, "today", "", "judge exit dates as on this day, YYYY-MM-DD (default: today, UTC); a row whose exit date is later stays active until then")
	fs.BoolVar(&p.full, "full", false, "read and plan every row, even when a run already applied the same file with the same options and nothing has been written to the company since (pbxsync does not see writes made by other tools)")
}

func (p *planFlags) options() (plan.Options, error) {
	o := plan.Options{Mode: plan.Mode(p.mode), Take: p.take, MaxRemove: p.maxRemove, MaxRemovePct: p.maxPct, Force: p.force,
		ExtensionHoldDays: p.holdDays}
	switch {
	case p.holdDays < 0:
		return o, fmt.Errorf("--extension-hold-days %d: want 0 or more days", p.holdDays)
	case p.holdDays == 0:
		o.ExtensionHoldDays = -1 // released at once (0 in plan.Options is the default)
	}
	if p.today != "" {
		t, err := time.Parse("2006-01-02", p.today)
		if err != nil {
			return o, fmt.Errorf("--today %q: want a date as YYYY-MM-DD, e.g. 2027-03-31", p.today)
		}
		o.Today = t.Format("2006-01-02")
	}
	switch o.Mode {
	case plan.Onboard:
		if p.manage != "" {
			return o, fmt.Errorf("--manage goes with --mode sync")
		}
	case plan.Sync:
		switch m := p.manage; {
		case m == "all":
			o.Manage.All = true
		case m == "external-id":
			o.Manage.External = true
		case strings.HasPrefix(m, "site="):
			o.Manage.Site = strings.TrimPrefix(m, "site=")
		case m == "":
			return o, fmt.Errorf("--mode sync needs --manage: all, site=CODE or external-id (which users does this roster speak for?)")
		default:
			return o, fmt.Errorf("--manage %q: want all, site=CODE or external-id", m)
		}
	default:
		return o, fmt.Errorf("--mode %q: want onboard or sync", p.mode)
	}
	return o, nil
}

// annotate writes the annotated copy of the roster at path to dst: the
// user's own file with a Status and an Errors column, and the cells in
// error marked, so it can be fixed where it was made and sent again.
func annotate(e *env, dst, path string, src importer.Source, lines []report.Line, problems []*pbx.Problem) error {
	if dst == "" {
		return nil
	}
	if err := report.Annotate(dst, path, report.Annotation{Read: src.Read, Lines: lines, Problems: problems}); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote the annotated roster to %s\n", dst)
	return nil
}

const annotateUsage = "also write a copy of the roster with a Status and an Errors column and the bad cells marked (same extension as the roster)"

// checkOutputs refuses, before anything is read or written, a --report
// whose name says no format and an --annotate copy that cannot be made of
// the roster (its extension, or the roster itself): a run of a million
// rows must not learn it only once its changes are written. roster is ""
// when there is none (a saved plan, a revert): then annotated is not
// checked.
func checkOutputs(reportPath, annotated, roster string) error {
	if reportPath != "" {
		if _, err := report.FormatOf(reportPath); err != nil {
			return err
		}
	}
	if annotated != "" && roster != "" {
		return report.AnnotateTarget(annotated, roster)
	}
	return nil
}
