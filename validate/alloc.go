package validate

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"github.com/pbxsync/pbxsync/pbx"
)

// Numbers and extensions taken from the pool: a number cell "auto" takes a
// free number of the company's pool of the row's site, "auto:650" one of
// area code 650; an extension cell "auto" takes the last digits of the row's
// number at the site's length or, where that is taken or there is no
// number, the site's next free extension. Checker.Allocate does the same
// for blank cells. The cells are read by the row rules (Check); the picks
// are made by Allocate, once every row is read, so that they are
// deterministic (rows in roster order, numbers and extensions in ascending
// order), never collide with what another row gives or picks, and a user
// who already holds a number or an extension keeps it.

const (
	// CodeNumberAutoInvalid: a number cell says "auto:" with something
	// other than an area code.
	CodeNumberAutoInvalid = "number.auto_invalid"
	// CodePoolExhausted: the pool has no free number left for the row.
	CodePoolExhausted = "number.pool_exhausted"
	// CodeExtensionsExhausted: the site's range has no free extension left.
	CodeExtensionsExhausted = "extension.range_exhausted"
)

// ErrPool is wrapped by the problems of a pool that cannot serve a row.
var ErrPool = errors.New("the pool cannot serve the row")

// autoNumber reads a number cell's value p as a request for a number from
// the pool ("auto", "auto:650") and reports whether it was one.
func (rc *rowCheck) autoNumber(f fx, p string) bool {
	word, area, colon := strings.Cut(p, ":")
	if !strings.EqualFold(strings.TrimSpace(word), "auto") {
		return false
	}
	area = strings.TrimSpace(area)
	if colon && (!allDigits(area) || len(area) > 5) {
		rc.ps.add(rc.cell(f), CodeNumberAutoInvalid, p, pbx.ErrNumber,
			fmt.Sprintf("%q asks for a number from the pool, but %q is not an area code", p, area),
			"write auto for a number of the row's site, or auto:650 for one of area code 650")
		return true
	}
	a := rc.alloc()
	a.Number, a.Area = true, area
	return true
}

// alloc returns the row's request from the pool, made on first need.
func (rc *rowCheck) alloc() *pbx.Alloc {
	if rc.row.Alloc == nil {
		rc.row.Alloc = &pbx.Alloc{}
	}
	return rc.row.Alloc
}

// Allocate makes the picks the rows ask for (pbx.Row.Alloc) against st:
// each row, in order, gets the number its user holds in the pool asked for,
// else the lowest free number of that pool (not assigned, not given or
// picked on another row); then the extension its user holds, else the last
// digits of its number at the site's length, else the lowest free one of
// the site's length, outside its reserved ranges and the extensions of
// users (deprovisioned ones too), hunt groups, auto attendants and the
// other rows. The picks go into the rows (Numbers, User.Extension, Alloc).
//
// A row that cannot be served gets a blocking problem naming the pool and
// how many of its numbers are free, and takes nothing (not its extension
// either). Rows with a faulty value, rows of leavers by today and of people
// kept as they are (pbx.HRKeep), and rows of users without voice service get
// no number. Run it before Roster and Live,
// which then check the picks as any value.
func Allocate(st *pbx.State, rows []*pbx.Row, today string) []*pbx.Problem {
	if !slices.ContainsFunc(rows, func(r *pbx.Row) bool { return r.Alloc != nil }) {
		return nil // nothing asked: the pool is not indexed (a roster in slices calls this once a slice)
	}
	a := newAllocator(st, rows, today)
	var ps problems
	for i, r := range rows {
		if a.skip(r) {
			continue
		}
		site := a.rowSite[i]
		req := r.Alloc
		if req.Number {
			if !a.number(r, site, &ps) {
				r.SetFaulty(pbx.FNumber)
				continue
			}
		}
		if req.Ext {
			if !a.extension(r, site, &ps) {
				r.SetFaulty(pbx.FExtension)
			}
		}
	}
	return ps
}

