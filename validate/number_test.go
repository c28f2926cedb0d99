package validate

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func firstNumber(r *pbx.Row) string {
	if len(r.Numbers) == 0 {
		return ""
	}
	return string(r.Numbers[0])
}

func TestNumberUS(t *testing.T) {
	runField(t, pbx.FNumber, nil, firstNumber, []fieldCase{
		{in: "(415) 555-0100", want: "+14155550100"},
		{in: "415-555-0100", want: "+14155550100"},
		{in: "415.555.0100", want: "+14155550100"},
		{in: "4155550100", want: "+14155550100"},
		{in: "1 (415) 555-0100", want: "+14155550100"},
		{in: "+1 415 555 0100", want: "+14155550100"},
		{in: "+14155550100", want: "+14155550100"},
		{in: "+44 20 7946 0958", want: "+442079460958"}, // another country's number, written in full
		{in: "555-0100", code: CodeNumberInvalid, err: pbx.ErrNumber},
		{in: "call me", code: CodeNumberInvalid, err: pbx.ErrNumber},
		{in: "1.4155550100E+10", code: CodeNumberScientific, err: pbx.ErrNumber},
		{in: "1.41556E+10", code: CodeNumberScientific, err: pbx.ErrNumber},
	})
}

func TestNumberGB(t *testing.T) {
	london := kv{pbx.FSite: "lon"}
	runField(t, pbx.FNumber, london, firstNumber, []fieldCase{
		{in: "020 7946 0958", want: "+442079460958"},
		{in: "(020) 7946 0958", want: "+442079460958"},
		{in: "02079460958", want: "+442079460958"},
		{in: "+44 20 7946 0958", want: "+442079460958"},
		{in: "0044 20 7946 0958", want: "+442079460958"},
		{in: "0161 496 0000", want: "+441614960000"},
		{in: "+1 415 555 0100", want: "+14155550100"},
		{in: "(415) 555-0100", code: CodeNumberInvalid, err: pbx.ErrNumber}, // a US number without +1 is not British
		{in: "020 7946", code: CodeNumberInvalid, err: pbx.ErrNumber},
	})
}

func TestNumberScientificHint(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FNumber: "1.41556E+10"})
	if p := wantOne(t, ps, CodeNumberScientific, pbx.ErrNumber, 7, pbx.FNumber, "1.41556E+10"); p.Hint != HintScientific {
		t.Errorf("hint = %q", p.Hint)
	}
}

func TestNumberParts(t *testing.T) {
	m := withParts(mapped(7, typical()), pbx.FNumber, "(415) 555-0100", " ", "+1 415 555 0101")
	r, ps := Row(testState(), m)
	wantClean(t, r, ps)
	if !slices.Equal(r.Numbers, []pbx.E164{"+14155550100", "+14155550101"}) {
		t.Errorf("numbers = %v", r.Numbers)
	}

	m = withParts(mapped(7, typical()), pbx.FNumber, "(415) 555-0100", "+14155550100")
	_, ps = Row(testState(), m)
	wantOne(t, ps, CodeNumberRepeated, pbx.ErrDuplicate, 7, pbx.FNumber, "+14155550100")

	m = withParts(mapped(7, typical()), pbx.FNumber, "(415) 555-0100", "nope", "1.4E+10")
	_, ps = Row(testState(), m)
	if len(ps) != 2 || ps[0].Value != "nope" || ps[1].Code != CodeNumberScientific {
		t.Errorf("want a problem per bad part, got %v", ps)
	}
}

func TestOutboundOnly(t *testing.T) {
	r, ps := rowOf(t, kv{pbx.FOutboundOnly: "+1 415 555 0199"})
	wantClean(t, r, ps)
	if !slices.Equal(r.OutboundOnly, []pbx.E164{"+14155550199"}) {
		t.Errorf("outbound = %v", r.OutboundOnly)
	}
	_, ps = rowOf(t, kv{pbx.FOutboundOnly: "415 555 0100"})
	wantOne(t, ps, CodeOutboundAssigned, pbx.ErrConflict, 7, pbx.FOutboundOnly, "+14155550100")
	_, ps = rowOf(t, kv{pbx.FOutboundOnly: "12"})
	wantOne(t, ps, CodeNumberInvalid, pbx.ErrNumber, 7, pbx.FOutboundOnly, "12")
}

func TestCheckerNumberMemo(t *testing.T) {
	c := New(testState())
	for i := 0; i < maxMemo+10; i++ {
		c.number(fmt.Sprintf("1 415 555 %04d", i), "US") // a form the fast path leaves to phonenumbers
	}
	if len(c.numbers) != maxMemo {
		t.Errorf("memo holds %d, want the bound %d", len(c.numbers), maxMemo)
	}
	e, f := c.number("1 415 555 0001", "US") // from the memo
	if f != nil || e != "+14155550001" {
		t.Errorf("memo: %q %v", e, f)
	}
}
