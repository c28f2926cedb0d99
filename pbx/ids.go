package pbx

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// UserID is a user's login, in e-mail form, case-folded: "jdoe@acme.example".
// Logins are matched without regard to case, so the canonical form is lower case.
type UserID string

// ParseUserID returns the canonical form of a user ID, or an error wrapping
// ErrUserID that says what is wrong with it.
func ParseUserID(s string) (UserID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrUserID)
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", fmt.Errorf("%w: %q is not in e-mail form (name@domain)", ErrUserID, s)
	}
	local, domain := s[:at], s[at+1:]
	for i := 0; i < len(local); i++ { // the characters refused are ASCII, never part of a multi-byte UTF-8 character
		if notInLogin(local[i]) {
			return "", fmt.Errorf("%w: %q has a character a login cannot hold", ErrUserID, s)
		}
	}
	if err := checkDomain(domain); err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrUserID, s, err)
	}
	return UserID(strings.ToLower(s)), nil // no copy when s is lower-case already
}

// notInLogin reports whether c is a character the local part of a login
// cannot hold.
func notInLogin(c byte) bool {
	switch c {
	case ' ', '\t', '@', '"', '(', ')', ',', ':', ';', '<', '>', '[', '\\', ']':
		return true
	}
	return false
}

func checkDomain(d string) error {
	if strings.IndexByte(d, '.') < 0 {
		return fmt.Errorf("domain %q has no dot", d)
	}
	for rest := d; ; {
		label := rest
		dot := strings.IndexByte(rest, '.')
		if dot >= 0 {
			label, rest = rest[:dot], rest[dot+1:]
		}
		if label == "" || len(label) > 63 {
			return fmt.Errorf("domain %q has an empty or overlong label", d)
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !(c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
				r, _ := utf8.DecodeRuneInString(label[i:]) // a rune starts at i: all before it are ASCII
				return fmt.Errorf("domain %q has the character %q", d, r)
			}
		}
		if dot < 0 {
			return nil
		}
	}
}

// Domain returns the part after the @.
func (u UserID) Domain() string {
	s := string(u)
	return s[strings.LastIndexByte(s, '@')+1:]
}

// MAC is a device's hardware address in canonical form: 12 lower-case hex
// digits with no separators, "0004f2abcdef". String renders it with colons.
type MAC string

// ParseMAC accepts 0004f2abcdef, 00:04:F2:AB:CD:EF, 00-04-f2-ab-cd-ef and
// 0004.f2ab.cdef (Cisco), and rejects anything that is not exactly six bytes,
// the all-zero address, the broadcast address and multicast addresses.
func ParseMAC(s string) (MAC, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrMAC)
	}
	var hexs [12]byte
	n := 0 // hex digits seen; the first 12 are kept
	var sep byte
	// The separators must split s into groups of 2 (: or -) or 4 (. as Cisco
	// writes it): 6 or 3 groups.
	group, groups, odd := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
		case c >= 'A' && c <= 'F':
			c += 'a' - 'A'
		case c == ':' || c == '-' || c == '.':
			if sep != 0 && sep != c {
				return "", fmt.Errorf("%w: %q mixes separators", ErrMAC, s)
			}
			sep = c
			odd = odd || group != groupLen(sep)
			group, groups = 0, groups+1
			continue
		default:
			r, _ := utf8.DecodeRuneInString(s[i:]) // a rune starts at i: all before it are ASCII
			return "", fmt.Errorf("%w: %q has the character %q", ErrMAC, s, r)
		}
		if n < len(hexs) {
			hexs[n] = c
		}
		n++
		group++
	}
	if n != 12 {
		return "", fmt.Errorf("%w: %q has %d hex digits, a MAC has 12", ErrMAC, s, n)
	}
	if sep != 0 && (odd || group != groupLen(sep) || groups+1 != 12/groupLen(sep)) {
		return "", fmt.Errorf("%w: %q groups its digits oddly", ErrMAC, s)
	}
	switch h := string(hexs[:]); {
	case h == "000000000000":
		return "", fmt.Errorf("%w: %q is the all-zero address", ErrMAC, s)
	case h == "ffffffffffff":
		return "", fmt.Errorf("%w: %q is the broadcast address", ErrMAC, s)
	case strings.IndexByte("13579bdf", h[1]) >= 0: // the first byte is odd
		return "", fmt.Errorf("%w: %q is a multicast address (first byte is odd)", ErrMAC, s)
	default:
		return MAC(h), nil
	}
}

// groupLen is the length of the groups of hex digits that separator sep
// divides a MAC into.
func groupLen(sep byte) int {
	if sep == '.' {
		return 4
	}
	return 2
}

// String renders the MAC as 00:04:f2:ab:cd:ef.
func (m MAC) String() string {
	s := string(m)
	if len(s) != 12 {
		return s
	}
	return s[0:2] + ":" + s[2:4] + ":" + s[4:6] + ":" + s[6:8] + ":" + s[8:10] + ":" + s[10:12]
}

// OUI returns the vendor prefix, the first three bytes.
func (m MAC) OUI() string {
	if len(m) < 6 {
		return ""
	}
	return string(m[:6])
}

// E164 is a phone number in E.164 form: "+14155550100".
type E164 string

// ParseE164 parses a number as people write it ("(415) 555-0100",
// "+44 20 7946 0958", "0044...", "4155550100") in the given default region
// (ISO 3166 alpha-2, "US") and returns it in E.164 form. It rejects numbers
// that cannot exist in their region.
func ParseE164(s, region string) (E164, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrNumber)
	}
	if region == "" {
		region = "US"
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrNumber, s, err)
	}
	if !phonenumbers.IsValidNumber(n) {
		return "", fmt.Errorf("%w: %q is not a valid number in region %s", ErrNumber, s, region)
	}
	return E164(phonenumbers.Format(n, phonenumbers.E164)), nil
}

// Last returns the last n digits of the number (DOMAIN rule 5: the default
// extension is the last four digits of the user's number).
func (e E164) Last(n int) string {
	s := string(e)
	if len(s) <= n {
		return strings.TrimPrefix(s, "+")
	}
	return s[len(s)-n:]
}

// Extension is an internal dialling number: digits only, leading zeros kept
// and meaningful ("0042" and "42" are different extensions).
type Extension string

// ParseExtension checks that s is 2 to 8 digits. Length rules of a site and
// reserved ranges are checked by Site.CheckExtension.
func ParseExtension(s string) (Extension, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrExtension)
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", fmt.Errorf("%w: %q has the character %q; an extension is digits only", ErrExtension, s, r)
		}
	}
	if len(s) < 2 || len(s) > 8 {
		return "", fmt.Errorf("%w: %q has %d digits; extensions have 2 to 8", ErrExtension, s, len(s))
	}
	return Extension(s), nil
}
