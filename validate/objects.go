package validate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/mapping"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Day-two files (numbers, sites, models, hunt groups, auto attendants) are
// checked cell by cell by the rules below, one table per kind of file:
// each field's rule canonicalises the cell's text or says what is wrong
// with it and how to fix it. Then the rows are checked against each other
// (a key, an extension, a number given twice) and the live state (a site
// that does not exist, an extension a user holds).

// ObjectRow is one row of a day-two file: the text of each field the file
// has a column for, and where each cell is.
type ObjectRow struct {
	Line   int
	Fields map[string]string
	Cell   func(field string) pbx.Cell
}

// AreaAsk is a row that buys numbers by area code and quantity: which
// numbers it gets is decided once every row is read (PickArea).
type AreaAsk struct {
	Line     int
	Cell     pbx.Cell // the area code's
	AreaCode string
	Quantity int
	Object   plan.Object // the attributes each number gets
}

// Codes of the problems of day-two files.
const (
	CodeObjectKeyMissing    = "object.key_missing"
	CodeObjectKeyInvalid    = "object.key_invalid"
	CodeObjectDuplicate     = "object.duplicate"
	CodeObjectAction        = "object.action_invalid"
	CodeObjectValue         = "object.value_invalid"
	CodeObjectRange         = "number.range_invalid"
	CodeObjectAreaCode      = "number.area_code_invalid"
	CodeObjectQuantity      = "number.quantity_invalid"
	CodeObjectBoth          = "number.key_and_area_code"
	CodeObjectUnknownSite   = "site.unknown"
	CodeObjectRouting       = "number.routing_invalid"
	CodeObjectExtTaken      = "extension.taken"
	CodeObjectNumberNotOwn  = "number.not_in_inventory"
	CodeObjectMemberUnknown = "huntgroup.member_unknown"
)

// maxObjectRange bounds a range or a quantity of one row, against a typo
// that would add a million numbers.
const maxObjectRange = 10_000

// objCheck canonicalises one cell of a day-two file.
type objCheck func(c *objCtx, v string) (string, *fault)

// objCtx is what a cell's rule may look at: the live state and the row's
// other cells.
type objCtx struct {
	st  *pbx.State
	row ObjectRow
}

// objectRules are the rules of each kind of file, by field (a plan
// attribute or one of mapping's Kind* fields). A field without a rule is
// free text.
var objectRules = map[plan.FileKind]map[string]objCheck{
	plan.FileNumbers: {
		plan.AttrSite:           checkSiteRef,
		plan.AttrRouting:        checkRouting,
		plan.AttrHolidayRouting: checkRouting,
		plan.AttrLabel:          checkText(64),
	},
	plan.FileSites: {
		mapping.KindKey:      checkID("site code", "hq"),
		plan.AttrName:        checkText(80),
		plan.AttrRegion:      checkRegion,
		plan.AttrExtLen:      checkIntIn(0, 8, "an extension length of 2 to 8 digits (0 or empty: any)", "4"),
		plan.AttrOwnDialPlan: checkBool,
		plan.AttrReserved:    checkReserved,
	},
	plan.FileModels: {
		mapping.KindKey:     checkID("model name", "yealink-t42g"),
		plan.AttrVendor:     checkText(40),
		plan.AttrDeviceKind: checkDeviceKind,
		plan.AttrPorts:      checkIntIn(1, 48, "the number of ports, 1 for a desk phone, 2 to 48 for an ATA", "1"),
		plan.AttrMaxLines:   checkIntIn(1, 64, "the line appearances per port, 1 to 64", "3"),
		plan.AttrOUIs:       checkOUIs,
	},
	plan.FileHuntGroups: {
		mapping.KindKey:    checkID("hunt group ID", "sales"),
		plan.AttrName:      checkText(80),
		plan.AttrExtension: checkGroupExtension,
	},
	plan.FileAutoAttendants: {
		mapping.KindKey:    checkID("auto attendant ID", "main"),
		plan.AttrName:      checkText(80),
		plan.AttrExtension: checkGroupExtension,
	},
}

