package sqlstore

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
		col     Column
		in      string
		want    []Assign
		wantErr bool
	}{
		{"text", Column{"label", Text}, "Front desk", []Assign{{"label", "Front desk"}}, false},
		{"empty text stays empty", Column{"label", Text}, "", []Assign{{"label", ""}}, false},
		{"nullable", Column{"extension", Null}, "4021", []Assign{{"extension", "4021"}}, false},
		{"nullable empty is NULL", Column{"extension", Null}, "", []Assign{{"extension", nil}}, false},
		{"true", Column{"sms", Bool}, "true", []Assign{{"sms", true}}, false},
		{"false", Column{"sms", Bool}, "false", []Assign{{"sms", false}}, false},
		{"bool not true/false", Column{"sms", Bool}, "yes", nil, true},
		{"empty bool", Column{"sms", Bool}, "", nil, true},
		{"int", Column{"lines", Int}, "3", []Assign{{"lines", 3}}, false},
		{"int not a number", Column{"lines", Int}, "three", nil, true},
		{"target user", Column{"", Target}, "user:jdoe@acme.example",
			[]Assign{{"target_kind", "user"}, {"target_user", "jdoe@acme.example"}, {"target_hunt", nil}, {"target_aa", nil}}, false},
		{"target hunt group", Column{"", Target}, "huntgroup:sales",
			[]Assign{{"target_kind", "huntgroup"}, {"target_user", nil}, {"target_hunt", "sales"}, {"target_aa", nil}}, false},
		{"target auto attendant", Column{"", Target}, "autoattendant:main",
			[]Assign{{"target_kind", "autoattendant"}, {"target_user", nil}, {"target_hunt", nil}, {"target_aa", "main"}}, false},
		{"target none", Column{"", Target}, "",
			[]Assign{{"target_kind", ""}, {"target_user", nil}, {"target_hunt", nil}, {"target_aa", nil}}, false},
		{"target of unknown kind", Column{"", Target}, "queue:x", nil, true},
		{"target without key", Column{"", Target}, "user:", nil, true},
		{"target without kind", Column{"", Target}, "jdoe", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.col.AppendValues(nil, tt.in)
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
		tv, err := TargetValues(tg)
		if err != nil {
			t.Fatalf("TargetValues(%q): %v", tg, err)
		}
		str := func(v any) string { s, _ := v.(string); return s }
		if got := TargetOf(str(tv[0]), str(tv[1]), str(tv[2]), str(tv[3])); got != tg {
			t.Errorf("round trip of %q gave %q", tg, got)
		}
	}
}

func TestAssignments(t *testing.T) {
	tests := []struct {
		name    string
		table   *Table
		fields  []string
		want    []Assign
		wantErr bool
	}{
		{"user fields", Users, []string{plan.AttrFirstName, "Ann", plan.AttrVoiceEnabled, "true"},
			[]Assign{{"first_name", "Ann"}, {"voice_enabled", true}}, false},
		{"the plan's company", Users, []string{plan.AttrCompany, "acme"}, []Assign{{"company", "acme"}}, false},
		{"line user and number", Lines, []string{plan.AttrUser, "", plan.AttrLines, "2"},
			[]Assign{{"user_id", nil}, {"lines", 2}}, false},
		{"unknown field", Users, []string{"password", "x"}, nil, true},
		{"field of another kind", Devices, []string{plan.AttrRouting, "x"}, nil, true},
		{"field twice", Users, []string{plan.AttrFirstName, "A", plan.AttrFirstName, "B"}, nil, true},
		{"another company", Numbers, []string{plan.AttrCompany, "globex"}, nil, true},
		{"bad value", Numbers, []string{plan.AttrSMS, "maybe"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := &plan.Change{Kind: tt.table.Kind, Key: "k"}
			for i := 0; i < len(tt.fields); i += 2 {
				ch.Fields = ch.Fields.Append(plan.FieldChange{Field: tt.fields[i], After: tt.fields[i+1]})
			}
			got, err := tt.table.Assignments(ch, "acme")
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
	want := map[*Table][]string{
		Users: {plan.AttrCompany, plan.AttrSite, plan.AttrFirstName, plan.AttrLastName, plan.AttrEmail, plan.AttrExtension,
			plan.AttrStationType, plan.AttrVoiceEnabled, plan.AttrCallerID, plan.AttrStatus, plan.AttrExternalID},
		Numbers:   {plan.AttrTarget, plan.AttrRouting, plan.AttrSavedRouting, plan.AttrLabel, plan.AttrSMS, plan.AttrLocation},
		Devices:   {plan.AttrCompany, plan.AttrModel},
		Lines:     {plan.AttrUser, plan.AttrNumber, plan.AttrLines},
		Locations: {plan.AttrCompany, plan.AttrStreet, plan.AttrCity, plan.AttrRegion, plan.AttrPostal, plan.AttrCountry},
	}
	for tb, attrs := range want {
		for _, a := range attrs {
			if _, ok := tb.Cols[a]; !ok {
				t.Errorf("%s has no column for plan attribute %q", tb.Name, a)
			}
		}
	}
}
