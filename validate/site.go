package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// checkSite resolves the row's site: a code of st.Sites (matched without
// regard to case) when given, else the company's default site. An unknown
// code is a problem; the row's other values are then checked against the
// default site.
func (rc *rowCheck) checkSite() {
	st := rc.c.st
	code, _ := rc.text(xSite)
	if rc.c.defaultSite == nil {
		rc.c.defaultSite = st.Site("")
	}
	rc.site = rc.c.defaultSite
	if code == "" {
		return
	}
	if s, ok := st.Sites[code]; ok {
		rc.site, rc.row.User.Site = s, s.Code
		return
	}
	for k, s := range st.Sites {
		if k != "" && strings.EqualFold(k, code) {
			rc.site, rc.row.User.Site = s, s.Code
			return
		}
	}
	rc.ps.add(rc.cell(xSite), CodeSiteUnknown, code, pbx.ErrNotFound,
		fmt.Sprintf("site %q is not a site of company %s", code, st.Company.ID),
		siteHint(st))
}

// siteHint lists the site codes a row may use.
func siteHint(st *pbx.State) string {
	var codes []string
	for k := range st.Sites {
		if k != "" {
			codes = append(codes, k)
		}
	}
	if len(codes) == 0 {
		return "the company has no named sites: leave the site empty"
	}
	slices.Sort(codes)
	return "use one of the site codes " + strings.Join(codes, ", ") + ", or leave it empty for the default site"
}

// siteName names a site in a message.
func siteName(s *pbx.Site) string {
	if s.Code == "" {
		return "the default site"
	}
	return "site " + s.Code
}
