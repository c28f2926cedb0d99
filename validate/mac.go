package validate

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// canonMAC returns the canonical form of a MAC as the file gave it, or what
// is wrong with it, with a code for each kind of mistake.
func canonMAC(text string) (pbx.MAC, *fault) {
	if scientific(text) {
		return "", &fault{CodeMACScientific,
			fmt.Errorf("%w: %q is in scientific notation", pbx.ErrMAC, text),
			fmt.Sprintf("MAC %q is in scientific notation: a spreadsheet took it for a number", text),
			"format the MAC column as Text and re-enter the MAC from the device label"}
	}
	mac, err := pbx.ParseMAC(text)
	if err == nil {
		return mac, nil
	}
	return "", macFault(text, err)
}

// macFault explains why pbx.ParseMAC refused text.
func macFault(text string, err error) *fault {
	switch macKind(text) {
	case CodeMACZero:
		return &fault{CodeMACZero, err, err.Error(),
			"00:00:00:00:00:00 is a placeholder, not a device: enter the MAC from the device label"}
	case CodeMACBroadcast:
		return &fault{CodeMACBroadcast, err, err.Error(),
			"ff:ff:ff:ff:ff:ff is the broadcast address, not a device: enter the MAC from the device label"}
	case CodeMACMulticast:
		return &fault{CodeMACMulticast, err, err.Error(),
			"a device's MAC has an even first byte (01:00:5e:... is a multicast group): check the label for a typo"}
	}
	hint := "copy the 12 hex digits from the device label, e.g. 00:04:f2:ab:cd:ef, 0004.f2ab.cdef or 0004f2abcdef"
	if allDigits(text) && len(text) < 12 {
		hint = HintLeadingZeros
	}
	return &fault{CodeMACInvalid, err, err.Error(), hint}
}

// macKind classifies a MAC that has twelve hex digits as the zero, broadcast
// or multicast address; anything else is CodeMACInvalid.
func macKind(text string) string {
	var hex []byte
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == ':' || c == '-' || c == '.' || c == ' ':
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F':
			hex = append(hex, c|0x20)
		default:
			return CodeMACInvalid
		}
	}
	h := string(hex)
	switch {
	case len(h) != 12:
		return CodeMACInvalid
	case h == "000000000000":
		return CodeMACZero
	case h == "ffffffffffff":
		return CodeMACBroadcast
	case strings.IndexByte("13579bdf", h[1]) >= 0:
		return CodeMACMulticast
	}
	return CodeMACInvalid
}