// ObjectRows checks the rows of a day-two file of kind fk against st and
// returns the objects they ask for, the rows that buy numbers by area code
// (picked by PickArea), and every problem, each at its cell. A row with a
// blocking problem asks for nothing.
func ObjectRows(fk plan.FileKind, st *pbx.State, rows []ObjectRow) ([]plan.Object, []AreaAsk, []*pbx.Problem) {
	var objs []plan.Object
	var asks []AreaAsk
	var all problems
	kind := fk.KindOf()
	firstKey := map[string]int{}   // key -> the first row naming it
	firstExt := map[string]int{}   // extension of a group or attendant -> row
	firstRoute := map[string]int{} // number routed -> row
	for _, r := range rows {
		var ps problems
		c := &objCtx{st: st, row: r}
		o := plan.Object{Kind: kind, Line: r.Line, Fields: map[string]string{}}
		for f, v := range r.Fields {
			if !slices.Contains(plan.ObjectAttrs[kind], f) {
				continue
			}
			if v == "" {
				continue // an empty cell leaves the attribute alone
			}
			if rule := objectRules[fk][f]; rule != nil {
				canon, flt := rule(c, v)
				if flt != nil {
					ps.fault(r.Cell(f), v, flt)
					continue
				}
				v = canon
			}
			o.Fields[f] = v
		}
		if a, ok := r.Fields[mapping.KindAction]; ok {
			switch squash(a) {
			case "", "add", "keep", "upsert", "set", "update":
			case "remove", "delete", "release", "drop":
				o.Remove = true
			default:
				ps.add(r.Cell(mapping.KindAction), CodeObjectAction, a, pbx.ErrInvalid,
					fmt.Sprintf("action %q is not one pbxsync knows", a), "leave it empty (add or update), or write remove to take the object away for good")
			}
		}
		if text := r.Fields[mapping.KindMembers]; text != "" && fk == plan.FileHuntGroups {
			o.Members, o.SetMembers = groupMembers(c, text, &ps), true
		}
		if fk == plan.FileSites {
			o.Location = siteAddress(c, &o, &ps)
		}
		keys, ask := objectKeys(c, fk, &o, &ps)
		if fk == plan.FileHuntGroups || fk == plan.FileAutoAttendants {
			o.Numbers = routedNumbers(c, fk, &ps)
			if ext := o.Fields[plan.AttrExtension]; ext != "" && len(keys) == 1 {
				if held := extHeld(st, ext, kind, keys[0]); held != "" {
					ps.add(r.Cell(plan.AttrExtension), CodeObjectExtTaken, ext, pbx.ErrConflict,
						fmt.Sprintf("extension %s is held by %s", ext, held), "choose a free extension: pbxsync export --what users lists those in use")
				} else if at, dup := firstExt[ext]; dup {
					ps.add(r.Cell(plan.AttrExtension), CodeObjectDuplicate, ext, pbx.ErrConflict,
						fmt.Sprintf("extension %s is given on row %d too", ext, at), "give each group or attendant an extension of its own")
				} else {
					firstExt[ext] = r.Line
				}
			}
			for _, e := range o.Numbers {
				if at, dup := firstRoute[string(e)]; dup {
					ps.add(r.Cell(mapping.KindNumbers), CodeObjectDuplicate, string(e), pbx.ErrConflict,
						fmt.Sprintf("number %s is routed on row %d too", e, at), "route each number to one group or attendant")
				} else {
					firstRoute[string(e)] = r.Line
				}
			}
		}
		for _, k := range keys {
			if at, dup := firstKey[k]; dup {
				ps.add(r.Cell(mapping.KindKey), CodeObjectDuplicate, k, pbx.ErrConflict,
					fmt.Sprintf("%s %s is on row %d too", nounOf(fk), k, at), "give each one row only")
			} else {
				firstKey[k] = r.Line
			}
		}
		all = append(all, ps...)
		if ps.blocking() {
			continue
		}
		if ask != nil {
			asks = append(asks, *ask)
			continue
		}
		for i, k := range keys {
			x := o
			x.Key = k
			if len(keys) > 1 {
				x.RowKey = r.Fields[mapping.KindKey]
				x.Why = fmt.Sprintf("%d of %d of the range on row %d", i+1, len(keys), r.Line)
			}
			objs = append(objs, x)
		}
	}
	return objs, asks, all
}

