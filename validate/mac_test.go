package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestMAC(t *testing.T) {
	noModel := kv{pbx.FModel: absent} // no catalogue, no vendor check
	runField(t, pbx.FMAC, noModel, func(r *pbx.Row) string { return string(r.Device.MAC) }, []fieldCase{
		{in: "0004f2abcdef", want: "0004f2abcdef"},
		{in: "0004F2ABCDEF", want: "0004f2abcdef"},
		{in: "00:04:F2:AB:CD:EF", want: "0004f2abcdef"},
		{in: "00-04-f2-ab-cd-ef", want: "0004f2abcdef"},
		{in: "0004.f2ab.cdef", want: "0004f2abcdef"},
		{in: " 00:04:f2:ab:cd:ef ", want: "0004f2abcdef"},
		{in: "02:00:00:00:00:01", want: "020000000001"}, // locally administered, unicast
		{in: "01:00:5e:00:00:01", code: CodeMACMulticast, err: pbx.ErrMAC},
		{in: "33-33-00-00-00-01", code: CodeMACMulticast, err: pbx.ErrMAC},
		{in: "FF:FF:FF:FF:FF:FF", code: CodeMACBroadcast, err: pbx.ErrMAC},
		{in: "00:00:00:00:00:00", code: CodeMACZero, err: pbx.ErrMAC},
		{in: "000000000000", code: CodeMACZero, err: pbx.ErrMAC},
		{in: "0004f2abcde", code: CodeMACInvalid, err: pbx.ErrMAC},   // 11 digits
		{in: "0004f2abcdef0", code: CodeMACInvalid, err: pbx.ErrMAC}, // 13 digits
		{in: "00:04-f2:ab:cd:ef", code: CodeMACInvalid, err: pbx.ErrMAC},
		{in: "00:04:f2:ab:cd:eg", code: CodeMACInvalid, err: pbx.ErrMAC},
		{in: "000:4f2:abc:def", code: CodeMACInvalid, err: pbx.ErrMAC},
		{in: "00:04:f2:ab:cd:ef:01:02", code: CodeMACInvalid, err: pbx.ErrMAC},
		{in: "1.23E+11", code: CodeMACScientific, err: pbx.ErrMAC},
		{in: "4155550100", code: CodeMACInvalid, err: pbx.ErrMAC},
	})
}

func TestMACHints(t *testing.T) {
	for in, want := range map[string]string{
		"1.23E+11":   "format the MAC column as Text and re-enter the MAC from the device label",
		"4155550100": HintLeadingZeros, // all digits and short: Excel dropped zeros
	} {
		_, f := canonMAC(in)
		if f == nil || f.hint != want {
			t.Errorf("canonMAC(%q) = %+v, want hint %q", in, f, want)
		}
	}
}

func TestScientific(t *testing.T) {
	for s, want := range map[string]bool{
		"1.23E+11": true, "1.4155550100E+10": true, "1.41556E+10": true, "4.1555501e9": true, "1E+11": true,
		"2.5E-3": true, "00000e000012": false, "1e12": false, "4155550100": false, "E+10": false, "1.E+10": false,
		"1.5E+": false, "": false, "1.5": false,
	} {
		if got := scientific(s); got != want {
			t.Errorf("scientific(%q) = %v, want %v", s, got, want)
		}
	}
}
