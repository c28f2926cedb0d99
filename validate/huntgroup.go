package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// checkHuntGroups reads the hunt-group cell: the groups the user belongs
// to, by id or name, several separated by ";", "," or "|" (the mapping's
// multi split). A group named twice counts once. An empty cell lists none:
// in a sync the user then leaves every group (see plan), so it is not a
// field an empty cell leaves alone. Whether the company has each group is a
// live rule (liveHuntGroupRules).
func (rc *rowCheck) checkHuntGroups() {
	text, ok := rc.text(xHuntGroups)
	if !ok {
		return
	}
	parts := rc.parts[2]
	if parts == nil {
		parts = []string{text}
	}
	gs := make([]string, 0, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || containsFold(gs, p) {
			continue
		}
		gs = append(gs, p)
	}
	rc.row.HuntGroups = gs
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// liveHuntGroupRules: every hunt group the row names is one of the
// company's, by id or name.
func liveHuntGroupRules(ps *problems, st *pbx.State, r *pbx.Row) {
	for _, g := range r.HuntGroups {
		if st.HuntGroupByRef(g) != nil {
			continue
		}
		ps.add(rowFieldCell(r, pbx.FHuntGroups), CodeHuntGroupUnknown, g, pbx.ErrNotFound,
			fmt.Sprintf("%q is not a hunt group of company %s, by id or name; its hunt groups are: %s", g, st.Company.ID, st.HuntGroupNames()),
			"write the id or name of one of the company's hunt groups (several separated by ;), or add the group to the PBX first")
	}
}