// objectKeys reads the key of a row: one object, a range of numbers, or
// (numbers) an area code and quantity, returned as an ask instead.
func objectKeys(c *objCtx, fk plan.FileKind, o *plan.Object, ps *problems) ([]string, *AreaAsk) {
	r := c.row
	key, hasKey := r.Fields[mapping.KindKey]
	if fk == plan.FileNumbers {
		area := r.Fields[mapping.KindAreaCode]
		qty, hasQty := r.Fields[mapping.KindQuantity]
		switch {
		case key != "" && area != "":
			ps.add(r.Cell(mapping.KindAreaCode), CodeObjectBoth, area, pbx.ErrInvalid,
				fmt.Sprintf("the row gives number %s and area code %s", key, area), "give a number (or a range), or an area code and a quantity, not both")
			return nil, nil
		case key == "" && area != "":
			if o.Remove {
				ps.add(r.Cell(mapping.KindAreaCode), CodeObjectBoth, area, pbx.ErrInvalid,
					"a row that removes numbers names them: an area code does not say which", "write the number (or range) to remove")
				return nil, nil
			}
			if len(area) != 3 || !allDigits(area) || area[0] < '2' {
				ps.add(r.Cell(mapping.KindAreaCode), CodeObjectAreaCode, area, pbx.ErrInvalid,
					fmt.Sprintf("area code %q is not a North American area code", area), "write its three digits, e.g. 650")
				return nil, nil
			}
			n, err := strconv.Atoi(qty)
			if !hasQty || err != nil || n < 1 || n > maxObjectRange {
				ps.add(r.Cell(mapping.KindQuantity), CodeObjectQuantity, qty, pbx.ErrInvalid,
					fmt.Sprintf("quantity %q is not a whole number of 1 to %d", qty, maxObjectRange), "write how many numbers of area code "+area+" to add, e.g. 50")
				return nil, nil
			}
			o.RowKey = fmt.Sprintf("area code %s x %d", area, n)
			return nil, &AreaAsk{Line: r.Line, Cell: r.Cell(mapping.KindAreaCode), AreaCode: area, Quantity: n, Object: *o}
		case hasQty && qty != "" && key != "":
			ps.add(r.Cell(mapping.KindQuantity), CodeObjectQuantity, qty, pbx.ErrInvalid,
				"a quantity goes with an area code, not with a number", "empty the Quantity cell, or give an area code instead of the number")
			return nil, nil
		}
	}
	if !hasKey || key == "" {
		ps.add(r.Cell(mapping.KindKey), CodeObjectKeyMissing, "", pbx.ErrInvalid,
			fmt.Sprintf("the row names no %s", nounOf(fk)), keyHint(fk))
		return nil, nil
	}
	if fk != plan.FileNumbers {
		k, flt := objectRules[fk][mapping.KindKey](c, key)
		if flt != nil {
			ps.fault(r.Cell(mapping.KindKey), key, flt)
			return nil, nil
		}
		return []string{k}, nil
	}
	region := c.st.Site(o.Fields[plan.AttrSite]).Region
	if region == "" || c.st.Site(o.Fields[plan.AttrSite]) == nil {
		region = "US"
	}
	from, to, isRange := strings.Cut(key, "-+")
	if !isRange {
		e, flt := canonNumber(key, region)
		if flt != nil {
			ps.fault(r.Cell(mapping.KindKey), key, flt)
			return nil, nil
		}
		return []string{string(e)}, nil
	}
	a, fa := canonNumber(from, region)
	b, fb := canonNumber("+"+to, region)
	lo, _ := strconv.ParseInt(strings.TrimPrefix(string(a), "+"), 10, 64)
	hi, _ := strconv.ParseInt(strings.TrimPrefix(string(b), "+"), 10, 64)
	if fa != nil || fb != nil || hi < lo || hi-lo+1 > maxObjectRange {
		ps.add(r.Cell(mapping.KindKey), CodeObjectRange, key, pbx.ErrNumber,
			fmt.Sprintf("range %q is not a range of 1 to %d numbers", key, maxObjectRange),
			"write it as +FIRST-+LAST, both in E.164, e.g. +16505550100-+16505550149")
		return nil, nil
	}
	keys := make([]string, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		keys = append(keys, "+"+strconv.FormatInt(v, 10))
	}
	return keys, nil
}

