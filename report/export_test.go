package report_test

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/report"
)

func TestWriteNumbers(t *testing.T) {
	var b bytes.Buffer
	if err := report.WriteNumbers(&b, live()); err != nil {
		t.Fatal(err)
	}
	golden(t, "numbers.csv", b.Bytes())
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 10 || recs[1][0] != "+14155550100" {
		t.Errorf("%d records, first number %q: want 10, +14155550100 as it is (E.164 is never escaped)", len(recs), recs[1][0])
	}
}

func TestWriteRoster(t *testing.T) {
	var b bytes.Buffer
	st := live()
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000",
		Members: []pbx.HuntMember{{User: "eve@acme.example", Position: 1}, {User: "ann@acme.example", Position: 2}}}
	st.Hunts["desk"] = &pbx.HuntGroup{ID: "desk", Company: "acme", Name: "Front desk", Extension: "6001",
		Members: []pbx.HuntMember{{User: "eve@acme.example", Position: 1}}}
	if err := report.WriteRoster(&b, st); err != nil {
		t.Fatal(err)
	}
	golden(t, "roster.csv", b.Bytes())
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var eve, dan []string
	for _, r := range recs {
		switch r[0] {
		case "eve@acme.example":
			eve = r
		case "dan@acme.example":
			dan = r
		}
	}
	if eve == nil {
		t.Fatal("eve is not in the exported roster")
	}
	if eve[1] != "'=1+2" || eve[2] != "'-Eve" {
		t.Errorf("eve's names exported as %q %q, want them behind an apostrophe", eve[1], eve[2])
	}
	if eve[10] != "+14155550112" {
		t.Errorf("eve's number exported as %q, want +14155550112 as it is", eve[10])
	}
	if last := len(eve) - 1; recs[0][last] != "hunt_groups" || eve[last] != "desk;sales" || dan[last] != "" {
		t.Errorf("hunt groups exported as %q (eve %q, dan %q), want desk;sales for eve, none for dan", recs[0][last], eve[last], dan[last])
	}
	if dan == nil || dan[10] != "" || dan[13] != "" {
		t.Errorf("dan (no number, no phone) exported as %q", dan)
	}
}