// allocator is the state of one Allocate. Its indexes are built once: the
// pool's free numbers sorted (an area code's are a run of them, found by
// binary search), the free numbers of each site in one pass, extensions in
// use by scope, and a cursor per scope and length for the next free
// extension, so that no row costs more than its own picks.
type allocator struct {
	st    *pbx.State
	rows  []*pbx.Row
	today string

	rowSite []*pbx.Site // the site of each row that asks (site); nil for the others

	taken  map[pbx.E164]bool     // numbers given or picked on a row
	pools  map[poolKey]*pool     // free numbers by request
	free   []pbx.E164            // the pool's free numbers, ascending
	bySite map[string][]pbx.E164 // free numbers by the code of the site they resolve to, ascending; made on first need
	held   map[pbx.UserID][]pbx.E164
	areas  map[areaKey]string // E.164 prefix of an area code in a region

	used    map[extKey]bool // extensions in use
	cursors map[extKey]int  // the next extension to try per scope and length (ext: the length)
	asks    map[poolKey]int // how many rows ask each pool
}

// poolKey names a pool: the free numbers of an area code (area is its
// E.164 prefix, "+1650") or of a site (its code).
type poolKey struct{ area, site string }

// areaKey is an area code in a region.
type areaKey struct{ region, area string }

// extKey is an extension in the scope of a dial plan ("" = the company's).
type extKey struct {
	scope string
	ext   pbx.Extension
}

// pool is the free numbers a kind of request takes from, and the next to try.
type pool struct {
	name string // "area code 650", "site sf"
	nums []pbx.E164
	next int
	free int // how many of nums no row names itself
}

func newAllocator(st *pbx.State, rows []*pbx.Row, today string) *allocator {
	a := &allocator{st: st, rows: rows, today: today, taken: make(map[pbx.E164]bool, len(rows)), pools: map[poolKey]*pool{},
		held: map[pbx.UserID][]pbx.E164{}, areas: map[areaKey]string{}, used: make(map[extKey]bool, len(rows)+len(st.Users)),
		cursors: map[extKey]int{}, asks: map[poolKey]int{}}
	for _, r := range rows {
		for _, e := range r.Numbers {
			a.taken[e] = true
		}
		if r.User.Extension != "" && (r.Alloc == nil || !r.Alloc.Ext) {
			a.used[extKey{a.site(r).ExtScope(), r.User.Extension}] = true
		}
	}
	for _, l := range st.Lines { // a common-area phone's number is in the pool, not free
		if l.User == "" && l.Number != "" {
			a.taken[l.Number] = true
		}
	}
	for e, n := range st.Numbers {
		if n.Company != st.Company.ID {
			continue
		}
		switch {
		case n.Target == "":
			a.free = append(a.free, e)
		case n.Target.User() != "":
			a.held[n.Target.User()] = append(a.held[n.Target.User()], e)
		}
	}
	slices.Sort(a.free)
	for _, hs := range a.held {
		slices.Sort(hs)
	}
	for _, u := range st.Users {
		if u.Company == st.Company.ID && u.Extension != "" {
			a.used[extKey{st.Site(u.Site).ExtScope(), u.Extension}] = true
		}
	}
	var groups []pbx.Extension
	for _, h := range st.Hunts {
		if h.Company == st.Company.ID && h.Extension != "" {
			groups = append(groups, h.Extension)
		}
	}
	for _, aa := range st.AAs {
		if aa.Company == st.Company.ID && aa.Extension != "" {
			groups = append(groups, aa.Extension)
		}
	}
	for _, e := range groups { // a group's extension is taken in every dial plan
		a.used[extKey{"", e}] = true
		for _, s := range st.Sites {
			a.used[extKey{s.ExtScope(), e}] = true
		}
	}
	a.rowSite = make([]*pbx.Site, len(rows))
	for i, r := range rows {
		if a.skip(r) {
			continue
		}
		site := a.site(r)
		a.rowSite[i] = site
		if r.Alloc.Number && a.keep(r, site) == "" {
			a.asks[a.poolKey(r, site)]++
		}
	}
	return a
}

