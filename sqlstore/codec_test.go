package sqlstore

import (
	"reflect"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

func TestRanges(t *testing.T) {
	rs := []pbx.ExtRange{{From: "9000", To: "9999"}, {From: "911", To: "911"}}
	s := plan.FormatRanges(rs)
	if s != "9000-9999,911" {
		t.Errorf("plan.FormatRanges = %q", s)
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
	if got := splitList(JoinList([]string{"805ec0", "001565"})); !reflect.DeepEqual(got, []string{"805ec0", "001565"}) {
		t.Errorf("OUI list round trip = %v", got)
	}
}
