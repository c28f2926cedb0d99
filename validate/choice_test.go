package validate

import (
	"strconv"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestStationType(t *testing.T) {
	runField(t, pbx.FStationType, nil, func(r *pbx.Row) string { return r.User.StationType }, []fieldCase{
		{in: "Premium", want: "premium"},
		{in: "standard", want: "standard"},
		{in: "BASIC", want: "basic"},
		{in: "Executive", want: "executive"},
		{in: "Common Area", want: "common-area"},
		{in: "common_area", want: "common-area"},
		{in: "common-area", want: "common-area"},
		{in: "SoftPhone", want: "softphone"},
		{in: "", want: ""},
		{in: "gold", code: CodeStationTypeInvalid, err: pbx.ErrInvalid},
		{in: "common", code: CodeStationTypeInvalid, err: pbx.ErrInvalid},
	})
}

// noNumber is a row without numbers or device, so that voice and SMS can be
// turned off and on without the row rules.
var noNumber = kv{pbx.FNumber: absent, pbx.FMAC: absent, pbx.FModel: absent}

func TestVoiceEnabled(t *testing.T) {
	got := func(r *pbx.Row) string { return strconv.FormatBool(r.User.VoiceEnabled) }
	var cases []fieldCase
	for _, s := range []string{"yes", "Y", "true", "TRUE", "1", "on", "Enabled"} {
		cases = append(cases, fieldCase{in: s, want: "true"})
	}
	for _, s := range []string{"no", "N", "false", "0", "off", "Disabled", ""} {
		cases = append(cases, fieldCase{in: s, want: "false"})
	}
	cases = append(cases, fieldCase{in: "maybe", code: CodeVoiceEnabledInvalid, err: pbx.ErrInvalid},
		fieldCase{in: "2", code: CodeVoiceEnabledInvalid, err: pbx.ErrInvalid})
	runField(t, pbx.FVoiceEnabled, noNumber, got, cases)
}

func TestSMSValue(t *testing.T) {
	runField(t, pbx.FSMS, noNumber, func(r *pbx.Row) string { return strconv.FormatBool(r.SMS) }, []fieldCase{
		{in: "no", want: "false"},
		{in: "Off", want: "false"},
		{in: "", want: "false"},
		{in: "perhaps", code: CodeSMSInvalid, err: pbx.ErrInvalid},
	})
}

func TestYesNo(t *testing.T) {
	for _, c := range []struct {
		in        string
		value, ok bool
	}{{"yes", true, true}, {" No ", false, true}, {"ENABLED", true, true}, {"x", false, false}, {"", false, false},
		{"Ja", true, true}, {"nein", false, true}, {"oui", true, true}, {"Non", false, true}, {"sí", true, true}} {
		if v, ok := YesNo(c.in); v != c.value || ok != c.ok {
			t.Errorf("YesNo(%q) = %v, %v; want %v, %v", c.in, v, ok, c.value, c.ok)
		}
	}
}
