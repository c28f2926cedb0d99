package postgres

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// conv says how a plan attribute's string value is stored in its column.
type conv int

const (
	convText   conv = iota // text as given; "" stays ""
	convNull               // text; "" is stored as NULL (extension, e-mail, references)
	convBool               // "true" / "false"
	convInt                // decimal integer
	convTarget             // a pbx.Target, spread over the four target_* columns
)

// column is where one plan attribute lives.
type column struct {
	name string
	conv conv
}

// table describes one kind of object of the live state: where it is stored
// and which plan attributes a change may set on it. Column names come only
// from these tables, never from a plan.
type table struct {
	kind    plan.Kind
	name    string // SQL table
	noun    string // for messages: "user", "number"...
	company bool   // the table has a company column
	cols    map[string]column
}

var (
	userTable = &table{kind: plan.KindUser, name: "users", noun: "user", company: true, cols: map[string]column{
		plan.AttrCompany:      {"company", convText},
		plan.AttrSite:         {"site", convText},
		plan.AttrFirstName:    {"first_name", convText},
		plan.AttrLastName:     {"last_name", convText},
		plan.AttrEmail:        {"email", convNull},
		plan.AttrExtension:    {"extension", convNull},
		plan.AttrStationType:  {"station_type", convText},
		plan.AttrVoiceEnabled: {"voice_enabled", convBool},
		plan.AttrCallerID:     {"caller_id", convText},
		plan.AttrStatus:       {"status", convText},
		plan.AttrExternalID:   {"external_id", convText},
	}}
	numberTable = &table{kind: plan.KindNumber, name: "numbers", noun: "number", company: true, cols: map[string]column{
		plan.AttrCompany:      {"company", convText},
		plan.AttrSite:         {"site", convText},
		plan.AttrLabel:        {"label", convText},
		plan.AttrTarget:       {"", convTarget},
		plan.AttrRouting:      {"routing", convText},
		plan.AttrSavedRouting: {"saved_routing", convText},
		plan.AttrSMS:          {"sms", convBool},
		plan.AttrLocation:     {"location", convNull},
	}}
	deviceTable = &table{kind: plan.KindDevice, name: "devices", noun: "device", company: true, cols: map[string]column{
		plan.AttrCompany: {"company", convText},
		plan.AttrModel:   {"model", convText},
	}}
	lineTable = &table{kind: plan.KindLine, name: "device_lines", noun: "line", cols: map[string]column{
		plan.AttrUser:   {"user_id", convNull},
		plan.AttrNumber: {"number", convNull},
		plan.AttrLines:  {"lines", convInt},
	}}
	locationTable = &table{kind: plan.KindLocation, name: "e911_locations", noun: "E911 location", company: true, cols: map[string]column{
		plan.AttrCompany: {"company", convText},
		plan.AttrStreet:  {"street", convText},
		plan.AttrCity:    {"city", convText},
		plan.AttrRegion:  {"region", convText},
		plan.AttrPostal:  {"postal", convText},
		plan.AttrCountry: {"country", convText},
	}}
)

// tables finds the table of a kind of change (a member's only names the
// runs of member changes on the set-based path: see memberTable).
var tables = map[plan.Kind]*table{
	plan.KindUser:     userTable,
	plan.KindNumber:   numberTable,
	plan.KindDevice:   deviceTable,
	plan.KindLine:     lineTable,
	plan.KindLocation: locationTable,
	plan.KindMember:   memberTable,
}

// assign is one column set to one value.
type assign struct {
	col string
	val any
}

// assignments turns a change's fields into column assignments. It rejects a
// field the table does not know, a value that does not convert, and a
// company other than the plan's.
func (t *table) assignments(ch *plan.Change, company string) ([]assign, error) {
	out := make([]assign, 0, len(ch.Fields)+3)
	for i, f := range ch.Fields {
		c, ok := t.cols[f.Field]
		if !ok {
			return nil, fmt.Errorf("%w: a %s has no field %q; the plan may come from another version of pbxsync: plan again",
				pbx.ErrInvalid, t.noun, f.Field)
		}
		if slices.ContainsFunc(ch.Fields[:i], func(g plan.FieldChange) bool { return g.Field == f.Field }) {
			return nil, fmt.Errorf("%w: the field %q is set twice", pbx.ErrInvalid, f.Field)
		}
		if f.Field == plan.AttrCompany && f.After != company {
			return nil, fmt.Errorf("%w: company %q in a plan for company %q; a plan changes one company only",
				pbx.ErrInvalid, f.After, company)
		}
		var err error
		if out, err = c.appendValues(out, f.After); err != nil {
			return nil, fmt.Errorf("%w: field %q: %v", pbx.ErrInvalid, f.Field, err)
		}
	}
	return out, nil
}

// appendValues appends the column values of one attribute value to as.
func (c column) appendValues(as []assign, v string) ([]assign, error) {
	switch c.conv {
	case convText:
		return append(as, assign{c.name, v}), nil
	case convNull:
		return append(as, assign{c.name, nullable(v)}), nil
	case convBool:
		b, err := parseBool(v)
		if err != nil {
			return nil, err
		}
		return append(as, assign{c.name, b}), nil
	case convInt:
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", v)
		}
		return append(as, assign{c.name, n}), nil
	case convTarget:
		tc, err := targetColumns(pbx.Target(v))
		if err != nil {
			return nil, err
		}
		return append(as,
			assign{"target_kind", tc.kind},
			assign{"target_user", tc.user},
			assign{"target_hunt", tc.hunt},
			assign{"target_aa", tc.aa},
		), nil
	}
	return nil, fmt.Errorf("no conversion for column %s", c.name)
}

func parseBool(v string) (bool, error) {
	switch v {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("%q is not true or false", v)
}

// nullable stores "" as NULL.
func nullable(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// targetCols is a pbx.Target as its four columns; the unused references are nil.
type targetCols struct {
	kind           string
	user, hunt, aa any
}

// targetColumns splits a target into its columns: "user:x" sets target_user,
// "huntgroup:y" target_hunt, "autoattendant:z" target_aa, "" none.
func targetColumns(t pbx.Target) (targetCols, error) {
	if t == "" {
		return targetCols{}, nil
	}
	k, key := t.Split()
	if key == "" {
		return targetCols{}, fmt.Errorf("target %q names no object; write user:ID, huntgroup:ID or autoattendant:ID", t)
	}
	tc := targetCols{kind: string(k)}
	switch k {
	case pbx.TargetUser:
		tc.user = key
	case pbx.TargetHuntGroup:
		tc.hunt = key
	case pbx.TargetAutoAttendant:
		tc.aa = key
	default:
		return targetCols{}, fmt.Errorf("target %q is of unknown kind %q; write user:ID, huntgroup:ID or autoattendant:ID", t, k)
	}
	return tc, nil
}

// targetOf is the inverse of targetColumns, for reading a number back.
func targetOf(kind, user, hunt, aa string) pbx.Target {
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
