package pbx

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"unicode"
)

// ParseMAC and ParseUserID were rewritten byte by byte for speed (validation
// parses one of each per roster row). The fuzz tests hold them to the
// earlier rune-by-rune versions below, kept as the reference: the same
// result, the same error text, for any input.

func refParseUserID(s string) (UserID, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrUserID)
	}
	at := strings.LastIndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return "", fmt.Errorf("%w: %q is not in e-mail form (name@domain)", ErrUserID, s)
	}
	local, domain := s[:at], s[at+1:]
	if strings.ContainsAny(local, " \t@\"(),:;<>[\\]") {
		return "", fmt.Errorf("%w: %q has a character a login cannot hold", ErrUserID, s)
	}
	if err := refCheckDomain(domain); err != nil {
		return "", fmt.Errorf("%w: %q: %v", ErrUserID, s, err)
	}
	return UserID(strings.ToLower(s)), nil // no copy when s is lower-case already
}

func refCheckDomain(d string) error {
	if !strings.Contains(d, ".") {
		return fmt.Errorf("domain %q has no dot", d)
	}
	for label := range strings.SplitSeq(d, ".") {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("domain %q has an empty or overlong label", d)
		}
		for _, r := range label {
			if !(r == '-' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
				return fmt.Errorf("domain %q has the character %q", d, r)
			}
		}
	}
	return nil
}

func refParseMAC(s string) (MAC, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrMAC)
	}
	var b strings.Builder
	b.Grow(12)
	var sep rune
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'f':
			b.WriteRune(r)
		case r >= 'A' && r <= 'F':
			b.WriteRune(r + ('a' - 'A'))
		case r == ':' || r == '-' || r == '.':
			if sep != 0 && sep != r {
				return "", fmt.Errorf("%w: %q mixes separators", ErrMAC, s)
			}
			sep = r
		default:
			return "", fmt.Errorf("%w: %q has the character %q", ErrMAC, s, r)
		}
	}
	hexs := b.String()
	if len(hexs) != 12 {
		return "", fmt.Errorf("%w: %q has %d hex digits, a MAC has 12", ErrMAC, s, len(hexs))
	}
	if sep != 0 && !refWellGrouped(s, sep) {
		return "", fmt.Errorf("%w: %q groups its digits oddly", ErrMAC, s)
	}
	raw, _ := hex.DecodeString(hexs)
	switch {
	case hexs == "000000000000":
		return "", fmt.Errorf("%w: %q is the all-zero address", ErrMAC, s)
	case hexs == "ffffffffffff":
		return "", fmt.Errorf("%w: %q is the broadcast address", ErrMAC, s)
	case raw[0]&1 == 1:
		return "", fmt.Errorf("%w: %q is a multicast address (first byte is odd)", ErrMAC, s)
	}
	return MAC(hexs), nil
}

// wellGrouped reports whether separators split s into groups of 2 (: or -)
// or 4 (. as Cisco writes it).
func refWellGrouped(s string, sep rune) bool {
	want, n := 2, 6
	if sep == '.' {
		want, n = 4, 3
	}
	for p := range strings.SplitSeq(s, string(sep)) {
		if n--; n < 0 || len(p) != want {
			return false
		}
	}
	return n == 0
}

var refInputs = []string{
	"0004f2abcdef", "00:04:F2:AB:CD:EF", "00-04-f2-ab-cd-ef", "0004.f2ab.cdef", "01:00:5e:00:00:01",
	"ff:ff:ff:ff:ff:ff", "FFFFFFFFFFFF", "000000000000", "0004f2abcde", "0004f2abcdef0", "00:04-f2:ab:cd:ef",
	"000:4f2:abc:def", "0004.f2ab.cdef.", ".0004.f2ab.cdef", "00::04f2abcdef", "1.23E+11", " 0004f2abcdef\t",
	"é", "00:04:f2:ab:cd:é", "0004f2abcdeg", "00:04:f2:ab:cd:ef\xff", "\xff", "0004 f2ab cdef", "",
	"JDoe@Acme.Example", "jdoe", "a@b.c", "@x.y", "x@", "a b@c.d", "ü@exämple.com", "a@b..c", "a@.b", "a@b.",
	"a@b.c\x7f", "a@b-c.d_e", "a@b.c\xff", "a@@b.c", "u1@Bench.Example", "a@" + strings.Repeat("x", 64) + ".c",
	"a(b)@c.d", "A@B.C",
}

func FuzzParseMACAsBefore(f *testing.F) {
	for _, s := range refInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseMAC(s)
		want, wantErr := refParseMAC(s)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("ParseMAC(%q) = %q, %v; before: %q, %v", s, got, err, want, wantErr)
		}
	})
}

func FuzzParseUserIDAsBefore(f *testing.F) {
	for _, s := range refInputs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseUserID(s)
		want, wantErr := refParseUserID(s)
		if got != want || fmt.Sprint(err) != fmt.Sprint(wantErr) {
			t.Fatalf("ParseUserID(%q) = %q, %v; before: %q, %v", s, got, err, want, wantErr)
		}
	})
}
