package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// What an HR export's rows say besides the users' attributes: a status that
// makes the row's person a leaver or keeps them as they are, an exit date,
// and (when a sync is scoped by the HR id) the HR id that names the person
// whatever their login.

// hrRows sorts the rows of a roster by what their HR columns ask for.
type hrRows struct {
	today string
	// gone are the users whose row says they have left, by user ID, with
	// their row: deprovisioned in sync and onboard alike, never deleted.
	gone map[pbx.UserID]*pbx.Row
	// kept are the users whose row keeps them as they are (leave of
	// absence): on the roster, so no leaver, and nothing planned.
	kept map[pbx.UserID]*pbx.Row
	// renamed are the rows whose HR id a live user of another login holds,
	// by line: the live user's login (and e-mail) changes in place.
	renamed map[int]renaming
	// later are the rows of people who leave after today.
	later []*pbx.Row
	// conflicts are rows refused for their HR id (two users swapping HR ids).
	conflicts map[int][]*pbx.Problem
}

// renaming is a live user's login that a row changes, under the same HR id.
type renaming struct {
	from, to   pbx.UserID
	externalID string
}

// emitRenames appends a Rename change for each renamed row, after every
// other change (which are planned under the login the user has).
// version is the version each user's last change leaves them at.
func (b *builder) emitRenames(p *Plan, version map[pbx.UserID]int64) {
	lines := make([]int, 0, len(b.hr.renamed))
	for line := range b.hr.renamed {
		lines = append(lines, line)
	}
	slices.Sort(lines)
	for _, line := range lines {
		rn := b.hr.renamed[line]
		o := b.users[rn.from]
		if o == nil || o.live == nil {
			continue
		}
		v, ok := version[rn.from]
		if !ok {
			v = o.live.Version
		}
		fcs := MakeFields(FieldChange{Field: AttrUserID, Before: string(rn.from), After: string(rn.to)})
		rows := b.ints.take(1)
		p.Changes = append(p.Changes, Change{Action: Rename, Kind: KindUser, Key: string(rn.from), Version: v, Fields: fcs,
			Reason: fmt.Sprintf("HR id %s: %s is now %s (the same person: numbers, devices, extension and history kept)", rn.externalID, rn.from, rn.to),
			Rows:   append(rows, line)})
	}
}

// onRoster reports whether the user's row keeps them or deprovisions them
// (the row is not planned as a user, but the user is named).
func (h *hrRows) onRoster(id pbx.UserID) bool {
	return h != nil && (h.gone[id] != nil || h.kept[id] != nil)
}

// Today is the date leavers are judged by: opts.Today, or the current
// date in UTC.
func Today(opts Options) string {
	if opts.Today != "" {
		return opts.Today
	}
	return time.Now().UTC().Format("2006-01-02")
}

// sortHR takes the rows of leavers and kept people out of rows (they are
// not planned as users) and renames the rows whose HR id a live user of
// another login holds to that user, returning the rows to plan.
func sortHR(st *pbx.State, rows []*pbx.Row, opts Options) ([]*pbx.Row, *hrRows) {
	h := &hrRows{today: Today(opts), gone: map[pbx.UserID]*pbx.Row{}, kept: map[pbx.UserID]*pbx.Row{},
		renamed: map[int]renaming{}, conflicts: map[int][]*pbx.Problem{}}
	var byExt map[string]*pbx.User
	var rowOfLogin map[pbx.UserID]*pbx.Row
	if opts.Manage.External {
		byExt = map[string]*pbx.User{}
		for _, u := range st.Users {
			if u.Company == st.Company.ID && u.ExternalID != "" {
				byExt[u.ExternalID] = u
			}
		}
		rowOfLogin = make(map[pbx.UserID]*pbx.Row, len(rows))
		for _, r := range rows {
			rowOfLogin[r.User.ID] = r
		}
	}
	out := make([]*pbx.Row, 0, len(rows))
	for _, r := range rows {
		switch {
		case r.Leaves(h.today):
			h.gone[r.User.ID] = r
			continue
		case r.HRStatus == pbx.HRKeep:
			h.kept[r.User.ID] = r
			continue
		case r.LeavesLater(h.today):
			h.later = append(h.later, r)
		}
		if byExt != nil && r.Has(pbx.FExternalID) && r.User.ExternalID != "" {
			if holder := byExt[r.User.ExternalID]; holder != nil && holder.ID != r.User.ID {
				if renamed := h.rename(st, r, holder, rowOfLogin); renamed != nil {
					out = append(out, renamed)
				}
				continue
			}
		}
		out = append(out, r)
	}
	return out, h
}