// routedNumbers reads the numbers a group's or attendant's row routes to
// it: each must be in the company's inventory.
func routedNumbers(c *objCtx, fk plan.FileKind, ps *problems) []pbx.E164 {
	text := c.row.Fields[mapping.KindNumbers]
	var out []pbx.E164
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(";,|\n", r) }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		e, flt := canonNumber(part, c.st.Site("").Region)
		if flt != nil {
			ps.fault(c.row.Cell(mapping.KindNumbers), part, flt)
			continue
		}
		if n := c.st.Numbers[e]; n == nil || n.Company != c.st.Company.ID {
			ps.add(c.row.Cell(mapping.KindNumbers), CodeObjectNumberNotOwn, part, pbx.ErrNotFound,
				fmt.Sprintf("number %s is not in company %s's inventory", e, c.st.Company.ID), "add it first with a numbers file (pbxsync apply --kind numbers)")
			continue
		}
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// siteAddress reads a site's default E911 address: when any part is given,
// all five are (DOMAIN rule 8), the country known (the site's region when
// the row gives none), the state and postal code of its format. Its ID is
// the site's AttrLocation.
func siteAddress(c *objCtx, o *plan.Object, ps *problems) *pbx.Location {
	var text [5]string
	given := false
	for i, f := range []pbx.Field{pbx.FStreet, pbx.FCity, pbx.FRegion, pbx.FPostal, pbx.FCountry} {
		text[i] = c.row.Fields[string(f)]
		given = given || text[i] != ""
	}
	if !given {
		return nil
	}
	if text[4] == "" {
		text[4] = o.Fields[plan.AttrRegion] // the site's region is its addresses' country
	}
	cell := func(f pbx.Field) pbx.Cell { return c.row.Cell(string(f)) }
	var missing []string
	first := pbx.Field("")
	for i, p := range addressParts {
		if text[i] == "" {
			missing = append(missing, p.name)
			if first == "" {
				first = []pbx.Field{pbx.FStreet, pbx.FCity, pbx.FRegion, pbx.FPostal, pbx.FCountry}[i]
			}
		}
	}
	if len(missing) > 0 {
		ps.add(cell(first), CodeE911Incomplete, "", pbx.ErrInvalid, fmt.Sprintf("the site's E911 address has no %s", joinAnd(missing)),
			fmt.Sprintf("an E911 address needs street, city, state or region, postal code and country: fill in the %s", joinAnd(missing)))
		return nil
	}
	a := pbx.Address{Street: text[0], City: text[1], Region: text[2], Postal: text[3], Country: text[4]}
	var ok bool
	if a.Country, ok = Country(text[4]); !ok {
		ps.add(cell(pbx.FCountry), CodeE911Country, text[4], pbx.ErrInvalid, fmt.Sprintf("country %q is not a country we know", text[4]),
			"write the country as its two-letter ISO code, e.g. US, CA, GB, DE")
		return nil
	}
	if a.Region, ok = Region(a.Country, text[2]); !ok {
		ps.add(cell(pbx.FRegion), CodeE911Region, text[2], pbx.ErrInvalid, fmt.Sprintf("%q is not a state or province of %s", text[2], a.Country), regionHint(a.Country))
		return nil
	}
	if a.Postal, ok = Postal(a.Country, text[3]); !ok {
		ps.add(cell(pbx.FPostal), CodeE911Postal, text[3], pbx.ErrInvalid, fmt.Sprintf("postal code %q does not have the format of %s", text[3], a.Country),
			fmt.Sprintf("write the postal code as in %s", postalExamples[a.Country]))
		return nil
	}
	l := &pbx.Location{ID: pbx.LocationID(a), Company: c.st.Company.ID, Address: a}
	o.Fields[plan.AttrLocation] = l.ID
	return l
}

// groupMembers reads a hunt group's members, in order: logins of active
// users of the company, each once.
func groupMembers(c *objCtx, text string, ps *problems) []pbx.UserID {
	var out []pbx.UserID
	cell := c.row.Cell(mapping.KindMembers)
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(";,|\n", r) }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, err := pbx.ParseUserID(part)
		u := c.st.Users[id]
		switch {
		case err != nil:
			ps.add(cell, CodeUserIDInvalid, part, err, err.Error(), "write each member's login in e-mail form, e.g. jdoe@acme.example, separated by ;")
		case u == nil || u.Company != c.st.Company.ID || u.Status != pbx.StatusActive:
			ps.add(cell, CodeObjectMemberUnknown, part, pbx.ErrNotFound,
				fmt.Sprintf("%s is not an active user of company %s", id, c.st.Company.ID),
				"onboard them with a user roster first, or take them off the list")
		case slices.Contains(out, id):
			ps.add(cell, CodeObjectDuplicate, part, pbx.ErrConflict, fmt.Sprintf("%s is listed twice", id), "list each member once, in the order the group rings them")
		default:
			out = append(out, id)
		}
	}
	return out
}

