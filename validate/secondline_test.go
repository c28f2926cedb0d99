package validate

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestSecondLine(t *testing.T) {
	for _, c := range []struct {
		name      string
		changes   kv
		want      pbx.E164 // the second line, when valid
		wantLines int      // the phone's line appearances, when valid
		code      string
		field     pbx.Field
		value     string
		words     []string
	}{
		{name: "on a desk phone, no line count", changes: kv{pbx.FSecondLine: "(415) 555-0199"}, want: "+14155550199", wantLines: 2},
		{name: "with a line count of 3", changes: kv{pbx.FSecondLine: "+1 415 555 0199", pbx.FLines: "3"}, want: "+14155550199", wantLines: 3},
		{name: "empty cell", changes: kv{pbx.FSecondLine: ""}, wantLines: 1},
		{name: "no phone", changes: kv{pbx.FSecondLine: "+1 415 555 0199", pbx.FMAC: absent, pbx.FModel: absent},
			code: CodeSecondLineNoPhone, field: pbx.FSecondLine, value: "+14155550199", words: []string{"no phone"}},
		{name: "one line appearance asked", changes: kv{pbx.FSecondLine: "+1 415 555 0199", pbx.FLines: "1"},
			code: CodeSecondLineAppearances, field: pbx.FLines, value: "1", words: []string{"+14155550199", "second one"}},
		{name: "a model with one appearance", changes: kv{pbx.FSecondLine: "+1 415 555 0199", pbx.FModel: "Grandstream HT802",
			pbx.FMAC: "00:0b:82:00:00:01", pbx.FPort: "1"},
			code: CodeSecondLineAppearances, field: pbx.FSecondLine, value: "+14155550199", words: []string{"grandstream-ht802", "1 line appearance"}},
		{name: "the row's own number", changes: kv{pbx.FSecondLine: "(415) 555-0100"},
			code: CodeSecondLineOwn, field: pbx.FSecondLine, value: "+14155550100", words: []string{"+14155550100"}},
		{name: "not a number", changes: kv{pbx.FSecondLine: "line two"},
			code: CodeNumberInvalid, field: pbx.FSecondLine, value: "line two"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r, ps := rowOf(t, c.changes)
			if c.code == "" {
				if len(ps) > 0 {
					t.Fatalf("problems %v", ps)
				}
				if r.SecondLine != c.want || r.Device == nil || r.Device.Lines != c.wantLines {
					t.Errorf("second line %q, device %+v; want %q on a phone with %d appearances", r.SecondLine, r.Device, c.want, c.wantLines)
				}
				return
			}
			p := wantOne(t, ps, c.code, problemSentinel(c.code), 7, c.field, c.value)
			for _, w := range c.words {
				if !strings.Contains(p.Message, w) {
					t.Errorf("message %q does not name %q", p.Message, w)
				}
			}
			if r != nil && r.SecondLine != "" {
				t.Errorf("the row keeps second line %q", r.SecondLine)
			}
		})
	}
}

func problemSentinel(code string) error {
	switch code {
	case CodeSecondLineOwn:
		return pbx.ErrConflict
	case CodeNumberInvalid:
		return pbx.ErrNumber
	}
	return pbx.ErrInvalid
}

// The second line must be a number of the company, as any number the row names.
func TestLiveSecondLine(t *testing.T) {
	st := liveState(1)
	rows := validRows(t, st, with(person(1), kv{pbx.FSecondLine: "+1 415 555 0199"}))
	wantOne(t, Live(st, rows), CodeNumberUnknown, pbx.ErrNotFound, 2, pbx.FSecondLine, "+14155550199")
	st.Numbers["+14155550199"] = &pbx.Number{E164: "+14155550199", Company: "acme", Target: pbx.UserTarget("boss@acme.example")}
	if ps := Live(st, rows); len(ps) > 0 {
		t.Errorf("another user's number as a second line: %v", ps)
	}
	if k := Keys(liveState(1), rows); len(k.Numbers) != 1 || k.Numbers[0] != "+14155550199" {
		t.Errorf("Keys names numbers %v, want the second line (the row's own number is the state's)", k.Numbers)
	}
}