// skip reports whether r asks for nothing the allocator may give.
func (a *allocator) skip(r *pbx.Row) bool {
	return r.Alloc == nil || r.AnyFaulty() || r.User.ID == "" || r.HRStatus == pbx.HRKeep || a.today != "" && r.Leaves(a.today)
}

// site is the site of r's user: the row's, else the live user's.
func (a *allocator) site(r *pbx.Row) *pbx.Site {
	code := r.User.Site
	if !r.Has(pbx.FSite) {
		if u := a.st.Users[r.User.ID]; u != nil {
			code = u.Site
		}
	}
	return a.st.Site(code)
}

// poolKey names the pool r, of site, asks for.
func (a *allocator) poolKey(r *pbx.Row, site *pbx.Site) poolKey {
	if r.Alloc.Area != "" {
		return poolKey{area: a.areaPrefix(r, site)}
	}
	return poolKey{site: site.Code}
}

// areaPrefix is the E.164 prefix of r's area code in its site's region: "+1650".
func (a *allocator) areaPrefix(r *pbx.Row, site *pbx.Site) string {
	k := areaKey{site.Region, r.Alloc.Area}
	if p, ok := a.areas[k]; ok {
		return p
	}
	region := site.Region
	if region == "" {
		region = "US"
	}
	cc := phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region))
	p := "+" + strconv.Itoa(cc) + r.Alloc.Area
	a.areas[k] = p
	return p
}

// pool returns the pool of r's request, built on first need.
func (a *allocator) pool(r *pbx.Row, site *pbx.Site) *pool {
	key := a.poolKey(r, site)
	if p, ok := a.pools[key]; ok {
		return p
	}
	p := &pool{}
	if r.Alloc.Area != "" {
		p.name = "area code " + r.Alloc.Area
		i, _ := slices.BinarySearch(a.free, pbx.E164(key.area)) // the area code's numbers are a run of the sorted free ones
		j := i
		for j < len(a.free) && strings.HasPrefix(string(a.free[j]), key.area) {
			j++
		}
		p.nums = a.free[i:j:j]
	} else {
		p.name = siteName(site)
		p.nums = a.siteNumbers()[site.Code]
	}
	for _, e := range p.nums {
		if !a.taken[e] {
			p.free++
		}
	}
	a.pools[key] = p
	return p
}

// siteNumbers returns the free numbers by the code of the site each resolves
// to (pbx.State.Site: a company with no sites has one made-up site, ""),
// ascending, made in one pass on first need.
func (a *allocator) siteNumbers() map[string][]pbx.E164 {
	if a.bySite != nil {
		return a.bySite
	}
	a.bySite = map[string][]pbx.E164{}
	sites := map[string]string{}
	for _, e := range a.free {
		code := a.st.Numbers[e].Site
		s, ok := sites[code]
		if !ok {
			s = a.st.Site(code).Code
			sites[code] = s
		}
		a.bySite[s] = append(a.bySite[s], e)
	}
	return a.bySite
}

// keep returns the number of r's pool r's user already holds (the first),
// or "".
func (a *allocator) keep(r *pbx.Row, site *pbx.Site) pbx.E164 {
	for _, e := range a.held[r.User.ID] {
		if a.taken[e] {
			continue // the row (or another) names it: not the pool's to give
		}
		if r.Alloc.Area != "" && !strings.HasPrefix(string(e), a.areaPrefix(r, site)) {
			continue
		}
		if r.Alloc.Area == "" && a.st.Site(a.st.Numbers[e].Site).Code != site.Code {
			continue
		}
		return e
	}
	return ""
}

