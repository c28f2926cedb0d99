package validate

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// Policy says what a run may take from the live state: whom the roster's
// numbers and extensions may be moved away from.
type Policy struct {
	// Take lets the roster take a number held by a user it does not name, a
	// hunt group or an auto attendant, as an explicit move (the planner's
	// --take), and the extension of a deprovisioned user. Other extensions are
	// never taken.
	Take bool
	// Today (YYYY-MM-DD) and HoldDays judge whether a deprovisioned user
	// still holds their extension (pbx.User.ExtensionHold; plan.Options'
	// HoldDays): once released, it is free for any row.
	Today    string
	HoldDays int
	// Frees reports whether the run frees a live user's numbers and
	// extension: the leavers of a sync (plan.Scope.Manages of a user the
	// roster does not name). nil: nobody's.
	Frees func(u *pbx.User) bool
}

// Held applies the live-state rule that a number or an extension the rows
// ask for is not held by someone outside the roster (DOMAIN rules 3 and 5):
// a number assigned to a user the roster does not name, to a hunt group or
// to an auto attendant is CodeNumberTaken (unless pol.Take); an extension of
// such a user, of a user whose row keeps theirs, or of a hunt group or auto
// attendant is CodeExtensionTaken. A holder the run frees (pol.Frees), or a
// roster user whose row moves them to another number or extension, gives it
// up and is no conflict.
//
// These are the conflicts plan.Make finds with the same codes and the same
// policy; Held lets `pbxsync validate` show them without planning. It is not
// part of Live, because the importer hands those rows to the planner, which
// applies --take and a sync's leavers itself. Held reads st.Users,
// st.Numbers, st.Hunts, st.AAs and st.Sites.
func Held(st *pbx.State, rows []*pbx.Row, pol Policy) []*pbx.Problem {
	own := st.Company.ID
	byUser := make(map[pbx.UserID]*pbx.Row, len(rows))
	for _, r := range rows {
		byUser[r.User.ID] = r
	}
	frees := func(id pbx.UserID) bool {
		u := st.Users[id]
		return u != nil && pol.Frees != nil && pol.Frees(u)
	}

	// Who holds each extension, by dial plan: "scope/extension".
	holders := map[string]string{}
	for _, u := range st.Users {
		if u.Company == own && u.Extension != "" {
			holders[st.Site(u.Site).ExtScope()+"/"+string(u.Extension)] = "user:" + string(u.ID)
		}
	}
	for _, h := range st.Hunts {
		if h.Company == own && h.Extension != "" {
			holders["/"+string(h.Extension)] = string(pbx.MakeTarget(pbx.TargetHuntGroup, h.ID))
		}
	}
	for _, a := range st.AAs {
		if a.Company == own && a.Extension != "" {
			holders["/"+string(a.Extension)] = string(pbx.MakeTarget(pbx.TargetAutoAttendant, a.ID))
		}
	}

	var ps problems
	for _, r := range rows {
		for _, e := range r.Numbers {
			n := st.Numbers[e]
			if n == nil || n.Company != own || n.Target == "" || n.Target == pbx.UserTarget(r.User.ID) {
				continue // not in the inventory (Live says so), free, or the row's user's already
			}
			holder := n.Target.User()
			if holder != "" && (byUser[holder] != nil || frees(holder)) || pol.Take {
				continue
			}
			ps.add(rowFieldCell(r, pbx.FNumber), CodeNumberTaken, string(e), pbx.ErrConflict,
				fmt.Sprintf("number %s is assigned to %s, which the roster does not name", e, describeTarget(n.Target)),
				"leave the number off this row, or plan with --take to move it")
		}

		ext := r.User.Extension
		live := st.Users[r.User.ID]
		if live != nil && live.Company != own {
			live = nil
		}
		switch {
		case ext == "",
			r.ExtDerived && live != nil && live.Extension != "", // the user keeps theirs
			live != nil && live.Extension == ext && live.Site == r.User.Site:
			continue
		}
		holder, ok := holders[st.Site(r.User.Site).ExtScope()+"/"+string(ext)]
		if !ok {
			continue
		}
		f := pbx.FExtension
		if r.ExtDerived {
			f = pbx.FNumber
		}
		t := pbx.Target(holder)
		id := t.User()
		switch {
		case id == r.User.ID:
		case id == "":
			ps.add(rowFieldCell(r, f), CodeExtensionTaken, string(ext), pbx.ErrConflict,
				fmt.Sprintf("extension %s is the extension of %s", ext, describeTarget(t)),
				"choose another extension for this user")
		case byUser[id] != nil:
			if other := byUser[id]; other.User.Extension == "" || other.ExtDerived {
				ps.add(rowFieldCell(r, f), CodeExtensionTaken, string(ext), pbx.ErrConflict,
					fmt.Sprintf("extension %s is held by %s (row %d), whose row keeps it", ext, id, other.Line),
					"give one of the two another extension on the roster")
			} // else the other row moves them (or repeats it: duplicate.extension)
		case frees(id):
		case st.Users[id].Status == pbx.StatusDeprovisioned:
			if _, held := st.Users[id].ExtensionHold(pol.Today, pol.HoldDays); held && !pol.Take {
				ps.add(rowFieldCell(r, f), CodeExtensionOfLeaver, string(ext), pbx.ErrConflict, st.Users[id].HeldBy(ext, pol.HoldDays),
					"plan with --take to reclaim it from "+string(id)+" for this user now, or choose another extension")
			}
		default:
			ps.add(rowFieldCell(r, f), CodeExtensionTaken, string(ext), pbx.ErrConflict,
				fmt.Sprintf("extension %s is already used by %s, who is not on the roster", ext, id),
				"choose another extension, or change "+string(id)+"'s extension first")
		}
	}
	return ps
}

// describeTarget names what a number is assigned to.
func describeTarget(t pbx.Target) string {
	k, key := t.Split()
	switch k {
	case pbx.TargetHuntGroup:
		return "hunt group " + key
	case pbx.TargetAutoAttendant:
		return "auto attendant " + key
	case pbx.TargetUser:
		return "user " + key
	}
	return string(t)
}
