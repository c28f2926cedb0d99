package mapping

import (
	"strconv"
	"strings"
)

// cucmPart is what cucm_device takes from a CUCM device name.
type cucmPart int

const (
	cucmNone cucmPart = iota
	cucmMAC           // the MAC
	cucmPort          // the port, for an analog gateway port
)

// cucmDevice reads a CUCM device name. Phones and ATAs are named by a prefix
// and their MAC: SEP001B54ABCDEF (a phone), ATA001B54ABCDEF (an ATA 190/191's
// first port), BAT001B54ABCDEF (a phone added by BAT, with the MAC it was
// given). An analog gateway's ports are named AN + the gateway's MAC + the
// port's index from 000 (AN001B54ABCDEF002 is its third port). The MAC part
// gives the MAC (a name of another form is left as it is, for validation to
// report); the port part gives an AN name's port, counted from 1, 1 for an
// ATA, and "" for any other name (a phone's one port). An ATA 190/191's
// second port is named ATA + the MAC's last ten digits + 01, which does not
// give the MAC back: map such a row's MAC and port by hand.
func cucmDevice(name string, part cucmPart) string {
	name = strings.TrimSpace(name)
	prefix := ""
	for _, p := range []string{"SEP", "ATA", "BAT", "AN"} {
		if len(name) > len(p) && strings.EqualFold(name[:len(p)], p) {
			prefix = p
			break
		}
	}
	rest := name[len(prefix):]
	switch {
	case prefix == "AN" && len(rest) == 15 && isHex(rest[:12]) && isDigits(rest[12:]):
		if part == cucmPort {
			n, _ := strconv.Atoi(rest[12:])
			return strconv.Itoa(n + 1)
		}
		return rest[:12]
	case prefix != "" && prefix != "AN" && len(rest) == 12 && isHex(rest):
		if part == cucmPort {
			if prefix == "ATA" {
				return "1" // ATA + its MAC names its first port
			}
			return ""
		}
		return rest
	}
	if part == cucmPort {
		return ""
	}
	return name
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
