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
	_, ps = rowOf(t, kv{pbx.FNumber: absent})
	wantOne(t, ps, CodeDeviceNoNumber, pbx.ErrInvalid, 7, pbx.FMAC, "80:5E:C0:12:34:56")
	// An invalid number is reported as such, not as a missing one.
	_, ps = rowOf(t, kv{pbx.FNumber: "12"})
	wantOne(t, ps, CodeNumberInvalid, pbx.ErrNumber, 7, pbx.FNumber, "12")
}

func TestVoiceOffWithNumber(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FVoiceEnabled: "no"})
	wantOne(t, ps, CodeVoiceDisabled, pbx.ErrConflict, 7, pbx.FVoiceEnabled, "no")
}
