package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Buying numbers by area code and quantity, as the portals do: a row
// "650, 50" says the company is to hold 50 numbers of area code 650 (at
// the row's site, when it gives one). The numbers it lacks are picked in
// a fixed order, lowest first: +1 650 555 0100 to 0199 (the range kept
// for fiction, and for tests), then +1 650 200 0000 upwards, skipping the
// exchanges no carrier gives (N11, 555, 958, 959, 976). A number is picked
// only when no company holds it and no other row of the file names it, so
// the same file against the same store picks the same numbers, and a file
// applied again picks none.

// CodeAreaExhausted: no free number of the area code is left to pick.
const CodeAreaExhausted = "number.area_exhausted"

// AreaCandidate is the i-th number tried for area code area, or "" past
// the last.
func AreaCandidate(area string, i int) pbx.E164 {
	if i < 100 {
		return pbx.E164(fmt.Sprintf("+1%s5550%03d", area, 100+i))
	}
	i -= 100
	for ex := 200; ex <= 999; ex++ {
		if ex%100 == 11 || ex == 555 || ex == 958 || ex == 959 || ex == 976 {
			continue
		}
		if i < 10000 {
			return pbx.E164(fmt.Sprintf("+1%s%03d%04d", area, ex, i))
		}
		i -= 10000
	}
	return ""
}

// areaBatch is how many candidates are asked about at once.
const areaBatch = 512

// PickAreas picks the numbers each ask lacks, calling add with each as an
// object of the inventory; held says which of some candidates a company
// holds (or the file names). Two rows of one area code and site are a
// problem on the second.
func PickAreas(st *pbx.State, asks []AreaAsk, held func([]pbx.E164) (map[pbx.E164]bool, error), add func(plan.Object)) ([]*pbx.Problem, error) {
	var ps problems
	seen := map[string]int{}
	next := map[string]int{} // area code -> next candidate index
	for _, a := range asks {
		site := a.Object.Fields[plan.AttrSite]
		k := a.AreaCode + "/" + site
		if at, dup := seen[k]; dup {
			ps.add(a.Cell, CodeObjectDuplicate, a.AreaCode, pbx.ErrConflict,
				fmt.Sprintf("area code %s%s is asked for on row %d too", a.AreaCode, atSite(site), at),
				"give one row per area code and site, with the whole quantity the company is to hold")
			continue
		}
		seen[k] = a.Line
		have := 0
		prefix := "+1" + a.AreaCode
		for e, n := range st.Numbers {
			if n.Company == st.Company.ID && strings.HasPrefix(string(e), prefix) && (site == "" || n.Site == site) {
				have++
			}
		}
		want := a.Quantity - have
		var picked []pbx.E164
		for want > 0 {
			var cands []pbx.E164
			for len(cands) < areaBatch {
				e := AreaCandidate(a.AreaCode, next[a.AreaCode])
				if e == "" {
					break
				}
				next[a.AreaCode]++
				cands = append(cands, e)
			}
			if len(cands) == 0 {
				ps.add(a.Cell, CodeAreaExhausted, a.AreaCode, pbx.ErrConflict,
					fmt.Sprintf("only %d free numbers of area code %s were found for the %d asked", len(picked), a.AreaCode, want+len(picked)),
					"ask for fewer, or another area code")
				picked = nil
				break
			}
			h, err := held(cands)
			if err != nil {
				return nil, err
			}
			for _, e := range cands {
				if want > 0 && !h[e] {
					picked = append(picked, e)
					want--
				}
			}
		}
		for i, e := range picked {
			o := a.Object
			o.Key, o.Line = string(e), a.Line
			o.Why = fmt.Sprintf("area code %s: %d of the %d the company lacks of the %d the row asks for", a.AreaCode, i+1, len(picked), a.Quantity)
			add(o)
		}
	}
	return ps, nil
}

func atSite(site string) string {
	if site == "" {
		return ""
	}
	return " at site " + site
}