// rename returns row r planned for holder, the live user whose HR id it
// carries, or nil when that cannot be: the row's login is another live
// user's (two users swapping HR ids, or a login already taken), or the
// holder's login is on a row of its own.
func (h *hrRows) rename(st *pbx.State, r *pbx.Row, holder *pbx.User, rowOfLogin map[pbx.UserID]*pbx.Row) *pbx.Row {
	refuse := func(msg, hint string) *pbx.Row {
		h.conflicts[r.Line] = append(h.conflicts[r.Line], &pbx.Problem{
			Cell: r.CellOr(pbx.FExternalID), Severity: pbx.SevError, Code: CodeExternalIDSwap, Value: r.User.ExternalID,
			Message: msg, Hint: hint, Err: pbx.ErrConflict,
		})
		return nil
	}
	if other := rowOfLogin[holder.ID]; other != nil {
		if other.User.ExternalID != "" && other.User.ExternalID != holder.ExternalID {
			return refuse(fmt.Sprintf("HR id %s is %s's, whose own row %d gives them HR id %s: two users swapping HR ids", r.User.ExternalID, holder.ID, other.Line, other.User.ExternalID),
				fmt.Sprintf("rows %d and %d: HR ids do not change hands; fix the HR id on one of the rows, or change them by hand one at a time", r.Line, other.Line))
		}
		return refuse(fmt.Sprintf("HR id %s is %s's, who is on row %d too", r.User.ExternalID, holder.ID, other.Line),
			fmt.Sprintf("one person has one row: remove row %d or row %d", r.Line, other.Line))
	}
	if live := st.Users[r.User.ID]; live != nil {
		return refuse(fmt.Sprintf("HR id %s is %s's, and login %s is another user's (HR id %q)", r.User.ExternalID, holder.ID, r.User.ID, live.ExternalID),
			"check the HR id and the login of this row: renaming a user to a login another user holds is not done")
	}
	h.renamed[r.Line] = renaming{from: holder.ID, to: r.User.ID, externalID: r.User.ExternalID}
	c := *r
	c.User.ID = holder.ID
	return &c
}

// markGone makes the live, active users whose row says they have left
// leavers, in either mode; a sync touches only the users it manages (a
// leaver's row outside its scope changes nothing).
func (b *builder) markGone() {
	for id := range b.hr.gone {
		u := b.st.Users[id]
		if u == nil || b.opts.Mode == Sync && !b.opts.Manage.Manages(u) {
			continue
		}
		if u.Company == b.st.Company.ID && u.Status != pbx.StatusDeprovisioned {
			b.leavers[id] = true
		}
	}
}

// goneReason says why a leaver is deprovisioned, and the row that says so
// (0 for a leaver by absence from a sync's roster).
func (b *builder) goneReason(id pbx.UserID) (string, int) {
	r := b.hr.gone[id]
	if r == nil {
		return "leaver: managed (" + b.opts.Manage.String() + ") but not on the roster", 0
	}
	if r.ExitDate != "" {
		return fmt.Sprintf("leaver: left after %s (exit date of row %d)", r.ExitDate, r.Line), r.Line
	}
	return fmt.Sprintf("leaver: row %d's status says so", r.Line), r.Line
}

// absent is the number of leavers by absence from the roster, which the
// removal limit bounds; a row that says its person left is no accident of a
// truncated export.
func (b *builder) absent() int {
	n := 0
	for id := range b.leavers {
		if b.hr.gone[id] == nil {
			n++
		}
	}
	return n
}

// hrNotes are the notes a reader of the plan must know about the HR
// columns: who leaves later, who is kept as they are.
func (h *hrRows) notes() []string {
	var out []string
	for _, r := range h.later {
		out = append(out, fmt.Sprintf("row %d: %s leaves after %s (exit date, their last day): active through it, deprovisioned by the first run after it",
			r.Line, r.User.ID, r.ExitDate))
	}
	kept := make([]*pbx.Row, 0, len(h.kept))
	for _, r := range h.kept {
		kept = append(kept, r)
	}
	slices.SortFunc(kept, func(a, b *pbx.Row) int { return a.Line - b.Line })
	for _, r := range kept {
		out = append(out, fmt.Sprintf("row %d: %s is kept as they are (status says so, e.g. leave of absence): nothing is changed for them", r.Line, r.User.ID))
	}
	return out
}

// checkScope refuses a scope of a site the company does not have, naming
// the sites it has.
func checkScope(st *pbx.State, s Scope) error {
	if s.Site == "" {
		return nil
	}
	if _, ok := st.Sites[s.Site]; ok {
		return nil
	}
	var codes []string
	for code := range st.Sites {
		if code != "" {
			codes = append(codes, code)
		}
	}
	slices.Sort(codes)
	have := "it has no sites but the default"
	if len(codes) > 0 {
		have = "its sites are " + strings.Join(codes, ", ")
	}
	return fmt.Errorf("%w: --manage site=%s: company %s has no site %s; %s", pbx.ErrRefused, s.Site, st.Company.ID, s.Site, have)
}