// extHeld says who holds extension ext besides object key of kind k: a
// user, another hunt group or auto attendant; "" when no one does.
func extHeld(st *pbx.State, ext string, k plan.Kind, key string) string {
	for _, u := range st.Users {
		if u.Company == st.Company.ID && string(u.Extension) == ext && u.Status != pbx.StatusDeprovisioned {
			return "user " + string(u.ID)
		}
	}
	for id, g := range st.Hunts {
		if string(g.Extension) == ext && !(k == plan.KindHuntGroup && id == key) {
			return "hunt group " + id
		}
	}
	for id, a := range st.AAs {
		if string(a.Extension) == ext && !(k == plan.KindAutoAttendant && id == key) {
			return "auto attendant " + id
		}
	}
	return ""
}

func nounOf(fk plan.FileKind) string {
	if p, ok := mapping.KindProfileOf(string(fk)); ok {
		return p.Noun
	}
	return string(fk)
}

func keyHint(fk plan.FileKind) string {
	if p, ok := mapping.KindProfileOf(string(fk)); ok {
		return "fill it in: " + p.KeyHint
	}
	return "fill it in"
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// checkID canonicalises a key written as an ID: lower case, letters,
// digits, '.', '_' and '-'.
func checkID(what, example string) objCheck {
	return func(_ *objCtx, v string) (string, *fault) {
		k := strings.ToLower(strings.TrimSpace(v))
		if !idPattern.MatchString(k) {
			return "", &fault{CodeObjectKeyInvalid, fmt.Errorf("%w: %s %q", pbx.ErrInvalid, what, v),
				fmt.Sprintf("%s %q is not an ID", what, v),
				fmt.Sprintf("write it with letters, digits, '.', '_' and '-' only, up to 64, e.g. %s", example)}
		}
		return k, nil
	}
}

func checkText(max int) objCheck {
	return func(_ *objCtx, v string) (string, *fault) {
		if len([]rune(v)) > max {
			return "", &fault{CodeObjectValue, fmt.Errorf("%w: %d characters", pbx.ErrInvalid, len([]rune(v))),
				fmt.Sprintf("%q is longer than %d characters", v, max), fmt.Sprintf("shorten it to %d characters", max)}
		}
		return v, nil
	}
}

func checkIntIn(lo, hi int, what, example string) objCheck {
	return func(_ *objCtx, v string) (string, *fault) {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < lo || n > hi {
			return "", &fault{CodeObjectValue, fmt.Errorf("%w: %q", pbx.ErrInvalid, v),
				fmt.Sprintf("%q is not %s", v, what), "write a whole number of " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi) + ", e.g. " + example}
		}
		return strconv.Itoa(n), nil
	}
}

func checkBool(_ *objCtx, v string) (string, *fault) {
	b, ok := YesNo(v)
	if !ok {
		return "", &fault{CodeObjectValue, fmt.Errorf("%w: %q", pbx.ErrInvalid, v),
			fmt.Sprintf("%q is not yes or no", v), "write yes or no"}
	}
	return strconv.FormatBool(b), nil
}

func checkRegion(_ *objCtx, v string) (string, *fault) {
	r, ok := Country(v)
	if !ok {
		return "", &fault{CodeObjectValue, fmt.Errorf("%w: region %q", pbx.ErrInvalid, v),
			fmt.Sprintf("region %q is not a two-letter country code", v), "write the ISO 3166 code of the site's country, e.g. US, GB, DE"}
	}
	return r, nil
}

func checkReserved(_ *objCtx, v string) (string, *fault) {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",;| \n", r) }) {
		from, to, isRange := strings.Cut(part, "-")
		if !isRange {
			to = from
		}
		if !allDigits(from) || !allDigits(to) || len(from) != len(to) || len(from) < 2 && from != "0" || to < from {
			return "", &fault{CodeObjectValue, fmt.Errorf("%w: reserved range %q", pbx.ErrInvalid, part),
				fmt.Sprintf("reserved range %q is not an extension or FROM-TO of the same length", part),
				"write extensions and ranges separated by commas, e.g. 911,9000-9999"}
		}
		out = append(out, part)
	}
	return strings.Join(out, ","), nil
}

