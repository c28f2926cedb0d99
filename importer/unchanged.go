package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/roster"
	"github.com/pbxsync/pbxsync/validate"
)

// The unchanged-roster fast path. A nightly HR sync mostly finds the file it
// applied the night before: when a run applied the same roster bytes with
// the same options in full (nothing failed or skipped), and nothing has been
// written to the company since (its generation is the one the run left;
// every write pbxsync makes raises it), planning the roster again finds
// nothing to do. Plan then answers from that run's record instead of
// reading, checking and planning every row against a loaded live state.
//
// The run's row outcomes stand for the rows only when they depend on the
// roster, the options and what only a seed changes (sites, device
// catalogue, company plan, the inventory of numbers) alone
// (plan.Replayable): a row in conflict, or one with a problem found against
// the users and devices of the live state, was judged against the state
// before that run's own writes (and against other companies' objects,
// which their own runs may have changed since), so such a run answers
// nothing and the roster is planned in full.

// seedOnly are the codes of the problems found against the live state that
// only a seed can change: whether a number is in the store, and whose it is
// (apply never adds, removes or hands over inventory numbers; every seed
// raises every company's generation).
var seedOnly = map[string]bool{validate.CodeNumberUnknown: true, validate.CodeNumberForeign: true}

// unchanged returns the plan of an unchanged roster, or nil when the store
// knows of no run that answers for it (or the run is missing what it needs).
func unchanged(ctx context.Context, s Store, src Source, opts Options, company, hash, optionsHash string) (*plan.Plan, *Checked, error) {
	rec, err := s.UnchangedSince(ctx, company, hash, optionsHash)
	if err != nil || rec == nil || rec.Plan == nil {
		return nil, nil, err
	}
	was := rec.Plan
	if !was.Replayable || was.RosterHash != hash || was.OptionsHash != optionsHash || was.Company != company {
		return nil, nil, nil
	}
	c := &Checked{File: filepath.Base(src.Path), Hash: hash, Company: company, Unchanged: &rec.Run}
	rd, _, err := openBound(src, c)
	if err != nil {
		return nil, nil, err
	}
	rd.Close()
	if c.fileBlocked() {
		return nil, nil, nil // the full path says what is wrong
	}
	p := &plan.Plan{
		Format: plan.FormatVersion, Company: company, Mode: opts.Plan.Mode, Roster: c.File, RosterHash: hash,
		CreatedAt: time.Now().UTC(), Changes: []plan.Change{}, OptionsHash: optionsHash, Replayable: true, UnchangedSince: rec.ID,
	}
	for _, r := range was.Rows {
		if r.Line == 0 {
			continue // a leaver the run deprovisioned: a sync does not name it again
		}
		switch r.Status {
		case plan.StatusCreated, plan.StatusUpdated, plan.StatusMoved, plan.StatusDeprovisioned, plan.StatusUnchanged:
			r.Status = plan.StatusUnchanged
		case plan.StatusInvalid:
		default: // a conflict, or an outcome a plan does not hold
			return nil, nil, nil
		}
		r.Changes = nil
		for i, pr := range r.Problems {
			if pr.Cell.File == was.Roster && was.Roster != c.File { // the same bytes under another name
				q := *pr
				q.Cell.File = c.File
				r.Problems[i] = &q
			}
		}
		c.Total++
		c.Problems = append(c.Problems, r.Problems...)
		if r.Status == plan.StatusInvalid {
			c.Invalid = append(c.Invalid, r)
		}
		p.Rows = append(p.Rows, r)
	}
	p.AddRows(nil)
	if p.Mode == plan.Sync && len(c.Invalid) > 0 && !opts.Plan.Incomplete {
		p.Notes = append(p.Notes, removalsHeld(len(c.Invalid)))
	}
	return p, c, nil
}

// replayable reports whether the outcomes of p's rows depend only on the
// roster, the options and the company's catalogue: no row is in conflict,
// and every problem of a row is one that reading, mapping and the checks of
// the rows by themselves and against each other found (none found against
// the live state's users, numbers and devices, none the planner added).
func replayable(p *plan.Plan, c *Checked) bool {
	stable := make(map[*pbx.Problem]bool, len(c.Problems))
	for _, pr := range c.Problems {
		if !c.live[pr] {
			stable[pr] = true
		}
	}
	for _, r := range p.Rows {
		if r.Status == plan.StatusConflict {
			return false
		}
		for _, pr := range r.Problems {
			if !stable[pr] {
				return false
			}
		}
	}
	return true
}

// optionsKey is what besides the roster and the live state shapes a plan,
// in the canonical form OptionsHash hashes (encoding/json: fields in this
// order, map keys sorted).
type optionsKey struct {
	Version  int                  `json:"v"`
	Company  string               `json:"company"`
	Build    string               `json:"build"`
	Profile  *mapping.Profile     `json:"profile"` // nil: detected from the header (part of the file)
	Defaults map[pbx.Field]string `json:"defaults"`
	Read     roster.Options       `json:"read"`
	Plan     plan.Options         `json:"plan"`
	Allocate pbx.Allocate         `json:"allocate,omitzero"`
}

// OptionsHash is the sha256 of everything besides the roster's bytes and the
// live state that shapes the plan of src for company: the mapping profile
// (its whole content), the --set defaults, the read options (sheet,
// delimiter, encoding, header row), the plan options (mode, scope, take,
// removal limits, force) and the pbxsync build, whose rules may differ.
func OptionsHash(company string, src Source, po plan.Options) (string, error) {
	b, err := json.Marshal(optionsKey{Version: 1, Company: company, Build: buildID(), Profile: src.Profile,
		Defaults: src.Defaults, Read: src.Read, Plan: po, Allocate: src.Allocate})
	if err != nil {
		return "", fmt.Errorf("hashing the options: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// buildID names the pbxsync build: its VCS revision when it was built from
// a clean checkout; otherwise (a modified checkout, go run, a test) the
// module version, the Go version and the executable's size and time, so a
// rebuild with other code is another build.
var buildID = sync.OnceValue(func() string {
	id := "unknown"
	bi, ok := debug.ReadBuildInfo()
	if ok {
		var rev, modified string
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if rev != "" && modified == "false" {
			return bi.GoVersion + " " + bi.Main.Path + "@" + rev
		}
		id = bi.GoVersion + " " + bi.Main.Path + "@" + bi.Main.Version + " " + rev
	}
	if exe, err := os.Executable(); err == nil {
		if fi, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf(" %s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return id
})
