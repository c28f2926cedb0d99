package mapping

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/pbxsync/pbxsync/pbx"
)

// Suggest places a column in a field only if most of its sampled values
// pass that field's parser. For the identifiers these are pbx's own parsers,
// the ones validation runs (ParseUserID, ParseMAC, ParseE164, ParseExtension);
// for the other fields a check of the value's shape, looser than validation
// (which knows the company's catalogue, sites and station types) but strict
// enough that a column of yes/no is never an extension, a column of MACs
// never an address and a column of 5060 never a device port.

// suggestRegion is the region national numbers are parsed in when
// suggesting: a number valid in any region has at least its shape.
const suggestRegion = "US"

// parses reports whether text is a value of field f.
func parses(f pbx.Field, text string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return true
	}
	switch f {
	case pbx.FUserID, pbx.FEmail:
		_, err := pbx.ParseUserID(text)
		return err == nil
	case pbx.FMAC:
		_, err := pbx.ParseMAC(text)
		return err == nil
	case pbx.FExtension:
		_, err := pbx.ParseExtension(text)
		return err == nil
	case pbx.FNumber, pbx.FOutboundOnly:
		return isNumber(text)
	case pbx.FCallerID:
		return isNumber(text) || keyEqual("anonymous", text) || keyEqual("own", text)
	case pbx.FPort:
		n, err := strconv.Atoi(text)
		return err == nil && n >= 1 && n <= 48 // an ATA's or a gateway's ports; 5060 is a SIP port
	case pbx.FLines:
		n, err := strconv.Atoi(text)
		return err == nil && n >= 1 && n <= 32
	case pbx.FVoiceEnabled, pbx.FSMS:
		return yesNoWords[strings.ToLower(text)]
	case pbx.FFirstName, pbx.FLastName, pbx.FCity, pbx.FRegion, pbx.FCountry:
		return isName(text, 64)
	case pbx.FStationType, pbx.FSite:
		return isWord(text, 32)
	case pbx.FModel:
		return isWord(text, 64) && hasLetter(text) && !isMAC(text)
	case pbx.FExternalID: // an HR number, a directory's ID or login
		return len(text) <= 64 && !strings.ContainsAny(text, " \t") && !yesNoWords[strings.ToLower(text)]
	case pbx.FPostal:
		return len(text) <= 10 && hasDigit(text) && strings.IndexFunc(text, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-')
		}) < 0
	case pbx.FStreet:
		return len(text) <= 128 && hasLetter(text) && strings.Contains(text, " ") && !isMAC(text) && !strings.Contains(text, "@")
	case pbx.FNumberLabel:
		return len(text) <= 128 && !isMAC(text) && !strings.Contains(text, "@")
	}
	return false
}

// yesNoWords are the yes/no forms validation reads (validate.YesNo).
var yesNoWords = map[string]bool{"yes": true, "y": true, "true": true, "1": true, "on": true, "enabled": true,
	"no": true, "n": true, "false": true, "0": true, "off": true, "disabled": true}

// isNumber reports whether s is a phone number (E.164, national, a tel: URI,
// or a CUCM mask whose X's a DN fills), and only that: a serial number with
// letters is not read as a vanity number.
func isNumber(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), "tel:")
	if i := strings.Index(s, ";ext="); i > 0 {
		s = s[:i]
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == 'X' || r == 'x':
			digits++
		case strings.ContainsRune("+ ()-./", r):
		default:
			return false
		}
	}
	if digits < 7 {
		return false
	}
	s = strings.NewReplacer("X", "0", "x", "0").Replace(s)
	_, err := pbx.ParseE164(s, suggestRegion)
	return err == nil
}

// isName: letters, spaces and the punctuation of names and places, no digit.
func isName(s string, max int) bool {
	if len(s) > max || !hasLetter(s) || yesNoWords[strings.ToLower(s)] {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsMark(r) || strings.ContainsRune(" -'.,\u00a0’", r))
	}) < 0
}

// isWord: a short text of letters, digits, spaces and - _ / . (a model, a
// site code, a station type), not a yes/no.
func isWord(s string, max int) bool {
	if len(s) > max || yesNoWords[strings.ToLower(s)] {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(" -_/.()", r))
	}) < 0
}

func isMAC(s string) bool {
	_, err := pbx.ParseMAC(s)
	return err == nil
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }
func hasDigit(s string) bool  { return strings.IndexFunc(s, unicode.IsDigit) >= 0 }
