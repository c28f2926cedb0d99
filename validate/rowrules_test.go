package validate

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestSMSNeedsPlan(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FSMS: "yes"})
	p := wantOne(t, ps, CodeSMSPlan, pbx.ErrConflict, 7, pbx.FSMS, "yes")
	if !strings.Contains(p.Hint, "C1") {
		t.Errorf("hint does not name the plan: %q", p.Hint)
	}
}

func TestSMSNeedsNumber(t *testing.T) {
	st := testState()
	st.Company.SMS, st.Company.Plan = true, "C2"
	r, ps := Row(st, mapped(7, with(typical(), kv{pbx.FSMS: "Y"})))
	wantClean(t, r, ps)
	if !r.SMS {
		t.Error("SMS not set")
	}
	_, ps = Row(st, mapped(7, with(typical(), with(noNumber, kv{pbx.FSMS: "yes"}))))
	wantOne(t, ps, CodeSMSNoNumber, pbx.ErrInvalid, 7, pbx.FSMS, "yes")
}

func TestDeviceNeedsNumber(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FNumber: ""})
	wantOne(t, ps, CodeDeviceNoNumber, pbx.ErrInvalid, 7, pbx.FMAC, "80:5E:C0:12:34:56")
	// No number column at all (Kazoo's onboarding): the row leaves numbers
	// alone, and Live checks the user holds one.
	r, ps := rowOf(t, kv{pbx.FNumber: absent})
	wantClean(t, r, ps)
	st := testState()
	live := Live(st, []*pbx.Row{r})
	wantOne(t, live, CodeDeviceNoNumber, pbx.ErrInvalid, 7, pbx.FMAC, "80:5e:c0:12:34:56")
	st.Users[r.User.ID] = &pbx.User{ID: r.User.ID, Company: "acme", VoiceEnabled: true}
	st.Numbers["+14155550123"] = &pbx.Number{E164: "+14155550123", Company: "acme", Target: pbx.UserTarget(r.User.ID)}
	if live := Live(st, []*pbx.Row{r}); len(live) != 0 {
		t.Errorf("a user with a live number: %v", live)
	}
	// An invalid number is reported as such, not as a missing one.
	_, ps = rowOf(t, kv{pbx.FNumber: "12"})
	wantOne(t, ps, CodeNumberInvalid, pbx.ErrNumber, 7, pbx.FNumber, "12")
}

func TestVoiceOffWithNumber(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FVoiceEnabled: "no"})
	wantOne(t, ps, CodeVoiceDisabled, pbx.ErrConflict, 7, pbx.FVoiceEnabled, "no")
}

// An empty cell of a user attribute leaves the live value alone, like a
// missing column: a blank "Voice Enabled" must not turn voice service off.
func TestEmptyCellLeavesAttributeAlone(t *testing.T) {
	for _, f := range []pbx.Field{pbx.FVoiceEnabled, pbx.FSMS, pbx.FFirstName, pbx.FStationType} {
		r, ps := rowOf(t, kv{f: ""})
		if r == nil {
			t.Fatalf("%s empty: %v", f, ps)
		}
		if r.Has(f) {
			t.Errorf("%s empty: the row claims the field, so the plan would clear it", f)
		}
	}
	if r, _ := rowOf(t, kv{pbx.FVoiceEnabled: "no", pbx.FNumber: absent, pbx.FMAC: absent, pbx.FModel: absent, pbx.FPort: absent}); r == nil || !r.Has(pbx.FVoiceEnabled) || r.User.VoiceEnabled {
		t.Errorf("voice_enabled no: the row must claim it and turn it off")
	}
}
