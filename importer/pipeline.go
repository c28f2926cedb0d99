package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/roster"
	"github.com/pbxsync/pbxsync/validate"
)

// Source is a roster file and how to read and map it.
type Source struct {
	Path    string
	Read    roster.Options
	Profile *mapping.Profile // nil: the built-in profile that fits the headers best
	// Defaults give fields a value on every row whose file has no column for
	// them (pbxsync --set): the E911 address of a legacy export's site, say.
	Defaults map[pbx.Field]string
	// Allocate makes blank number and extension cells take one from the
	// company's pool, as a cell "auto" does (pbxsync --allocate).
	Allocate pbx.Allocate
	// Kind is the kind of file (pbxsync --kind): a user roster, or a
	// day-two file of numbers, sites, models, hunt groups or auto
	// attendants (objects.go); "" = told by the header (FileKind).
	Kind plan.FileKind
}

// Options steer a run.
type Options struct {
	Company  string // "" = the store's only company
	Plan     plan.Options
	Progress Progress // nil = none
	// Full reads, checks and plans every row even when the store knows the
	// company is as a run of the same roster and options left it (see
	// Plan): pbxsync --full.
	Full bool
	// Slice, when above 0, lets Plan plan a user roster of more rows than
	// that in slices of about as many rows, so that its memory does not grow
	// with the roster (slices.go; 0: whole, as 'pbxsync plan --out' saves
	// it). A plan made in slices is spilled (plan.Spill): its changes' field
	// lists are in a temporary file, which the apply reads back batch by
	// batch.
	Slice int

	// write, when set (PlanApply), writes each slice's plan as soon as it
	// is planned.
	write func(q *plan.Plan) error
}

// Progress hears how far a stage has got. Counting is kept apart from any
// drawing of it (see report.Progress).
type Progress interface {
	Stage(name string, total int) // a stage begins; total -1 when unknown
	Add(n int)
	Done()
}

type noProgress struct{}

func (noProgress) Stage(string, int) {}
func (noProgress) Add(int)           {}
func (noProgress) Done()             {}

// Checked is a roster read, mapped and validated against the live state.
type Checked struct {
	File     string
	Hash     string // sha256 of the file's bytes
	Profile  string
	Unknown  []string       // columns no field takes: listed once, ignored
	Problems []*pbx.Problem // every problem, file-level ones first, then by row
	Rows     []*pbx.Row     // the valid rows; empty when planned in slices (PlannedRows counts them)
	Invalid  []plan.RowPlan // the rows with blocking problems
	Total    int            // data rows read
	Company  string
	State    *pbx.State // nil when the rows were not read again (Unchanged)
	// Unchanged, when set, is the run whose outcome answered for the rows
	// (Plan's fast path): Rows and State are then not filled, and Problems,
	// Invalid and Total are that run's, as checking the rows would find them.
	Unchanged *plan.Run
	// Kind is the kind of file checked; KindDetected says its header told.
	Kind         plan.FileKind
	KindDetected bool

	live map[*pbx.Problem]bool // the problems found against the live state's users, numbers and devices

	slices  *keySet // the roster's keys when it is planned in slices (slices.go), nil otherwise
	planned int     // the valid rows the slices planned (Rows is then empty)

	objLines []int          // a day-two file's data rows (objects.go)
	objKeys  map[int]string // and what names each
}

// ValidRows is the number of rows no problem blocks.
func (c *Checked) ValidRows() int { return c.Total - len(c.Invalid) }

// Valid reports whether nothing blocks any row.
func (c *Checked) Valid() bool { return len(c.Invalid) == 0 && !c.fileBlocked() }

// fileProblem is the first problem that blocks the whole file, with its fix.
func (c *Checked) fileProblem() string {
	for _, p := range c.Problems {
		if p.Cell.Row == 0 && p.Blocking() {
			if p.Hint != "" {
				return p.Message + " (" + p.Hint + ")"
			}
			return p.Message
		}
	}
	return ""
}

func (c *Checked) fileBlocked() bool {
	for _, p := range c.Problems {
		if p.Cell.Row == 0 && p.Blocking() {
			return true
		}
	}
	return false
}