// hrHolder is the live user that holds the HR id of row r under another
// login, or "".
func hrHolder(st *pbx.State, r *pbx.Row) pbx.UserID {
	if r.User.ExternalID == "" {
		return ""
	}
	for _, u := range st.Users {
		if u.Company == st.Company.ID && u.ExternalID == r.User.ExternalID && u.ID != r.User.ID {
			return u.ID
		}
	}
	return ""
}

// reclaimExtension gives row r the extension ext of holder, a deprovisioned
// user, with --take: cleared from the leaver in the same plan, a visible
// change. Without --take it is a conflict that says the holder has left.
// (How long a leaver's extension is held needs the date they were
// deprovisioned, which the store does not keep yet.)
func (b *builder) reclaimExtension(r *pbx.Row, holder pbx.UserID, ext pbx.Extension) {
	hu := b.st.Users[holder]
	_, held := hu.ExtensionHold(Today(b.opts), b.opts.HoldDays())
	switch {
	case !held:
		b.freeExtension(holder, fmt.Sprintf("deprovisioned %s's extension %s, released after its hold (deprovisioned on %s), goes to %s",
			holder, ext, hu.DeprovisionedAt, r.User.ID), r.Line)
	case !b.opts.Take:
		b.conflict(r, pbx.FExtension, CodeExtensionOfLeaver, string(ext), hu.HeldBy(ext, b.opts.HoldDays()),
			"run with --take to reclaim it from "+string(holder)+" for this user now, or choose another extension")
		return
	default:
		b.freeExtension(holder, fmt.Sprintf("deprovisioned %s's extension %s reclaimed for %s (--take)", holder, ext, r.User.ID), r.Line)
	}
	if o := b.user(holder); o != nil {
		o.u.Extension = ""
	}
}

// settleCallerIDs resets to the user's own number the caller ID of every
// user (not a leaver) whose caller ID is a number this plan returns to the
// company pool; a row that asks for such a caller ID, or for a number that
// is and stays in the pool, is a conflict: a caller ID may not name a pool
// number.
func (b *builder) settleCallerIDs() {
	toPool := map[string]pbx.E164{}
	for _, k := range b.numberList {
		if o := k.obj; o.n.Target == "" && o.live.Target != "" {
			toPool[string(o.n.E164)] = o.n.E164
		}
	}
	for _, r := range b.rows {
		cid := r.User.CallerID
		if !r.Has(pbx.FCallerID) || !strings.HasPrefix(cid, "+") {
			continue
		}
		n, touched := b.numbers[pbx.E164(cid)]
		live := b.st.Numbers[pbx.E164(cid)]
		if live == nil || live.Company != b.st.Company.ID {
			continue // validation says so
		}
		if touched && n.n.Target == "" || !touched && live.Target == "" {
			b.conflict(r, pbx.FCallerID, CodeCallerIDPool, cid,
				fmt.Sprintf("caller ID %s is a number of the company pool (assigned to no one) once this plan is applied", cid),
				"choose the user's own number, a hunt group's or auto attendant's number, or anonymous")
		}
	}
	if len(toPool) == 0 {
		return
	}
	for id, u := range b.st.Users {
		e, ok := toPool[u.CallerID]
		if !ok || u.Company != b.st.Company.ID || b.leavers[id] {
			continue
		}
		if r := b.rowOfUser(id); r != nil && r.Has(pbx.FCallerID) {
			continue // the row's caller ID is checked above
		}
		o := b.user(id)
		o.u.CallerID = ""
		o.add(fmt.Sprintf("caller ID %s returns to the pool: reset to %s's own number", e, id), b.rowOf(id))
	}
}

// checkVoiceOff makes a conflict of each row that turns voice service off
// for a user who ends the plan holding numbers (only voice-enabled users
// hold numbers, DOMAIN rule 7): the row names them. An empty number cell in
// a sync un-assigns them in the same plan.
func (b *builder) checkVoiceOff() {
	for i, r := range b.rows {
		if !r.Has(pbx.FVoiceEnabled) || r.User.VoiceEnabled || b.rowUsers[i].u.VoiceEnabled {
			continue
		}
		target := pbx.UserTarget(r.User.ID)
		var held []string
		for _, e := range b.ix.numbers[r.User.ID] {
			if o, ok := b.numbers[e]; !ok || o.n.Target == target {
				held = append(held, string(e))
			}
		}
		for _, e := range r.Numbers {
			if !slices.Contains(held, string(e)) {
				held = append(held, string(e))
			}
		}
		if len(held) == 0 {
			continue
		}
		b.conflict(r, pbx.FVoiceEnabled, CodeVoiceOffHoldsNumbers, strings.Join(held, ", "),
			fmt.Sprintf("voice service off for %s, who holds %s: only voice-enabled users hold numbers", r.User.ID, strings.Join(held, ", ")),
			"take the numbers off first (an empty number cell in a --mode sync run returns them to the pool), or keep voice on")
	}
}
