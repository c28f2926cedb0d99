package validate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// ExternalIDs applies the rule of a sync scoped by the HR id (--manage
// external-id), where the HR id is the person: no HR id on two rows. Unlike
// the other duplicates, every row of a repeated HR id gets the problem,
// naming the others: which of them is the person is for HR to say.
func ExternalIDs(rows []*pbx.Row) []*pbx.Problem {
	lines := map[string][]*pbx.Row{}
	var order []string
	for _, r := range rows {
		id := r.User.ExternalID
		if id == "" || !r.Has(pbx.FExternalID) {
			continue
		}
		if lines[id] == nil {
			order = append(order, id)
		}
		lines[id] = append(lines[id], r)
	}
	var ps problems
	for _, id := range order {
		rs := lines[id]
		if len(rs) < 2 {
			continue
		}
		for _, r := range rs {
			var others []string
			for _, o := range rs {
				if o != r {
					others = append(others, strconv.Itoa(o.Line)+" ("+string(o.User.ID)+")")
				}
			}
			ps.add(rowFieldCell(r, pbx.FExternalID), CodeDuplicateExternalID, id, pbx.ErrDuplicate,
				fmt.Sprintf("HR id %s is also on row %s: with --manage external-id the HR id is the person", id, strings.Join(others, ", ")),
				"one person has one row: fix the HR id on the wrong row, or remove the repeated one")
		}
	}
	return ps
}