// number gives r, of site, its number from the pool; false when it cannot.
func (a *allocator) number(r *pbx.Row, site *pbx.Site, ps *problems) bool {
	if u := a.st.Users[r.User.ID]; u != nil && !u.VoiceEnabled && !r.Has(pbx.FVoiceEnabled) {
		ps.add(r.CellOr(pbx.FNumber), CodeVoiceDisabled, "auto", pbx.ErrConflict,
			fmt.Sprintf("the row asks for a number from the pool for %s, whose voice service is off", r.User.ID),
			"only voice-enabled users can have a number: set voice_enabled to yes, or clear the number cell")
		return false
	}
	if e := a.keep(r, site); e != "" {
		a.taken[e] = true
		r.Numbers = append(r.Numbers, e)
		return true
	}
	p := a.pool(r, site)
	for p.next < len(p.nums) && a.taken[p.nums[p.next]] {
		p.next++
	}
	if p.next == len(p.nums) {
		ps.add(r.CellOr(pbx.FNumber), CodePoolExhausted, "auto", ErrPool,
			fmt.Sprintf("no free number left for this row: the pool of %s has %s and %s for one", p.name, count(p.free, "free number", "free numbers"), count(a.asks[a.poolKey(r, site)], "row asks", "rows ask")),
			fmt.Sprintf("add numbers of %s to the company's inventory, or give this row a number", p.name))
		return false
	}
	e := p.nums[p.next]
	p.next++
	a.taken[e] = true
	r.Numbers = append(r.Numbers, e)
	r.Alloc.PickedNumber, r.Alloc.NumberWhy = e, "from the pool ("+p.name+")"
	return true
}

// extension gives r, of site, its extension; false when it cannot.
func (a *allocator) extension(r *pbx.Row, site *pbx.Site, ps *problems) bool {
	scope := site.ExtScope()
	if u := a.st.Users[r.User.ID]; u != nil && u.Extension != "" && u.Status != pbx.StatusDeprovisioned && a.st.Site(u.Site).ExtScope() == scope {
		r.User.Extension, r.ExtDerived = u.Extension, false
		return true // the user keeps theirs
	}
	n := site.ExtLen
	if n == 0 {
		n = 4
	}
	if len(r.Numbers) > 0 {
		num := r.Numbers[0]
		if ext, err := pbx.ParseExtension(num.Last(n)); err == nil && site.CheckExtension(ext) == nil && !a.used[extKey{scope, ext}] {
			a.take(r, scope, ext, "(the last "+strconv.Itoa(n)+" digits of "+string(num)+")")
			return true
		}
	}
	key := extKey{scope, pbx.Extension(strconv.Itoa(n))}
	lo := 1
	for range n - 1 {
		lo *= 10
	}
	i, ok := a.cursors[key]
	if !ok {
		i = lo
	}
	for ; i < lo*10; i++ {
		ext := pbx.Extension(strconv.Itoa(i))
		if a.used[extKey{scope, ext}] || site.CheckExtension(ext) != nil {
			continue
		}
		a.cursors[key] = i + 1
		a.take(r, scope, ext, "(the next free extension of "+siteName(site)+")")
		return true
	}
	a.cursors[key] = i
	ps.add(r.CellOr(pbx.FExtension), CodeExtensionsExhausted, "auto", ErrPool,
		fmt.Sprintf("%s has no free extension of %d digits left for this row", siteName(site), n),
		"give this row an extension, or free some of the site's extensions")
	return false
}

// take gives r the extension ext of scope, picked for why.
func (a *allocator) take(r *pbx.Row, scope string, ext pbx.Extension, why string) {
	a.used[extKey{scope, ext}] = true
	r.User.Extension, r.ExtDerived = ext, false
	r.Alloc.PickedExt, r.Alloc.ExtWhy = ext, why
}

// count renders n with the singular or plural words: "1 row asks", "5 rows ask".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
