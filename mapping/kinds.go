package mapping

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// The files of the rest of the company (day two) besides user rosters:
// the number inventory, sites, device models, hunt groups and auto
// attendants. Each kind has one built-in profile: its fields, each with
// the column names real portals and exports use for it. A field is a plan
// attribute of the kind (plan.ObjectAttrs) or one of the file's own
// (KindKey, KindAction, ...).

// Fields of day-two files that are not attributes of their object.
const (
	KindKey      = "key"       // the object's key: a number (or a range), a site code, a model name, an ID
	KindAction   = "action"    // "remove" takes the object away; empty or "add" keeps it
	KindAreaCode = "area_code" // numbers: buy by area code ...
	KindQuantity = "quantity"  // ... and quantity
	KindNumbers  = "numbers"   // hunt groups, auto attendants: the numbers routed to them
	KindMembers  = "members"   // hunt groups: the members in order
	KindReadOnly = "-"         // a column an export writes that the file does not manage (left alone)
)

// KindColumn is one field of a day-two file and the column names it is
// read from, compared as NormalizeHeader compares headers. Distinct names
// tell the kind of file apart (DetectKind): a header that only this kind
// of file has.
type KindColumn struct {
	Field    string
	Aliases  []string
	Distinct []string
}

// KindProfile is the built-in profile of one kind of day-two file.
type KindProfile struct {
	Kind    string // "numbers", "sites", "models", "hunt-groups", "auto-attendants"
	Noun    string // "number", "site"...
	KeyHint string // how the key column is written, for the hint of a missing one
	Columns []KindColumn
}

var action = KindColumn{Field: KindAction, Aliases: []string{"Action", "Operation", "Change", "Aktion"}}

