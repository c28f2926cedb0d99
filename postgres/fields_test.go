package postgres

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

func TestColumnValues(t *testing.T) {
	tests := []struct {
		name    string
		col     column
		in      string
		want    []assign
		wantErr bool
	}{
		{"text", column{"label", convText}, "Front desk", []assign{{"label", "Front desk"}}, false},
		{"empty text stays empty", column{"label", convText}, "", []assign{{"label", ""}}, false},
		{"nullable", column{"extension", convNull}, "4021", []assign{{"extension", "4021"}}, false},
		{"nullable empty is NULL", column{"extension", convNull}, "", []assign{{"extension", nil}}, false},
		{"true", column{"sms", convBool}, "true", []assign{{"sms", true}}, false},
		{"false", column{"sms", convBool}, "false", []assign{{"sms", false}}, false},
		{"bool not true/false", column{"sms", convBool}, "yes", nil, true},
		{"empty bool", column{"sms", convBool}, "", nil, true},
		{"int", column{"lines", convInt}, "3", []assign{{"lines", 3}}, false},
		{"int not a number", column{"lines", convInt}, "three", nil, true},
		{"target user", column{"", convTarget}, "user:jdoe@acme.example",
			[]assign{{"target_kind", "user"}, {"target_user", "jdoe@acme.example"}, {"target_hunt", nil}, {"target_aa", nil}}, false},
		{"target hunt group", column{"", convTarget}, "huntgroup:sales",
			[]assign{{"target_kind", "huntgroup"}, {"target_user", nil}, {"target_hunt", "sales"}, {"target_aa", nil}}, false},
		{"target auto attendant", column{"", convTarget}, "autoattendant:main",
			[]assign{{"target_kind", "autoattendant"}, {"target_user", nil}, {"target_hunt", nil}, {"target_aa", "main"}}, false},
		{"target none", column{"", convTarget}, "",
			[]assign{{"target_kind", ""}, {"target_user", nil}, {"target_hunt", nil}, {"target_aa", nil}}, false},
		{"target of unknown kind", column{"", convTarget}, "queue:x", nil, true},
		{"target without key", column{"", convTarget}, "user:", nil, true},
		{"target without kind", column{"", convTarget}, "jdoe", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.col.appendValues(nil, tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("values(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestTargetRoundTrip(t *testing.T) {
	for _, tg := range []pbx.Target{"", "user:jdoe@acme.example", "huntgroup:sales", "autoattendant:main"} {
		tc, err := targetColumns(tg)
		if err != nil {
			t.Fatalf("targetColumns(%q): %v", tg, err)
		}
		str := func(v any) string { s, _ := v.(string); return s }
		if got := targetOf(tc.kind, str(tc.user), str(tc.hunt), str(tc.aa)); got != tg {
			t.Errorf("round trip of %q gave %q", tg, got)
		}
	}
}

func TestAssignments(t *testing.T) {
	tests := []struct {
		name    string
		table   *table
		fields  []string
		want    []assign
		wantErr bool
	}{
		{"user fields", userTable, []string{plan.AttrFirstName, "Ann", plan.AttrVoiceEnabled, "true"},
			[]assign{{"first_name", "Ann"}, {"voice_enabled", true}}, false},
		{"the plan's company", userTable, []string{plan.AttrCompany, "acme"}, []assign{{"company", "acme"}}, false},
		{"line user and number", lineTable, []string{plan.AttrUser, "", plan.AttrLines, "2"},
			[]assign{{"user_id", nil}, {"lines", 2}}, false},
		{"unknown field", userTable, []string{"password", "x"}, nil, true},
		{"field of another kind", deviceTable, []string{plan.AttrRouting, "x"}, nil, true},
		{"field twice", userTable, []string{plan.AttrFirstName, "A", plan.AttrFirstName, "B"}, nil, true},
		{"another company", numberTable, []string{plan.AttrCompany, "globex"}, nil, true},
		{"bad value", numberTable, []string{plan.AttrSMS, "maybe"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := &plan.Change{Kind: tt.table.kind, Key: "k"}
			for i := 0; i < len(tt.fields); i += 2 {
				ch.Fields = append(ch.Fields, plan.FieldChange{Field: tt.fields[i], After: tt.fields[i+1]})
			}
			got, err := tt.table.assignments(ch, "acme")
			if tt.wantErr {
				if !errors.Is(err, pbx.ErrInvalid) {
					t.Fatalf("error %v, want one wrapping pbx.ErrInvalid", err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("assignments = %#v, %v; want %#v", got, err, tt.want)
			}
		})
	}
}

func TestEveryAttributeHasAColumn(t *testing.T) {
	want := map[*table][]string{
		userTable: {plan.AttrCompany, plan.AttrSite, plan.AttrFirstName, plan.AttrLastName, plan.AttrEmail, plan.AttrExtension,
			plan.AttrStationType, plan.AttrVoiceEnabled, plan.AttrCallerID, plan.AttrStatus, plan.AttrExternalID},
		numberTable:   {plan.AttrTarget, plan.AttrRouting, plan.AttrSavedRouting, plan.AttrLabel, plan.AttrSMS, plan.AttrLocation},
		deviceTable:   {plan.AttrCompany, plan.AttrModel},
		lineTable:     {plan.AttrUser, plan.AttrNumber, plan.AttrLines},
		locationTable: {plan.AttrCompany, plan.AttrStreet, plan.AttrCity, plan.AttrRegion, plan.AttrPostal, plan.AttrCountry},
	}
	for tb, attrs := range want {
		for _, a := range attrs {
			if _, ok := tb.cols[a]; !ok {
				t.Errorf("%s has no column for plan attribute %q", tb.name, a)
			}
		}
	}
}

func TestRanges(t *testing.T) {
	rs := []pbx.ExtRange{{From: "9000", To: "9999"}, {From: "911", To: "911"}}
	s := formatRanges(rs)
	if s != "9000-9999,911" {
		t.Errorf("formatRanges = %q", s)
	}
	got, err := parseRanges(s)
	if err != nil || !reflect.DeepEqual(got, rs) {
		t.Errorf("parseRanges(%q) = %v, %v", s, got, err)
	}
	if got, err := parseRanges(""); err != nil || got != nil {
		t.Errorf("parseRanges(\"\") = %v, %v", got, err)
	}
	if _, err := parseRanges("9000-"); err == nil {
		t.Error("parseRanges(\"9000-\") succeeded")
	}
	if got := splitList(joinList([]string{"805ec0", "001565"})); !reflect.DeepEqual(got, []string{"805ec0", "001565"}) {
		t.Errorf("OUI list round trip = %v", got)
	}
}
