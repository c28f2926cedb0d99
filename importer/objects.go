package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
	"github.com/pbxsync/pbxsync/roster"
	"github.com/pbxsync/pbxsync/validate"
)

// Day-two files (numbers, sites, models, hunt groups, auto attendants) go
// through the same pipeline as user rosters: read (CSV or XLSX), map with
// the kind's built-in profile, validate by cell, plan against the live
// state (plan.Objects), apply in batches through the Store, audited and
// revertable. A file says its kind with Source.Kind (pbxsync --kind), or
// by its header when that is unambiguous (FileKind).

// CodeKindAmbiguous: the header fits several kinds of file.
const CodeKindAmbiguous = "header.kind_ambiguous"

// userOnly are the fields only a user roster has: a header that binds one
// of them is a roster whatever else it has.
var userOnly = []pbx.Field{pbx.FUserID, pbx.FFirstName, pbx.FLastName, pbx.FEmail, pbx.FMAC}

// FileKind says which kind of file src is: the one it names, else the one
// its header names. detected is true when the header decided.
func FileKind(src Source) (kind plan.FileKind, detected bool, err error) {
	if src.Kind != "" {
		if src.Kind != plan.FileUsers && src.Kind.KindOf() == "" {
			return "", false, fmt.Errorf("--kind %q: want one of %s", src.Kind, kindList())
		}
		return src.Kind, false, nil
	}
	if src.Profile != nil { // a mapping profile is a user roster's
		return plan.FileUsers, false, nil
	}
	rd, err := roster.Open(src.Path, src.Read)
	if err != nil {
		return "", false, err
	}
	headers := rd.Headers()
	rd.Close()
	kinds := mapping.DetectKind(headers)
	if len(kinds) == 0 {
		return plan.FileUsers, false, nil
	}
	// A column of a user row that no day-two file of the kinds found has
	// (a login, an e-mail, a MAC) makes it a roster whatever else it has.
	if p, err := mapping.Builtin("pbxsync"); err == nil {
		bind, _ := p.Bind("", "", 1, headers)
		for _, pl := range bind.Describe() {
			if pl.Cell.Col >= 0 && slices.Contains(userOnly, pl.Field) && !kindsHave(kinds, headers[pl.Cell.Col]) {
				return plan.FileUsers, true, nil
			}
		}
	}
	if len(kinds) > 1 {
		return "", false, fmt.Errorf("%w: %s: its header (%s) fits files of %s: say which with --kind (%s)", pbx.ErrRead,
			filepath.Base(src.Path), strings.Join(headers, ", "), strings.Join(kinds, " and "), kindList())
	}
	return plan.FileKind(kinds[0]), true, nil
}

// kindsHave reports whether a column of one of kinds is named h.
func kindsHave(kinds []string, h string) bool {
	for _, k := range kinds {
		if p, ok := mapping.KindProfileOf(k); ok && p.Has(h) {
			return true
		}
	}
	return false
}

