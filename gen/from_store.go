package gen

import (
	"context"
	"fmt"
	"sort"

	"github.com/pbxsync/pbxsync/importer"
)

// RosterFromStore loads spec.Company ("" = the store's only company) from st
// and makes a roster for it with NewRoster, placing the company among the
// store's companies by ID.
func RosterFromStore(ctx context.Context, st importer.Store, spec RosterSpec) (*Roster, error) {
	company, err := importer.ResolveCompany(ctx, st, spec.Company)
	if err != nil {
		return nil, err
	}
	spec.Company = company
	cs, err := st.Companies(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	sort.Strings(ids)
	slot := sort.SearchStrings(ids, company)
	if slot == len(ids) || ids[slot] != company {
		return nil, fmt.Errorf("company %q is not in the store; the store has %d companies", company, len(ids))
	}
	live, err := st.Load(ctx, company)
	if err != nil {
		return nil, err
	}
	return NewRoster(live, slot, len(ids), spec)
}