var deviceKinds = map[string]pbx.DeviceKind{"deskphone": pbx.KindDeskPhone, "phone": pbx.KindDeskPhone, "ipphone": pbx.KindDeskPhone,
	"ata": pbx.KindATA, "adapter": pbx.KindATA, "analogadapter": pbx.KindATA,
	"softclient": pbx.KindSoftClient, "softphone": pbx.KindSoftClient, "app": pbx.KindSoftClient}

func checkDeviceKind(_ *objCtx, v string) (string, *fault) {
	k, ok := deviceKinds[squash(v)]
	if !ok {
		return "", &fault{CodeObjectValue, fmt.Errorf("%w: device kind %q", pbx.ErrInvalid, v),
			fmt.Sprintf("device kind %q is not one pbxsync knows", v), "write deskphone, ata or softclient"}
	}
	return string(k), nil
}

func checkOUIs(_ *objCtx, v string) (string, *fault) {
	var out []string
	for _, part := range strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune(",;| \n", r) }) {
		h := strings.ToLower(strings.NewReplacer(":", "", "-", "", ".", "").Replace(part))
		if len(h) != 6 || strings.Trim(h, "0123456789abcdef") != "" {
			return "", &fault{CodeObjectValue, fmt.Errorf("%w: OUI %q", pbx.ErrMAC, part),
				fmt.Sprintf("MAC prefix %q is not an OUI (the first 6 hex digits of a MAC)", part),
				"write each prefix as 6 hex digits (805ec0 or 80:5E:C0), separated by commas"}
		}
		if !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	return strings.Join(out, ","), nil
}

// checkSiteRef checks a number's site: one of the company's.
func checkSiteRef(c *objCtx, v string) (string, *fault) {
	code := strings.TrimSpace(v)
	for k := range c.st.Sites {
		if k != "" && strings.EqualFold(k, code) {
			code = k // as a roster's site cell: any case
		}
	}
	if _, ok := c.st.Sites[code]; !ok {
		var have []string
		for k := range c.st.Sites {
			if k != "" {
				have = append(have, k)
			}
		}
		slices.Sort(have)
		return "", &fault{CodeObjectUnknownSite, fmt.Errorf("%w: site %q", pbx.ErrNotFound, v),
			fmt.Sprintf("site %q is not one of company %s's (it has %s)", v, c.st.Company.ID, strings.Join(have, ", ")),
			"write one of those, or add the site first with a sites file (pbxsync apply --kind sites)"}
	}
	return code, nil
}

// checkRouting checks a routing: ext:EXTENSION, vm:EXTENSION, hg:GROUP or
// aa:ATTENDANT of the company.
func checkRouting(c *objCtx, v string) (string, *fault) {
	k, key, ok := strings.Cut(strings.TrimSpace(v), ":")
	k = strings.ToLower(k)
	bad := func(why string) (string, *fault) {
		return "", &fault{CodeObjectRouting, fmt.Errorf("%w: routing %q", pbx.ErrInvalid, v),
			fmt.Sprintf("routing %q %s", v, why), "write ext:4021 or vm:4021 (an extension), hg:sales (a hunt group) or aa:main (an auto attendant)"}
	}
	switch {
	case !ok || key == "":
		return bad("is not KIND:TARGET")
	case k == "ext" || k == "vm":
		if _, err := pbx.ParseExtension(key); err != nil {
			return bad("does not name an extension")
		}
	case k == "hg":
		if _, ok := c.st.Hunts[key]; !ok {
			return bad("names no hunt group of the company")
		}
	case k == "aa":
		if _, ok := c.st.AAs[key]; !ok {
			return bad("names no auto attendant of the company")
		}
	default:
		return bad("is of no kind pbxsync knows")
	}
	return k + ":" + key, nil
}

// checkGroupExtension checks the extension of a hunt group or auto
// attendant: 2 to 8 digits (a group's extension is the company's, in every
// dial plan).
func checkGroupExtension(_ *objCtx, v string) (string, *fault) {
	e, err := pbx.ParseExtension(v)
	if err != nil {
		return "", &fault{CodeExtensionInvalid, err, err.Error(), "write the extension as 2 to 8 digits, e.g. 6000"}
	}
	return string(e), nil
}