func kindList() string {
	names := make([]string, len(plan.FileKinds))
	for i, k := range plan.FileKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// checkObjects reads, maps and validates a day-two file of kind fk against
// the live state of company.
func checkObjects(ctx context.Context, s Store, src Source, company, hash string, fk plan.FileKind) (*Checked, []plan.Object, error) {
	st, err := s.Load(ctx, company)
	if err != nil {
		return nil, nil, err
	}
	c := &Checked{File: filepath.Base(src.Path), Hash: hash, Company: company, State: st, Kind: fk, Profile: string(fk) + " file", live: map[*pbx.Problem]bool{}}
	prof, _ := mapping.KindProfileOf(string(fk))
	rd, err := roster.Open(src.Path, src.Read)
	if err != nil {
		return nil, nil, err
	}
	defer rd.Close()
	bind, ps := prof.Bind(rd.File(), rd.Sheet(), rd.HeaderRow(), rd.Headers())
	c.Problems = append(c.Problems, rd.HeaderProblems()...)
	c.Problems = append(c.Problems, ps...)
	c.Unknown = bind.Unknown
	if c.fileBlocked() {
		return c, nil, nil
	}
	var rows []validate.ObjectRow
	byLine := map[int][]*pbx.Problem{}
	var lines []int
	keyOf := map[int]string{}
	for {
		rec, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		c.Total++
		lines = append(lines, rec.Row)
		byLine[rec.Row] = append(byLine[rec.Row], rec.Problems...)
		r := validate.ObjectRow{Line: rec.Row, Fields: map[string]string{}}
		for f := range bind.Cols {
			r.Fields[f], _ = bind.Get(rec.Values, f)
		}
		row := rec.Row
		r.Cell = func(f string) pbx.Cell { return bind.Cell(rd.File(), rd.Sheet(), row, f) }
		keyOf[rec.Row] = r.Fields[mapping.KindKey]
		if keyOf[rec.Row] == "" && r.Fields[mapping.KindAreaCode] != "" {
			keyOf[rec.Row] = "area code " + r.Fields[mapping.KindAreaCode]
		}
		if !rec.Blocking() {
			rows = append(rows, r)
		}
	}
	objs, asks, vps := validate.ObjectRows(fk, st, rows)
	for _, p := range vps {
		byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
	}
	picked, aps, err := pickAreas(ctx, s, st, objs, asks)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range aps {
		byLine[p.Cell.Row] = append(byLine[p.Cell.Row], p)
	}
	objs = append(objs, picked...)
	slices.SortStableFunc(objs, func(a, b plan.Object) int { return a.Line - b.Line })
	for _, line := range lines {
		ps := byLine[line]
		c.Problems = append(c.Problems, ps...)
		if blocking(ps) {
			c.Invalid = append(c.Invalid, plan.RowPlan{Line: line, Key: keyOf[line], Status: plan.StatusInvalid, Problems: ps})
		}
	}
	objs = slices.DeleteFunc(objs, func(o plan.Object) bool { return blocking(byLine[o.Line]) })
	c.objLines, c.objKeys = lines, keyOf
	return c, objs, nil
}

// pickAreas picks the numbers of the rows that buy by area code: the
// company is to hold Quantity numbers of the area code (at the row's site
// when it gives one), so a row applied again buys nothing more; the
// numbers it lacks are the lowest free ones of the area code that no
// company holds and no other row of the file names (validate.AreaNumbers).
func pickAreas(ctx context.Context, s Store, st *pbx.State, objs []plan.Object, asks []validate.AreaAsk) ([]plan.Object, []*pbx.Problem, error) {
	taken := map[pbx.E164]bool{}
	for _, o := range objs {
		taken[pbx.E164(o.Key)] = true
	}
	var out []plan.Object
	held := func(cands []pbx.E164) (map[pbx.E164]bool, error) {
		if err := s.LoadForeign(ctx, st, pbx.Keys{Numbers: cands}); err != nil {
			return nil, err
		}
		h := map[pbx.E164]bool{}
		for _, e := range cands {
			if st.Numbers[e] != nil || taken[e] {
				h[e] = true
			}
		}
		return h, nil
	}
	problems, err := validate.PickAreas(st, asks, held, func(o plan.Object) {
		taken[pbx.E164(o.Key)] = true
		out = append(out, o)
	})
	return out, problems, err
}

// planObjects checks and plans a day-two file.
func planObjects(ctx context.Context, s Store, src Source, opts Options, company, hash string, fk plan.FileKind) (*plan.Plan, *Checked, error) {
	c, objs, err := checkObjects(ctx, s, src, company, hash, fk)
	if err != nil {
		return nil, c, err
	}
	if c.fileBlocked() {
		return nil, c, fmt.Errorf("%w: %s: the header has problems; fix them before planning: %s", pbx.ErrRead, c.File, c.fileProblem())
	}
	p := plan.Objects(c.State, objs, fk)
	p.Roster, p.RosterHash, p.Generation = c.File, c.Hash, c.State.Generation
	p.OptionsHash, err = OptionsHash(company, src, opts.Plan)
	if err != nil {
		return nil, c, err
	}
	warnings := c.warnRows(p)
	planned := map[int]bool{}
	for _, r := range p.Rows {
		planned[r.Line] = true
	}
	for _, r := range c.Invalid {
		planned[r.Line] = true
	}
	var quiet []plan.RowPlan // rows that ask for nothing new: an area code the company holds enough of, a number removed already
	for _, line := range c.objLines {
		if !planned[line] {
			quiet = append(quiet, plan.RowPlan{Line: line, Key: c.objKeys[line], Status: plan.StatusUnchanged, Problems: warnings[line]})
		}
	}
	p.AddRows(append(quiet, c.Invalid...))
	return p, c, nil
}

// SeedObjects are the objects of a seed as day-two files would give them:
// its sites, device models, numbers (with their site, label, routing and
// holiday routing), hunt groups and auto attendants (with the numbers the
// seed routes to them). Planned against a company in the store
// (plan.Objects, FileSeed), they add what it lacks and change what
// differs; nothing is removed. notes say what a seed of an existing
// company does not change (its name and plan, numbers' user targets).
func SeedObjects(sd *pbx.Seed, st *pbx.State) (objs []plan.Object, notes []string) {
	c := sd.Company
	if c.Name != st.Company.Name || c.Plan != st.Company.Plan || c.SMS != st.Company.SMS {
		notes = append(notes, fmt.Sprintf("the company's name, plan and SMS are not changed by a seed of a company in the store (the seed has %q, plan %s; the store %q, plan %s)",
			c.Name, c.Plan, st.Company.Name, st.Company.Plan))
	}
	for _, s := range sd.Sites {
		f := plan.SiteFields(&s)
		delete(f, plan.AttrLocation) // a seed has no site address: one a sites file set stays
		objs = append(objs, plan.Object{Kind: plan.KindSite, Key: s.Code, Fields: f})
	}
	for _, m := range sd.Models {
		objs = append(objs, plan.Object{Kind: plan.KindModel, Key: m.Name, Fields: map[string]string{plan.AttrVendor: m.Vendor,
			plan.AttrDeviceKind: string(m.Kind), plan.AttrPorts: fmt.Sprint(m.Ports), plan.AttrMaxLines: fmt.Sprint(m.MaxLines), plan.AttrOUIs: strings.Join(m.OUIs, ",")}})
	}
	routed := map[pbx.Target][]pbx.E164{}
	users := 0
	for _, n := range sd.Numbers {
		f := map[string]string{plan.AttrSite: n.Site, plan.AttrLabel: n.Label, plan.AttrHolidayRouting: string(n.HolidayRouting)}
		if live := st.Numbers[n.E164]; live == nil || live.Target == "" || live.Target == n.Target {
			f[plan.AttrRouting] = string(n.Routing) // an assigned number's routing is its assignment's
		}
		objs = append(objs, plan.Object{Kind: plan.KindNumber, Key: string(n.E164), Fields: f})
		switch k, _ := n.Target.Split(); k {
		case pbx.TargetHuntGroup, pbx.TargetAutoAttendant:
			routed[n.Target] = append(routed[n.Target], n.E164)
		case pbx.TargetUser:
			users++
		}
	}
	if users > 0 {
		notes = append(notes, fmt.Sprintf("%d number(s) of the seed name a user: a seed of a company in the store does not assign numbers to users (a roster does)", users))
	}
	for _, g := range sd.Hunts {
		objs = append(objs, plan.Object{Kind: plan.KindHuntGroup, Key: g.ID, Fields: map[string]string{plan.AttrName: g.Name, plan.AttrExtension: string(g.Extension)},
			Numbers: routed[pbx.MakeTarget(pbx.TargetHuntGroup, g.ID)]})
	}
	for _, a := range sd.AAs {
		objs = append(objs, plan.Object{Kind: plan.KindAutoAttendant, Key: a.ID, Fields: map[string]string{plan.AttrName: a.Name, plan.AttrExtension: string(a.Extension)},
			Numbers: routed[pbx.MakeTarget(pbx.TargetAutoAttendant, a.ID)]})
	}
	return objs, notes
}

// PlanSeed plans a seed of a company in the store as the difference
// between the seed and the live state (SeedObjects).
func PlanSeed(ctx context.Context, s Store, sd *pbx.Seed, path string) (*plan.Plan, error) {
	st, err := s.Load(ctx, sd.Company.ID)
	if err != nil {
		return nil, err
	}
	hash, err := hashFile(path)
	if err != nil {
		return nil, err
	}
	objs, notes := SeedObjects(sd, st)
	p := plan.Objects(st, objs, plan.FileSeed)
	p.Roster, p.RosterHash, p.Generation = filepath.Base(path), hash, st.Generation
	p.Notes = append(p.Notes, notes...)
	return p, nil
}
