package sqlstore

// Where the live state's objects and their plan attributes are stored, and
// a plan's changes as column values. Column names come only from here,
// never from a plan.

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pbxsync/pbxsync/apply"
	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// Conv says how a plan attribute's string value is stored in its column.
type Conv int

const (
	Text   Conv = iota // text as given; "" stays ""
	Null               // text; "" is stored as NULL (extension, e-mail, references)
	Bool               // "true" / "false"
	Int                // decimal integer
	Target             // a pbx.Target, spread over the four target_* columns
)

// Column is where one plan attribute lives.
type Column struct {
	Name string
	Conv Conv
}

// Table is where one kind of object is stored and which plan attributes a
// change may set on it.
type Table struct {
	Kind      plan.Kind
	Name      string   // SQL table
	Key       []string // key columns (a line's: its device's MAC and its port)
	Noun      string   // for messages: "user", "number"...
	Company   bool     // the table has a company column
	NoVersion bool     // a change is checked against the values it read instead (Applier.write)
	Cols      map[string]Column
}

var (
	Users = &Table{Kind: plan.KindUser, Name: "users", Key: []string{"user_id"}, Noun: "user", Company: true, Cols: map[string]Column{
		plan.AttrCompany:         {"company", Text},
		plan.AttrSite:            {"site", Text},
		plan.AttrFirstName:       {"first_name", Text},
		plan.AttrLastName:        {"last_name", Text},
		plan.AttrEmail:           {"email", Null},
		plan.AttrExtension:       {"extension", Null},
		plan.AttrStationType:     {"station_type", Text},
		plan.AttrVoiceEnabled:    {"voice_enabled", Bool},
		plan.AttrCallerID:        {"caller_id", Text},
		plan.AttrStatus:          {"status", Text},
		plan.AttrExternalID:      {"external_id", Text},
		plan.AttrDeprovisionedAt: {"deprovisioned_at", Null},
	}}
	Numbers = &Table{Kind: plan.KindNumber, Name: "numbers", Key: []string{"e164"}, Noun: "number", Company: true, Cols: map[string]Column{
		plan.AttrCompany:      {"company", Text},
		plan.AttrSite:         {"site", Text},
		plan.AttrLabel:        {"label", Text},
		plan.AttrTarget:       {"", Target},
		plan.AttrRouting:      {"routing", Text},
		plan.AttrSavedRouting: {"saved_routing", Text},
		plan.AttrSMS:          {"sms", Bool},
		plan.AttrLocation:     {"location", Null},
		// only a numbers file or a seed sets it: a user roster never does
		plan.AttrHolidayRouting: {"holiday_routing", Text},
	}}
	Devices = &Table{Kind: plan.KindDevice, Name: "devices", Key: []string{"mac"}, Noun: "device", Company: true, Cols: map[string]Column{
		plan.AttrCompany: {"company", Text},
		plan.AttrModel:   {"model", Text},
	}}
	Lines = &Table{Kind: plan.KindLine, Name: "device_lines", Key: []string{"mac", "port"}, Noun: "line", Company: true, Cols: map[string]Column{
		plan.AttrUser:   {"user_id", Null},
		plan.AttrNumber: {"number", Null},
		plan.AttrLines:  {"lines", Int},
	}}
	Locations = &Table{Kind: plan.KindLocation, Name: "e911_locations", Key: []string{"id"}, Noun: "E911 location", Company: true, Cols: map[string]Column{
		plan.AttrCompany: {"company", Text},
		plan.AttrStreet:  {"street", Text},
		plan.AttrCity:    {"city", Text},
		plan.AttrRegion:  {"region", Text},
		plan.AttrPostal:  {"postal", Text},
		plan.AttrCountry: {"country", Text},
	}}
)

