package plan

import (
	"fmt"
	"sort"
	"time"

	"github.com/pbxsync/pbxsync/pbx"
)

// DefaultRetentionDays is how long `pbxsync erase` keeps a deprovisioned
// user by default: a year after the day of the deprovision.
const DefaultRetentionDays = 365

// Erase plans the erasure (GDPR: the deletion for good) of the company's
// users deprovisioned more than retentionDays days before today
// (YYYY-MM-DD): one delete change per user, keyed by login and checking
// the version read in st. It is never part of a roster sync, and it only
// ever removes a deprovisioned user whose day of deprovision is recorded
// (a user deprovisioned before pbxsync recorded the day is dated by the
// migration that added it). A user who still holds a number, a device
// port, a number membership or a place in a hunt group is not erased: its row is a conflict that
// says what to take away first.
//
// A change carries no personal data in its fields (only the status that
// goes): the store, when it writes the erasure, also replaces the
// person's login, e-mail and names in the audit log's earlier records
// with a pseudonym (see sqlstore's erase.go), so the erasure's own record
// is the only one that names the login, as the proof that it was erased.
func Erase(st *pbx.State, today string, retentionDays int) (*Plan, error) {
	day, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return nil, fmt.Errorf("%w: today %q is not a date as YYYY-MM-DD", pbx.ErrInvalid, today)
	}
	if retentionDays < 0 {
		return nil, fmt.Errorf("%w: a retention of %d days: want 0 or more", pbx.ErrInvalid, retentionDays)
	}
	before := day.AddDate(0, 0, -retentionDays).Format(time.DateOnly) // deprovisioned before this day: erased
	p := &Plan{Format: FormatVersion, Company: st.Company.ID, Mode: Erasing, CreatedAt: time.Now().UTC()}
	p.Notes = append(p.Notes, fmt.Sprintf("erases the users deprovisioned before %s (a retention of %d days on %s)", before, retentionDays, today))
	held := map[pbx.UserID][]string{}
	for _, n := range st.Numbers {
		if u := n.Target.User(); u != "" {
			held[u] = append(held[u], "number "+string(n.E164))
		}
	}
	for _, l := range st.Lines {
		if l.User != "" {
			held[l.User] = append(held[l.User], fmt.Sprintf("port %d of device %s", l.Port, l.MAC.String()))
		}
	}
	for _, m := range st.Members {
		held[m.User] = append(held[m.User], fmt.Sprintf("%s access to number %s", m.Role, m.Number))
	}
	for _, g := range st.Hunts {
		for _, m := range g.Members {
			held[m.User] = append(held[m.User], "a place in hunt group "+g.ID)
		}
	}
	var ids []pbx.UserID
	for id, u := range st.Users {
		if u.Company == st.Company.ID && u.Status == pbx.StatusDeprovisioned && u.DeprovisionedAt != "" && u.DeprovisionedAt < before {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		u := st.Users[id]
		rp := RowPlan{Key: string(id), Status: StatusDeprovisioned}
		if h := held[id]; len(h) > 0 {
			sort.Strings(h)
			rp.Status = StatusConflict
			rp.Problems = []*pbx.Problem{{Cell: pbx.Cell{Col: -1}, Severity: pbx.SevError, Code: CodeEraseHolds, Value: string(id),
				Message: fmt.Sprintf("%s, deprovisioned on %s, still holds %v: not erased", id, u.DeprovisionedAt, h),
				Hint:    "take these away first (a sync or a roster row), then erase again", Err: pbx.ErrConflict}}
		} else {
			p.Changes = append(p.Changes, Change{Action: Delete, Kind: KindUser, Key: string(id), Version: u.Version,
				Fields: MakeFields(FieldChange{Field: AttrStatus, Before: string(u.Status)}),
				Reason: fmt.Sprintf("erased: deprovisioned on %s, more than %d days before %s", u.DeprovisionedAt, retentionDays, today)})
			rp.Changes = []int{len(p.Changes) - 1}
		}
		p.Rows = append(p.Rows, rp)
	}
	p.Summary = summarise(p)
	return p, nil
}
