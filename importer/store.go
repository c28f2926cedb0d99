// Package importer is the pipeline that ties pbxsync's stages together:
// read a roster, map its columns, validate its rows, plan against the live
// state, and apply the plan through a Store.
package importer

import (
	"context"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Store is the live state. The postgres and sqlite packages implement it; the
// storetest package holds the contract both must pass.
type Store interface {
	// Migrate brings the schema to the newest version (idempotent); a
	// current schema is only read, never written.
	Migrate(ctx context.Context) error
	// Pending returns how many schema migrations the store has not had,
	// read without writing; empty when the store has no schema at all.
	Pending(ctx context.Context) (n int, empty bool, err error)
	// Seed loads a company's starting state (company, sites, catalogue,
	// inventory...) in one transaction; objects that exist already are updated.
	Seed(ctx context.Context, s *pbx.Seed) error
	// Companies lists the companies in the store, by ID.
	Companies(ctx context.Context) ([]pbx.Company, error)
	// Load reads the whole of one company as a plan needs it: sites, users,
	// numbers, members, devices, device lines, locations, hunt groups, auto
	// attendants, and the device catalogue, each with its version. A missing
	// company wraps pbx.ErrNotFound.
	Load(ctx context.Context, company string) (*pbx.State, error)
	// LoadForeign adds to st the users, numbers and devices named in keys
	// that belong to other companies (so validation can report them as such).
	LoadForeign(ctx context.Context, st *pbx.State, keys pbx.Keys) error
	// Apply writes a plan while holding the company's lock, a row of a lock
	// table that one run holds for its whole length: a second run on the
	// company waits (the store's LockWait, 5 s by default), then fails with
	// an error wrapping pbx.ErrLocked that names the holder ("company acme is
	// being applied by run 12 since 14:03 (alice, pid 4242 on build-1)").
	//
	// Every update and delete checks the version the plan saw. The plan is
	// written in batches of whole roster rows (the store's BatchRows, 2,500
	// by default), each batch one transaction with its audit records; the
	// batching is package apply's, the same for every store. When a change
	// cannot be written (stale version, a value held by another object, an
	// invalid field), its row is isolated: the batch is written again
	// without that row, the rows that go with it (they touch the same user,
	// number, device or port, or take an extension it frees) and the rows
	// that need it (its new E911 location). A new E911 location is written
	// in the batch of the first row that needs it and is written, so one
	// whose rows all fail is not written either. Result.Failed then lists
	// every change not written, in plan order: the one the database refused
	// with its reason in domain words ("user kim@acme.example: extension
	// 4021 is already used by jdoe@acme.example; choose another extension"),
	// the others with "not written, because " and that reason; each Err
	// wraps the sentinel (pbx.ErrStale, pbx.ErrConflict, pbx.ErrInvalid,
	// pbx.ErrNotFound). A roster row's outcome is failed when any of its
	// changes (RowPlan.Changes) is in Result.Failed, applied otherwise.
	//
	// With o.Atomic the whole plan is one transaction: a failing change
	// writes nothing, Result.Rollback is true and Result.Failed names that
	// change only. o.Progress, when set, hears the rows done after each
	// batch commits; o.Locked, once the lock is held, may replace the plan
	// by one made against the live state then (see apply.Options).
	//
	// A non-nil error means the store failed or ctx ended (Ctrl-C, lost
	// connection): every batch is written whole or not at all, the batches
	// committed stay, the Result returned with the error counts them, and
	// the run is recorded as interrupted. Planning the same roster again
	// and applying it finishes the job. An empty plan writes nothing, not
	// even a run.
	Apply(ctx context.Context, p *plan.Plan, o apply.Options) (*plan.Result, error)
	// Runs lists the runs of a company in the audit log, newest first, at
	// most limit (all when limit <= 0): who (operating-system user, host,
	// process), when, the roster and its hash, the outcome and counts.
	Runs(ctx context.Context, company string, limit int) ([]plan.Run, error)
	// Run reads one run back from the audit log: the run, its plan (rows,
	// summary, and every change with its values before and after) and the
	// outcome of each change with the version it left. A missing run wraps
	// pbx.ErrNotFound.
	Run(ctx context.Context, id int64) (*plan.RunRecord, error)
	// UnchangedSince returns the newest run of company that applied the
	// roster whose bytes hash to rosterHash, with the options that hash to
	// optionsHash (plan.Plan.OptionsHash), in full (outcome applied, no
	// change failed or skipped), and after which nothing has been written to
	// the company: its generation, raised by every transaction that writes
	// the company's live state (each apply batch, a seed of it, a seed of
	// the device catalogue for every company), is the one the run left. A
	// run records the generation it left only when nothing else wrote to the
	// company between the reading of the live state its plan was made from
	// (plan.Plan.Generation) and its end. The record holds the run and its
	// plan's rows, summary and notes (not its changes). Nil when there is no
	// such run.
	UnchangedSince(ctx context.Context, company, rosterHash, optionsHash string) (*plan.RunRecord, error)
	Close() error
}
