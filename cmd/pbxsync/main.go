// Command pbxsync bulk-provisions a cloud PBX from CSV and XLSX rosters:
// it reads, maps and validates a roster, plans the changes against the live
// state, and applies them with a report for every row. Run `pbxsync help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
