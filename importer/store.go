// Package importer is the pipeline that ties pbxsync's stages together:
// read a roster, map its columns, validate its rows, plan against the live
// state, and apply the plan through a Store.
package importer

import (
	"context"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Store is the live state. The postgres and sqlite packages implement it; the
// storetest package holds the contract both must pass.
type Store interface {
	// Migrate brings the schema to the newest version (idempotent).
	Migrate(ctx context.Context) error
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
	// Apply writes a plan in one transaction, holding the company's lock, and
	// records the run in the audit log. Every update and delete checks the
	// version the plan saw; a row changed since fails with pbx.ErrStale. On any
	// failure nothing is written and Result.Rollback is true; Result.Failed
	// names the change and the reason in domain words.
	Apply(ctx context.Context, p *plan.Plan) (*plan.Result, error)
	Close() error
}
