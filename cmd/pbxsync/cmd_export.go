package main

import (
	"context"
	"fmt"

	"github.com/pbxsync/pbxsync/importer"
	"github.com/pbxsync/pbxsync/report"
)

type exportOptions struct {
	store storeFlags
	what  string
}

func runExportCmd(ctx context.Context, e *env, args []string) int {
	var o exportOptions
	fs := newFlags(e, "export", "", `
Writes the live state of a company to stdout as CSV.

  --what numbers  every number of the inventory as the portals show it: on
                  the COMPANY tab (the pool) or the ASSIGNED tab, with its
                  target, routing (and the routing saved before it was
                  assigned), label, SMS and E911 location.
  --what users    every user as a roster in pbxsync's own template: edit it
                  and apply it back (an unedited export applies as no change).
  --what sites, models, hunt-groups, auto-attendants
                  the company's sites, the device catalogue, its hunt groups
                  and auto attendants (with the numbers routed to each), in
                  the columns of their day-two files.

Every kind is written so that, fed back to plan or apply (the kind is told
by the header), it plans as no change: edit the export and apply it.

Examples:
  pbxsync export > numbers.csv
  pbxsync export --what users > roster.csv
  pbxsync export --what sites > sites.csv && pbxsync plan sites.csv`)
	o.store.register(fs)
	fs.StringVar(&o.what, "what", "numbers", "numbers, sites, models, hunt-groups, auto-attendants or users")
	pos, code, ok := parse(fs, args)
	if !ok {
		return code
	}
	if !wantArgs(e, fs, pos, 0, "no arguments") {
		return exitFatal
	}
	if err := runExport(ctx, e, o); err != nil {
		return fail(e, err)
	}
	return exitOK
}

func runExport(ctx context.Context, e *env, o exportOptions) error {
	st, err := o.store.openExisting(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	company, err := importer.ResolveCompany(ctx, st, o.store.company)
	if err != nil {
		return err
	}
	live, err := st.Load(ctx, company)
	if err != nil {
		return err
	}
	switch o.what {
	case "numbers":
		return report.WriteNumbers(e.stdout, live)
	case "users":
		return report.WriteRoster(e.stdout, live)
	case "sites":
		return report.WriteSites(e.stdout, live)
	case "models":
		return report.WriteModels(e.stdout, live)
	case "hunt-groups":
		return report.WriteHuntGroups(e.stdout, live)
	case "auto-attendants":
		return report.WriteAutoAttendants(e.stdout, live)
	}
	return fmt.Errorf("--what %q: want numbers, sites, models, hunt-groups, auto-attendants or users", o.what)
}