// The objects of day-two files besides numbers: no version column.
var (
	Sites = &Table{Kind: plan.KindSite, Name: "sites", Key: []string{"code"}, Noun: "site", Company: true, NoVersion: true, Cols: map[string]Column{
		plan.AttrName:        {"name", Text},
		plan.AttrRegion:      {"region", Text},
		plan.AttrExtLen:      {"ext_len", Int},
		plan.AttrOwnDialPlan: {"own_dial_plan", Bool},
		plan.AttrReserved:    {"reserved", Text},
		plan.AttrLocation:    {"e911_location", Text}, // its default E911 location's ID
	}}
	Models = &Table{Kind: plan.KindModel, Name: "device_models", Key: []string{"name"}, Noun: "device model", NoVersion: true, Cols: map[string]Column{
		plan.AttrVendor:     {"vendor", Text},
		plan.AttrDeviceKind: {"kind", Text},
		plan.AttrPorts:      {"ports", Int},
		plan.AttrMaxLines:   {"max_lines", Int},
		plan.AttrOUIs:       {"ouis", Text},
	}}
	HuntGroups = &Table{Kind: plan.KindHuntGroup, Name: "hunt_groups", Key: []string{"id"}, Noun: "hunt group", Company: true, NoVersion: true, Cols: map[string]Column{
		plan.AttrName:      {"name", Text},
		plan.AttrExtension: {"extension", Text},
	}}
	AutoAttendants = &Table{Kind: plan.KindAutoAttendant, Name: "auto_attendants", Key: []string{"id"}, Noun: "auto attendant", Company: true, NoVersion: true, Cols: map[string]Column{
		plan.AttrName:      {"name", Text},
		plan.AttrExtension: {"extension", Text},
	}}
)

var Tables = map[plan.Kind]*Table{
	plan.KindUser:     Users,
	plan.KindNumber:   Numbers,
	plan.KindDevice:   Devices,
	plan.KindLine:     Lines,
	plan.KindLocation: Locations,
	plan.KindMember:   Members,

	plan.KindSite:          Sites,
	plan.KindModel:         Models,
	plan.KindHuntGroup:     HuntGroups,
	plan.KindAutoAttendant: AutoAttendants,
}

// Assign is one column set to one value.
type Assign struct {
	Col string
	Val any
}

// Assignments turns a change's fields into column assignments, refusing a
// field the table does not know, a value that does not convert, and a
// company other than the plan's.
func (t *Table) Assignments(ch *plan.Change, company string) ([]Assign, error) {
	out := make([]Assign, 0, ch.Fields.Len()+3)
	seen := make([]string, 0, 16)
	for _, f := range ch.Fields.All() {
		c, ok := t.Cols[f.Field]
		if !ok {
			return nil, fmt.Errorf("%w: a %s has no field %q; the plan may come from another version of pbxsync: plan again",
				pbx.ErrInvalid, t.Noun, f.Field)
		}
		if slices.Contains(seen, f.Field) {
			return nil, fmt.Errorf("%w: the field %q is set twice", pbx.ErrInvalid, f.Field)
		}
		seen = append(seen, f.Field)
		if f.Field == plan.AttrCompany && f.After != company {
			return nil, fmt.Errorf("%w: company %q in a plan for company %q; a plan changes one company only",
				pbx.ErrInvalid, f.After, company)
		}
		var err error
		if out, err = c.AppendValues(out, f.After); err != nil {
			return nil, fmt.Errorf("%w: field %q: %v", pbx.ErrInvalid, f.Field, err)
		}
	}
	return out, nil
}

// AppendValues appends the column values of one attribute value to as.
func (c Column) AppendValues(as []Assign, v string) ([]Assign, error) {
	switch c.Conv {
	case Text:
		return append(as, Assign{c.Name, v}), nil
	case Null:
		return append(as, Assign{c.Name, Nullable(v)}), nil
	case Bool:
		b, err := ParseBool(v)
		if err != nil {
			return nil, err
		}
		return append(as, Assign{c.Name, b}), nil
	case Int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", v)
		}
		return append(as, Assign{c.Name, n}), nil
	case Target:
		tv, err := TargetValues(pbx.Target(v))
		for j, col := range targetCols {
			as = append(as, Assign{col, tv[j]})
		}
		return as, err
	}
	return nil, fmt.Errorf("no conversion for column %s", c.Name)
}

func ParseBool(v string) (bool, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", v)
}