// KindProfiles are the built-in profiles of day-two files.
var KindProfiles = []*KindProfile{
	{Kind: "numbers", Noun: "number", KeyHint: "a number (+16505550100), a range (+16505550100-+16505550149), or an Area Code and Quantity column instead",
		Columns: []KindColumn{
			{Field: KindKey, Aliases: []string{"Number", "Phone Number", "Numbers", "DID", "E164", "Telephone Number", "TelephoneNumber", "Direct Number", "Number Range", "Range", "destination_number"}},
			{Field: KindAreaCode, Aliases: []string{"Area Code", "NPA", "Area"}, Distinct: []string{"Area Code", "NPA"}},
			{Field: KindQuantity, Aliases: []string{"Quantity", "Qty", "Count", "How Many"}, Distinct: []string{"Quantity", "Qty"}},
			{Field: "site", Aliases: []string{"Site", "Site Code", "Location Code"}},
			{Field: "label", Aliases: []string{"Label", "Phone Name", "Number Name", "Description", "Name"}},
			{Field: "routing", Aliases: []string{"Routing", "Default Routing", "Call Routing", "Routes To"}, Distinct: []string{"Routing", "Default Routing", "Call Routing"}},
			{Field: "holiday_routing", Aliases: []string{"Holiday Routing", "Holiday Routes", "After Hours Routing"}, Distinct: []string{"Holiday Routing", "Holiday Routes"}},
			action,
			// what `pbxsync export --what numbers` writes besides: the
			// assignment is a user roster's or a group file's, not the inventory's
			{Field: KindReadOnly, Aliases: []string{"Tab", "Assigned To", "Extension", "Saved Routing", "SMS", "E911 Location"}, Distinct: []string{"Tab", "Assigned To", "Saved Routing"}},
		}},
	{Kind: "sites", Noun: "site", KeyHint: "the site's code, e.g. hq",
		Columns: []KindColumn{
			{Field: KindKey, Aliases: []string{"Site Code", "Code", "Site ID", "Site"}, Distinct: []string{"Site Code", "Site ID"}},
			{Field: "name", Aliases: []string{"Name", "Site Name", "Description"}, Distinct: []string{"Site Name"}},
			{Field: "region", Aliases: []string{"Region", "Country", "Country Code", "Default Region"}},
			{Field: "ext_len", Aliases: []string{"Extension Length", "Ext Length", "Ext Len", "Extension Digits"}, Distinct: []string{"Extension Length", "Ext Length", "Ext Len", "Extension Digits"}},
			{Field: "own_dial_plan", Aliases: []string{"Own Dial Plan", "Dial Plan", "Separate Dial Plan"}, Distinct: []string{"Own Dial Plan", "Dial Plan", "Separate Dial Plan"}},
			{Field: "reserved", Aliases: []string{"Reserved", "Reserved Ranges", "Reserved Extensions"}, Distinct: []string{"Reserved", "Reserved Ranges", "Reserved Extensions"}},
			// the site's default E911 address ("Region" and "Country" are the site's own: its numbers' region)
			{Field: string(pbx.FStreet), Aliases: []string{"E911 Street", "E911 Address", "Emergency Address", "Street", "Address"}},
			{Field: string(pbx.FCity), Aliases: []string{"E911 City", "City"}},
			{Field: string(pbx.FRegion), Aliases: []string{"E911 State", "E911 Region", "State", "Province", "State/Province"}},
			{Field: string(pbx.FPostal), Aliases: []string{"E911 Postal", "E911 Postal Code", "E911 ZIP", "Postal Code", "ZIP", "ZIP Code"}},
			{Field: string(pbx.FCountry), Aliases: []string{"E911 Country"}},
			action,
		}},
	{Kind: "models", Noun: "device model", KeyHint: "the model's name, e.g. yealink-t42g",
		Columns: []KindColumn{
			{Field: KindKey, Aliases: []string{"Model", "Name", "Model Name", "Device Model", "Phone Model"}},
			{Field: "vendor", Aliases: []string{"Vendor", "Manufacturer", "Brand", "Make"}, Distinct: []string{"Vendor", "Manufacturer", "Brand", "Make"}},
			{Field: "kind", Aliases: []string{"Kind", "Type", "Device Type", "Device Kind"}},
			{Field: "ports", Aliases: []string{"Ports", "Port Count", "FXS Ports", "Lines Ports"}},
			{Field: "max_lines", Aliases: []string{"Max Lines", "Maximum Lines", "Line Appearances", "Max Line Appearances", "Line Keys"}, Distinct: []string{"Max Lines", "Maximum Lines", "Line Appearances", "Max Line Appearances", "Line Keys"}},
			{Field: "ouis", Aliases: []string{"OUIs", "OUI", "MAC Prefixes", "MAC Prefix", "Vendor Prefixes"}, Distinct: []string{"OUIs", "OUI", "MAC Prefixes", "MAC Prefix"}},
			action,
		}},
	{Kind: "hunt-groups", Noun: "hunt group", KeyHint: "the group's ID, e.g. sales",
		Columns: []KindColumn{
			{Field: KindKey, Aliases: []string{"Hunt Group ID", "ID", "Group ID", "Hunt Group", "Ring Group ID", "Call Queue ID"}, Distinct: []string{"Hunt Group ID", "Hunt Group", "Group ID", "Ring Group ID", "Call Queue ID"}},
			{Field: "name", Aliases: []string{"Name", "Hunt Group Name", "Group Name", "Description"}, Distinct: []string{"Hunt Group Name", "Group Name"}},
			{Field: "extension", Aliases: []string{"Extension", "Ext", "Group Extension"}},
			{Field: KindNumbers, Aliases: []string{"Numbers", "Number", "Phone Numbers", "Phone Number", "DIDs", "DID", "Direct Numbers"}},
			{Field: KindMembers, Aliases: []string{"Members", "Agents", "Member Users"}, Distinct: []string{"Members", "Agents"}},
			action,
		}},
	{Kind: "auto-attendants", Noun: "auto attendant", KeyHint: "the attendant's ID, e.g. main",
		Columns: []KindColumn{
			{Field: KindKey, Aliases: []string{"Auto Attendant ID", "ID", "Attendant ID", "Auto Attendant", "IVR ID"}, Distinct: []string{"Auto Attendant ID", "Attendant ID", "Auto Attendant", "IVR ID"}},
			{Field: "name", Aliases: []string{"Name", "Auto Attendant Name", "Attendant Name", "Description"}, Distinct: []string{"Auto Attendant Name", "Attendant Name"}},
			{Field: "extension", Aliases: []string{"Extension", "Ext"}},
			{Field: KindNumbers, Aliases: []string{"Numbers", "Number", "Phone Numbers", "Phone Number", "DIDs", "DID", "Direct Numbers"}},
			action,
		}},
}

// KindProfileOf returns the built-in profile of a kind of day-two file.
func KindProfileOf(kind string) (*KindProfile, bool) {
	for _, p := range KindProfiles {
		if p.Kind == kind {
			return p, true
		}
	}
	return nil, false
}

