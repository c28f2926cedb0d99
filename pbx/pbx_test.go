package pbx_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestColumnLetter(t *testing.T) {
	for i, want := range map[int]string{-1: "", 0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := pbx.ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestCellString(t *testing.T) {
	tests := []struct {
		c    pbx.Cell
		want string
	}{
		{pbx.Cell{File: "r.csv", Row: 7, Col: 2, Header: "MAC"}, "r.csv:C7 (MAC)"},
		{pbx.Cell{File: "r.xlsx", Sheet: "Survey", Row: 3, Col: 0}, "r.xlsx:Survey!A3"},
		{pbx.Cell{Row: 4, Col: -1}, "4"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestTarget(t *testing.T) {
	tg := pbx.UserTarget("jdoe@acme.example")
	if k, key := tg.Split(); k != pbx.TargetUser || key != "jdoe@acme.example" || tg.User() != "jdoe@acme.example" {
		t.Errorf("UserTarget split to %q %q", k, key)
	}
	hg := pbx.MakeTarget(pbx.TargetHuntGroup, "sales")
	if hg.User() != "" || hg != "huntgroup:sales" {
		t.Errorf("hunt group target %q has user %q", hg, hg.User())
	}
	if pbx.MakeTarget(pbx.TargetNone, "x") != "" {
		t.Error("a target of no kind is not empty")
	}
}

func TestSiteCheckExtension(t *testing.T) {
	s := &pbx.Site{Code: "hq", ExtLen: 4, Reserved: []pbx.ExtRange{{"911", "911"}, {"9000", "9999"}}}
	for ext, ok := range map[pbx.Extension]bool{"1001": true, "0042": true, "9000": false, "9999": false, "8999": true, "911": false, "42": false} {
		err := s.CheckExtension(ext)
		if (err == nil) != ok {
			t.Errorf("CheckExtension(%s) = %v, want ok=%v", ext, err, ok)
		}
		if err != nil && !errors.Is(err, pbx.ErrExtension) {
			t.Errorf("CheckExtension(%s) error %v does not wrap ErrExtension", ext, err)
		}
	}
	own := &pbx.Site{Code: "lon", OwnDialPlan: true}
	if own.ExtScope() != "lon" || s.ExtScope() != "" {
		t.Error("extension scope: own dial plan gives the site code, else the company")
	}
}

func TestLineKeyAndMACString(t *testing.T) {
	m, err := pbx.ParseMAC("0004.F2AB.CDEF")
	if err != nil {
		t.Fatal(err)
	}
	if pbx.LineKey(m, 2) != "0004f2abcdef/2" || m.String() != "00:04:f2:ab:cd:ef" || m.OUI() != "0004f2" {
		t.Errorf("key %q string %q oui %q", pbx.LineKey(m, 2), m, m.OUI())
	}
}

func TestE164Last(t *testing.T) {
	if got := pbx.E164("+14155550101").Last(4); got != "0101" {
		t.Errorf("Last(4) = %q, want 0101 (leading zero kept)", got)
	}
}

func TestProblemWrapsSentinel(t *testing.T) {
	p := &pbx.Problem{Cell: pbx.Cell{Row: 3, Col: 1}, Code: "mac.multicast", Err: pbx.ErrMAC}
	var err error = p
	if !errors.Is(err, pbx.ErrMAC) || errors.Is(err, pbx.ErrNumber) {
		t.Error("Problem must unwrap to its sentinel only")
	}
	if !p.Blocking() || (&pbx.Problem{Severity: pbx.SevWarning}).Blocking() {
		t.Error("errors block, warnings do not")
	}
}

func TestCellJSONHasColumnLetter(t *testing.T) {
	b, err := json.Marshal(pbx.Cell{File: "a.csv", Row: 7, Col: 8, Header: "MAC Address"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"file":"a.csv","row":7,"col":8,"header":"MAC Address","column":"I"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	var back pbx.Cell
	if err := json.Unmarshal(b, &back); err != nil || back != (pbx.Cell{File: "a.csv", Row: 7, Col: 8, Header: "MAC Address"}) {
		t.Errorf("round trip: %+v, %v", back, err)
	}
}