// Nullable stores "" as NULL.
func Nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// A pbx.Target is spread over four columns: its kind, then a reference of
// each kind of targetKinds.
var (
	targetCols  = [4]string{"target_kind", "target_user", "target_hunt", "target_aa"}
	targetKinds = []pbx.TargetKind{pbx.TargetUser, pbx.TargetHuntGroup, pbx.TargetAutoAttendant}
)

// TargetValues splits a target into the values of its columns, the unused
// references nil.
func TargetValues(t pbx.Target) ([4]any, error) {
	k, key := t.Split()
	i := slices.Index(targetKinds, k)
	switch {
	case t == "":
		return [4]any{""}, nil
	case key == "":
		return [4]any{}, fmt.Errorf("target %q names no object; write user:ID, huntgroup:ID or autoattendant:ID", t)
	case i < 0:
		return [4]any{}, fmt.Errorf("target %q is of unknown kind %q; write user:ID, huntgroup:ID or autoattendant:ID", t, k)
	}
	tv := [4]any{string(k)}
	tv[i+1] = key
	return tv, nil
}

// TargetOf is the inverse of TargetValues.
func TargetOf(kind, user, hunt, aa string) pbx.Target {
	switch pbx.TargetKind(kind) {
	case pbx.TargetUser:
		return pbx.MakeTarget(pbx.TargetUser, user)
	case pbx.TargetHuntGroup:
		return pbx.MakeTarget(pbx.TargetHuntGroup, hunt)
	case pbx.TargetAutoAttendant:
		return pbx.MakeTarget(pbx.TargetAutoAttendant, aa)
	}
	return ""
}

// Members names the runs of member changes on the set-based path (member.go
// writes them change by change).
var Members = &Table{Kind: plan.KindMember, Name: "number_members", Noun: "number member"}

// KeyCols are the key columns of the object a change names.
func KeyCols(t *Table, key string) ([]Assign, error) {
	switch {
	case t.Kind == plan.KindLine:
		mac, port, err := pbx.SplitLineKey(key)
		return []Assign{{"mac", mac}, {"port", port}}, err
	case len(t.Key) == 1:
		return []Assign{{t.Key[0], key}}, nil
	}
	return nil, fmt.Errorf("%w: no key for kind %q", pbx.ErrInvalid, t.Kind)
}

// InsertBlanks are, per table, the columns whose default is what an empty
// attribute means (a test holds them to the migrations). A plan leaves
// empty attributes out of a create; written with their blanks, a batch's
// creates share one column list and go in one statement (in PostgreSQL,
// 4,796 COPYs of 19 users became 95).
var InsertBlanks = map[*Table][]Assign{
	Users: {{"caller_id", ""}, {"deprovisioned_at", nil}, {"email", nil}, {"extension", nil}, {"external_id", ""},
		{"first_name", ""}, {"last_name", ""}, {"site", ""}, {"station_type", ""}},
	Lines:     {{"number", nil}, {"user_id", nil}},
	Locations: {{"city", ""}, {"country", ""}, {"postal", ""}, {"region", ""}, {"street", ""}},
}

// RowOf is change ch (plan index i) ready for a set-based statement of
// operation op; ok is false when its key or a value does not convert.
func RowOf(ch *plan.Change, i int, op apply.Op, company string) (SetRow, bool) {
	if ch.Kind == plan.KindMember {
		e, u, role, err := plan.ReadMember(ch)
		return SetRow{Change: i, Keys: []Assign{{"number", string(e)}, {"user_id", string(u)}}, Sets: []Assign{{"role", string(role)}}}, err == nil
	}
	t := Tables[ch.Kind]
	k, err := KeyCols(t, ch.Key)
	var as []Assign
	if err == nil && op != apply.OpDelete {
		as, err = t.Assignments(ch, company)
		as = slices.DeleteFunc(as, func(x Assign) bool { return x.Col == "company" })
		if op == apply.OpInsert {
			as = apply.WithBlanks(as, InsertBlanks[t], Assign.Name)
		}
	}
	return SetRow{Change: i, Keys: k, Sets: as}, err == nil
}

// Name is the column x sets (apply.Groups, apply.WithBlanks).
func (x Assign) Name() string { return x.Col }