// DetectKind returns the kinds of day-two file whose distinct column names
// the header has: one is the file's kind; none means a user roster (or a
// file that does not say: --kind tells); several are ambiguous.
func DetectKind(headers []string) []string {
	have := map[string]bool{}
	for _, h := range headers {
		have[NormalizeHeader(h)] = true
	}
	var kinds []string
	for _, p := range KindProfiles {
		for _, c := range p.Columns {
			if slices.ContainsFunc(c.Distinct, func(a string) bool { return have[NormalizeHeader(a)] }) {
				kinds = append(kinds, p.Kind)
				break
			}
		}
	}
	return kinds
}

// Has reports whether one of the profile's columns is named h.
func (p *KindProfile) Has(h string) bool {
	n := NormalizeHeader(h)
	for _, c := range p.Columns {
		if slices.ContainsFunc(c.Aliases, func(a string) bool { return NormalizeHeader(a) == n }) {
			return true
		}
	}
	return false
}

// KindBinding is a day-two file's header bound to its profile: which
// column each field is read from.
type KindBinding struct {
	Profile *KindProfile
	Cols    map[string]int // field -> 0-based column
	Headers []string
	Unknown []string // columns no field takes
}

// Get returns the cell of field f in values, and whether the file has it.
func (b *KindBinding) Get(values []string, f string) (string, bool) {
	i, ok := b.Cols[f]
	if !ok || i >= len(values) {
		return "", ok
	}
	return strings.TrimSpace(values[i]), true
}

// Cell is where field f of row is, for a problem.
func (b *KindBinding) Cell(file, sheet string, row int, f string) pbx.Cell {
	i, ok := b.Cols[f]
	if !ok {
		return pbx.Cell{File: file, Sheet: sheet, Row: row, Col: -1}
	}
	return pbx.Cell{File: file, Sheet: sheet, Row: row, Col: i, Header: b.Headers[i]}
}

// CodeKindColumnTwice and CodeKindNoKey are the header's problems of a
// day-two file.
const (
	CodeKindColumnTwice = "mapping.ambiguous_column"
	CodeKindNoKey       = "mapping.missing_column"
)

// Bind binds a header to the profile. A field two columns name, and a
// file without its key column, are problems of the whole file.
func (p *KindProfile) Bind(file, sheet string, headerRow int, headers []string) (*KindBinding, []*pbx.Problem) {
	b := &KindBinding{Profile: p, Cols: map[string]int{}, Headers: headers}
	var ps []*pbx.Problem
	byName := map[string]string{}
	for _, c := range p.Columns {
		for _, a := range c.Aliases {
			if _, dup := byName[NormalizeHeader(a)]; !dup {
				byName[NormalizeHeader(a)] = c.Field
			}
		}
	}
	for i, h := range headers {
		if strings.TrimSpace(h) == "" {
			continue
		}
		f, ok := byName[NormalizeHeader(h)]
		switch {
		case !ok:
			b.Unknown = append(b.Unknown, h)
		case f == KindReadOnly:
		case hasCol(b.Cols, f):
			j := b.Cols[f]
			ps = append(ps, &pbx.Problem{Cell: pbx.Cell{File: file, Sheet: sheet, Row: headerRow, Col: i, Header: h}, Severity: pbx.SevError,
				Code: CodeKindColumnTwice, Value: h, Err: pbx.ErrRead,
				Message: fmt.Sprintf("columns %q and %q both give the %s's %s", headers[j], h, p.Noun, fieldWords(f)),
				Hint:    "keep one of them, or rename the other"})
		default:
			b.Cols[f] = i
		}
	}
	if !hasCol(b.Cols, KindKey) && !(p.Kind == "numbers" && hasCol(b.Cols, KindAreaCode)) {
		var names []string
		for _, c := range p.Columns {
			if c.Field == KindKey {
				names = c.Aliases
			}
		}
		ps = append(ps, &pbx.Problem{Cell: pbx.Cell{File: file, Sheet: sheet, Row: headerRow, Col: -1}, Severity: pbx.SevError,
			Code: CodeKindNoKey, Value: strings.Join(headers, ", "), Err: pbx.ErrRead,
			Message: fmt.Sprintf("a %s file needs a column naming each %s (%s); the header has %s", p.Kind, p.Noun, strings.Join(names, ", "), strings.Join(headers, ", ")),
			Hint:    "add the column: " + p.KeyHint})
	}
	return b, ps
}

func hasCol(m map[string]int, f string) bool { _, ok := m[f]; return ok }

// fieldWords is a field in words, for messages.
func fieldWords(f string) string {
	if f == KindKey {
		return "key"
	}
	return strings.ReplaceAll(f, "_", " ")
}