// Check reads, maps and validates a roster against the live state of the
// company. Problems with rows are collected, never fatal; the error is for
// a file that cannot be read at all or a store that cannot be reached.
func Check(ctx context.Context, s Store, src Source, opts Options) (*Checked, error) {
	company, err := ResolveCompany(ctx, s, opts.Company)
	if err != nil {
		return nil, err
	}
	hash, err := hashFile(src.Path)
	if err != nil {
		return nil, err
	}
	fk, detected, err := FileKind(src)
	if err != nil {
		return nil, err
	}
	if fk != plan.FileUsers {
		c, _, err := checkObjects(ctx, s, src, company, hash, fk) // objects.go
		if c != nil && detected {
			c.KindDetected, c.Profile = true, c.Profile+", told by the header"
		}
		return c, err
	}
	opts.Slice = 0 // the rows are the caller's: all of them
	c, err := check(ctx, s, src, opts, company, hash)
	if c != nil {
		c.Kind, c.KindDetected = fk, detected
	}
	return c, err
}

// check is Check of the roster of company whose bytes hash to hash.
func check(ctx context.Context, s Store, src Source, opts Options, company, hash string) (*Checked, error) {
	prog := opts.Progress
	if prog == nil {
		prog = noProgress{}
	}
	sliceable := opts.Slice > 0 && opts.Plan.Mode != plan.Sync && !opts.Plan.Manage.External
	lctx := ctx
	if sliceable {
		// A roster that may be planned in slices: the company's free numbers
		// are loaded into the state's compact pool, not each as a Number,
		// and made whole again (ExpandPool) should it be checked whole.
		lctx = pbx.WithCompactPool(ctx)
	}
	st, err := s.Load(lctx, company)
	if err != nil {
		return nil, err
	}
	c := &Checked{File: filepath.Base(src.Path), Hash: hash, Company: company, State: st, live: map[*pbx.Problem]bool{}}
	rd, bind, err := openBound(src, c)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	for _, p := range c.Problems {
		if p.Code == CodeNoUserColumns {
			st.ExpandPool()
			return c, nil // not a roster: its rows would each say so again
		}
	}

	prog.Stage("validate", -1)
	defer prog.Done() // Done is idempotent: the stage also ends below, before the cross-row checks
	rs := &rowSet{byLine: map[int][]*pbx.Problem{}, keyOf: map[int]string{}}
	var ks *keySet          // the first pass's keys, once the roster is past opts.Slice rows (slices.go)
	chk := validate.New(st) // one for the file: its memos and shared cell layouts serve every row
	chk.Allocate = src.Allocate
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	batches := readMapped(rctx, rd, bind)
	for b := range batches {
		if b.err != nil {
			return nil, b.err
		}
		for i := range b.recs {
			c.Total++
			prog.Add(1)
			if ks != nil {
				row, _ := chk.Check(b.mapped[i])
				if ks.add(row); !ks.ok() {
					c.slices = ks // not to be sliced: Plan reads the roster again, whole
					return c, nil
				}
				if err := ks.lookUpForeign(ctx, s, foreignChunk); err != nil {
					return nil, err
				}
				continue
			}
			rs.add(&b.recs[i], b.mapped[i], chk)
			if sliceable && len(rs.lines) > opts.Slice {
				ks = rs.keys(st)
				rs = nil
				// Planned in slices from here on (or, should a row refuse
				// them, checked again whole from a new load): the company's
				// free numbers are in the state's compact pool (the store
				// put them there; CompactPool for one that did not), and
				// each slice has as whole Numbers only those its rows name
				// (planSlices). Nothing before the slices reads the map for
				// them: the checks of a row read no number, and the first
				// pass's keys ask the state (HasNumber).
				st.CompactPool()
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	prog.Done()
	if ks != nil {
		c.slices = ks
		return c, nil
	}
	st.ExpandPool() // checked and planned whole: every number a Number
	return c, c.crossCheck(ctx, s, st, rs, opts)
}

// rowSet is rows read, mapped and checked one by one, waiting for the
// checks across rows: the rows validate.Checker.Check made (every row, its
// refused values left out; a line left out whole has none), each line's
// problems so far and the key that names it in the plan.
type rowSet struct {
	lines  []int
	rows   []*pbx.Row
	byLine map[int][]*pbx.Problem
	keyOf  map[int]string
	// foreign says the store has added to the state what the rows name of
	// other companies already (a slice: planSlices loads it for them all)
	foreign bool
}

// add checks the record rec, mapped as m, and adds it.
func (rs *rowSet) add(rec *roster.Record, m *mapping.Mapped, chk *validate.Checker) {
	rs.lines = append(rs.lines, rec.Row)
	if v, ok := m.Get(pbx.FUserID); ok {
		rs.keyOf[rec.Row] = v.Text
	}
	if v, ok := m.Get(pbx.FMAC); ok && strings.TrimSpace(rs.keyOf[rec.Row]) == "" {
		rs.keyOf[rec.Row] = v.Text // a common-area phone: no user, named by its phone
	}
	if v, ok := m.Get(pbx.FTarget); ok && strings.TrimSpace(v.Text) != "" && strings.TrimSpace(rs.keyOf[rec.Row]) == "" {
		rs.keyOf[rec.Row] = m.Values.At(pbx.FNumber).Text // numbers routed to a group: named by the number
	}
	row, ps := chk.Check(m)
	if len(rec.Problems)+len(ps) > 0 {
		rs.byLine[rec.Row] = append(rs.byLine[rec.Row], rec.Problems...)
		rs.byLine[rec.Row] = append(rs.byLine[rec.Row], ps...)
	}
	if row != nil { // nil: a line left out whole (validate/leftout.go)
		rs.rows = append(rs.rows, row)
	}
}

// crossCheck checks the rows of rs against one another and the live state
// st, and adds to c the valid ones (Rows), every problem by line (Problems)
// and the invalid lines (Invalid).
func (c *Checked) crossCheck(ctx context.Context, s Store, st *pbx.State, rs *rowSet, opts Options) error {
	all, byLine := rs.rows, rs.byLine
	// The numbers and extensions rows ask from the pool, picked once every
	// row is read (in roster order, so the same roster against the same
	// live state picks the same), then checked like any value.
	for _, p := range validate.Allocate(st, all, plan.Today(opts.Plan)) {
		byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
	}
	// One pass: every row, whatever its values' problems, is checked against
	// the other rows and the live state, so the user sees all there is to
	// fix at once, and a value an invalid row repeats is still a duplicate.
	for _, p := range validate.RosterAt(st, all, plan.Today(opts.Plan)) {
		byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
	}
	if opts.Plan.Manage.External {
		for _, p := range validate.ExternalIDs(all) {
			byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
		}
	}
	if !rs.foreign {
		if err := s.LoadForeign(ctx, st, validate.Keys(st, all)); err != nil {
			return err
		}
	}
	for _, p := range validate.Live(st, all) {
		c.live[p] = !seedOnly[p.Code]
		byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
	}
	// What the live state holds against a row the planner finds for the
	// rows it plans; for the others, Held finds it under the same policy:
	// --take, and no leavers (with an invalid row, a sync removes nobody).
	blocked := map[int]bool{}
	for _, r := range all {
		if blocking(byLine[r.Line]) {
			blocked[r.Line] = true
		}
	}
	if len(blocked) > 0 {
		for _, p := range validate.Held(st, all, validate.Policy{Take: opts.Plan.Take, Today: plan.Today(opts.Plan), HoldDays: opts.Plan.HoldDays()}) {
			if blocked[p.Cell.Row] {
				c.live[p] = true
				byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
			}
		}
	}

	for _, r := range all {
		if !blocking(byLine[r.Line]) {
			c.Rows = append(c.Rows, r)
		}
	}
	for _, line := range rs.lines {
		ps := byLine[line]
		c.Problems = append(c.Problems, ps...)
		if blocking(ps) {
			c.Invalid = append(c.Invalid, plan.RowPlan{Line: line, Key: rs.keyOf[line], Status: plan.StatusInvalid, Problems: ps})
		}
	}
	return nil
}

// openBound opens the roster and binds its header to the profile (the
// source's, or the built-in that fits the headers best), recording in c
// the profile, the header's problems and the columns no field takes.
func openBound(src Source, c *Checked) (roster.Reader, *mapping.Binding, error) {
	rd, err := roster.Open(src.Path, src.Read)
	if err != nil {
		return nil, nil, err
	}
	profile := src.Profile
	if profile == nil {
		var score float64
		if profile, score = mapping.Detect(rd.Headers()); profile == nil || score < mapping.DetectThreshold {
			if profile, err = mapping.Builtin("pbxsync"); err != nil {
				rd.Close()
				return nil, nil, err
			}
		}
	}
	if len(src.Defaults) > 0 {
		profile = withDefaults(profile, src.Defaults)
	}
	c.Profile = profile.Name
	bind, problems := profile.Bind(rd.File(), rd.Sheet(), rd.HeaderRow(), rd.Headers())
	c.Problems = append(c.Problems, rd.HeaderProblems()...)
	c.Problems = append(c.Problems, problems...)
	if p := noUserColumns(rd, bind); p != nil {
		c.Problems = append(c.Problems, p)
	}
	c.Unknown = bind.Unknown()
	return rd, bind, nil
}

// userRowFields are the fields a user row carries (DOMAIN rule 4), and the
// extension: a roster has a column for at least one of them.
var userRowFields = []pbx.Field{pbx.FUserID, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FExtension,
	pbx.FNumber, pbx.FStationType, pbx.FModel, pbx.FMAC}

// CodeNoUserColumns: the header has a column for none of the fields of a
// user row: the file is not a roster, or its header is not the first row
// of the sheet.
const CodeNoUserColumns = "header.no_user_columns"

// noUserColumns returns the problem of a header that has a column for none
// of the fields of a user row, naming the columns it does have; nil when
// it has one.
func noUserColumns(rd roster.Reader, bind *mapping.Binding) *pbx.Problem {
	for _, pl := range bind.Describe() {
		if pl.Cell.Col >= 0 && slices.Contains(userRowFields, pl.Field) {
			return nil
		}
	}
	var found []string
	for _, h := range rd.Headers() {
		if h != "" {
			found = append(found, strconv.Quote(h))
		}
	}
	names := make([]string, len(userRowFields))
	for i, f := range userRowFields {
		names[i] = string(f)
	}
	return &pbx.Problem{
		Cell:     pbx.Cell{File: rd.File(), Sheet: rd.Sheet(), Col: -1}, // the whole file: it blocks every row
		Severity: pbx.SevError, Code: CodeNoUserColumns, Value: strings.Join(found, ", "), Err: pbx.ErrRead,
		Message: fmt.Sprintf("the header (row %d) has none of the columns of a user row; it has %s", rd.HeaderRow(), strings.Join(found, ", ")),
		Hint:    "name the columns as pbxsync does (" + strings.Join(names, ", ") + "), give the header row with --header-row, or map them with --profile",
	}
}

// Plan checks a roster and plans it against the live state. Rows with
// problems are planned as invalid; warnings ride along on their rows.
//
// Unless opts.Full, it first asks the store whether a run applied the same
// roster (by the hash of its bytes) with the same options (OptionsHash) in
// full, and nothing has been written to the company since: the plan is then
// known to be empty (planning a roster again right after applying it finds
// nothing to do), and Plan returns it without reading the rows, with that
// run's rows as unchanged and their problems, Plan.UnchangedSince and
// Checked.Unchanged naming the run. Only the header is read, for its
// problems. Writes to the database by other tools than pbxsync are not
// seen: Full is the way past them.
func Plan(ctx context.Context, s Store, src Source, opts Options) (*plan.Plan, *Checked, error) {
	company, err := ResolveCompany(ctx, s, opts.Company)
	if err != nil {
		return nil, nil, err
	}
	hash, err := hashFile(src.Path)
	if err != nil {
		return nil, nil, err
	}
	fk, detected, err := FileKind(src)
	if err != nil {
		return nil, nil, err
	}
	if fk != plan.FileUsers {
		p, c, err := planObjects(ctx, s, src, opts, company, hash, fk) // objects.go
		if c != nil && detected {
			c.KindDetected, c.Profile = true, c.Profile+", told by the header"
		}
		return p, c, err
	}
	optionsHash, err := OptionsHash(company, src, opts.Plan)
	if err != nil {
		return nil, nil, err
	}
	if !opts.Full {
		p, c, err := unchanged(ctx, s, src, opts, company, hash, optionsHash)
		if err != nil || p != nil {
			return p, c, err
		}
	}
	c, err := check(ctx, s, src, opts, company, hash)
	if err == nil && c.slices != nil && !c.slices.ok() {
		opts.Slice = 0 // a row the slices cannot take (slices.go): the whole roster again, as one
		c, err = check(ctx, s, src, opts, company, hash)
	}
	if err != nil {
		return nil, nil, err
	}
	c.Kind, c.KindDetected = fk, detected
	if c.fileBlocked() {
		return nil, c, fmt.Errorf("%w: %s: the header has problems; fix them before planning: %s", pbx.ErrRead, c.File, c.fileProblem())
	}
	if c.slices != nil {
		p, err := planSlices(ctx, s, src, opts, c)
		if err != nil {
			return nil, c, err
		}
		p.OptionsHash = optionsHash
		return p, c, nil
	}
	po := opts.Plan
	po.Incomplete = po.Incomplete || len(c.Invalid) > 0
	p, err := plan.Make(c.State, c.Rows, po)
	if err != nil {
		return nil, c, err
	}
	p.Roster, p.RosterHash = c.File, c.Hash
	p.OptionsHash, p.Generation = optionsHash, c.State.Generation
	warnings := c.warnRows(p)
	p.AddRows(c.Invalid)
	p.Notes = append(p.Notes, leftOutNotes(p, warnings)...) // leftout.go
	if po.Mode == plan.Sync && po.Incomplete && !opts.Plan.Incomplete {
		p.Notes = append(p.Notes, removalsHeld(len(c.Invalid)))
	}
	// A row that leaves on a later day changes the plan on that day: a run
	// of it never answers for a later one.
	p.Replayable = replayable(p, c) && !leavesLater(c.Rows, plan.Today(po))
	return p, c, nil
}

// warnRows gives each row of p the warnings of its line (problems that
// do not block it), and returns them by line.
func (c *Checked) warnRows(p *plan.Plan) map[int][]*pbx.Problem { return warnRows(p, c.Problems) }

// warnRows gives each row of p the warnings among problems of its line,
// and returns them by line.
func warnRows(p *plan.Plan, problems []*pbx.Problem) map[int][]*pbx.Problem {
	warnings := map[int][]*pbx.Problem{}
	for _, pr := range problems {
		if !pr.Blocking() {
			warnings[pr.Cell.Row] = append(warnings[pr.Cell.Row], pr)
		}
	}
	for i := range p.Rows {
		p.Rows[i].Problems = append(p.Rows[i].Problems, warnings[p.Rows[i].Line]...)
	}
	return warnings
}

// PlannedRows is the number of valid user rows the plan was made from.
func (c *Checked) PlannedRows() int { return len(c.Rows) + c.planned }

func removalsHeld(invalid int) string {
	return fmt.Sprintf("%s: %d rows are invalid, so this sync deprovisions nobody missing from the roster: an invalid row looks like a leaver (rows whose status says the person left are deprovisioned all the same)", plan.CodeRemovalsHeld, invalid)
}

// Apply writes a plan through the store, as o says (in one transaction,
// or in batches reporting progress), and tells each row what happened.
// With an error, the result (nil when nothing began) counts the batches
// written before the store failed or ctx ended.
func Apply(ctx context.Context, s Store, p *plan.Plan, o apply.Options) (*plan.Result, error) {
	if p.Empty() {
		return &plan.Result{}, nil
	}
	res, err := s.Apply(ctx, p, o)
	if err != nil {
		return res, err
	}
	p.Settle(res)
	return res, nil
}

// Handover collects the heap at once and gives the memory it frees back
// to the system. A caller that lets go of the Checked (its rows and the
// live state) before applying the plan calls it there: the collector's
// next goal is then twice what the apply holds (the plan), not twice the
// planning's peak, which it would otherwise reach with the apply's garbage
// before collecting again (BENCHMARKS.md, "Memory at 100k": about 150-200
// MB less at the peak of a 100k-row apply); and the pages the planning
// used and the apply does not need leave the resident set now, where the
// runtime's background scavenger, paced at a fraction of a core, returned
// them only over the following seconds, the apply's own allocations
// meanwhile taking new pages (the apply's peak RSS was ~150 MB above its
// peak heap at 100k, session 8). Neither a limit nor a setting: a run
// whose apply holds more gets more.
func Handover() { debug.FreeOSMemory() }

// ResolveCompany returns id, or the store's only company when id is "".
func ResolveCompany(ctx context.Context, s Store, id string) (string, error) {
	if id != "" {
		return id, nil
	}
	cs, err := s.Companies(ctx)
	if err != nil {
		return "", err
	}
	switch len(cs) {
	case 0:
		return "", fmt.Errorf("%w: the store has no company yet: run `pbxsync init --seed FILE` first", pbx.ErrNotFound)
	case 1:
		return cs[0].ID, nil
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	sort.Strings(ids)
	return "", fmt.Errorf("the store holds %d companies (%v): say which with --company", len(cs), ids)
}

// withDefaults returns a copy of p whose rules give the defaults' values
// when the file has no column for their field.
func withDefaults(p *mapping.Profile, defaults map[pbx.Field]string) *mapping.Profile {
	q := *p
	q.Fields = make(map[pbx.Field]*mapping.Rule, len(p.Fields)+len(defaults))
	for f, r := range p.Fields {
		q.Fields[f] = r
	}
	for f, v := range defaults {
		r := &mapping.Rule{}
		if old := q.Fields[f]; old != nil {
			*r = *old
		}
		r.Default = v
		q.Fields[f] = r
	}
	return &q
}

func blocking(ps []*pbx.Problem) bool {
	for _, p := range ps {
		if p.Blocking() {
			return true
		}
	}
	return false
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%w: %s: %v", pbx.ErrRead, path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// mappedBatch is a run of records read from a roster and mapped, or the
// error that ended the reading.
type mappedBatch struct {
	recs   []roster.Record
	mapped []*mapping.Mapped
	err    error
}

// mappedBatchSize amortises the channel over enough rows that handing them
// over costs nothing next to validating them.
const mappedBatchSize = 512

// readMapped reads and maps the roster's records on a goroutine of its own,
// so that reading and mapping one batch overlaps validating the last: the
// roster is read once, in order, and the channel closes at the end of the
// file, after an error (sent as the last batch), or when ctx is done.
func readMapped(ctx context.Context, rd roster.Reader, bind *mapping.Binding) <-chan mappedBatch {
	out := make(chan mappedBatch, 4)
	go func() {
		defer close(out)
		send := func(b mappedBatch) bool {
			select {
			case out <- b:
				return true
			case <-ctx.Done():
				return false
			}
		}
		b := mappedBatch{}
		for {
			if ctx.Err() != nil {
				return
			}
			rec, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				if len(b.recs) > 0 && !send(b) {
					return
				}
				send(mappedBatch{err: err})
				return
			}
			b.recs = append(b.recs, rec)
			m := bind.Map(rec.Row, rec.Values)
			if rec.Numeric != nil { // cells a workbook stored as numbers, which lose leading zeros
				for i := range pbx.NumFields {
					if v := m.Values.Pos(i); v != nil && rec.IsNumeric(v.Cell.Col) {
						v.Numeric = true
					}
				}
			}
			b.mapped = append(b.mapped, m)
			if len(b.recs) == mappedBatchSize {
				if !send(b) {
					return
				}
				b = mappedBatch{recs: make([]roster.Record, 0, mappedBatchSize), mapped: make([]*mapping.Mapped, 0, mappedBatchSize)}
			}
		}
		if len(b.recs) > 0 {
			send(b)
		}
	}()
	return out
}

// leavesLater reports whether any row's person leaves after today.
func leavesLater(rows []*pbx.Row, today string) bool {
	for _, r := range rows {
		if r.LeavesLater(today) {
			return true
		}
	}
	return false
}
