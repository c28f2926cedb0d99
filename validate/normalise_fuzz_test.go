package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// The normalisers validation uses must be stable (normalising a canonical
// value again gives it back), must never panic, and must wrap their sentinel.

func FuzzParseMAC(f *testing.F) {
	for _, s := range []string{"0004f2abcdef", "00:04:F2:AB:CD:EF", "00-04-f2-ab-cd-ef", "0004.f2ab.cdef",
		"01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "000000000000", "0004f2abcde", "00:04-f2:ab:cd:ef", "1.23E+11", " 0004f2abcdef\t", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := pbx.ParseMAC(s)
		c, flt := canonMAC(s)
		if err != nil {
			if !errors.Is(err, pbx.ErrMAC) {
				t.Fatalf("ParseMAC(%q): %v does not wrap ErrMAC", s, err)
			}
			if flt == nil || !errors.Is(flt.err, pbx.ErrMAC) {
				t.Fatalf("canonMAC(%q) = %q, %v despite %v", s, c, flt, err)
			}
			return
		}
		if len(m) != 12 || strings.ToLower(string(m)) != string(m) {
			t.Fatalf("ParseMAC(%q) = %q: not 12 lower-case hex digits", s, m)
		}
		for _, again := range []string{string(m), m.String(), strings.ToUpper(m.String())} {
			if m2, err := pbx.ParseMAC(again); err != nil || m2 != m {
				t.Fatalf("ParseMAC(%q) = %q, %v; want %q (from %q)", again, m2, err, m, s)
			}
		}
		if flt != nil && flt.code != CodeMACScientific || flt == nil && c != m {
			t.Fatalf("canonMAC(%q) = %q, %v; ParseMAC gave %q", s, c, flt, m)
		}
	})
}

var fuzzRegions = []string{"US", "GB", "DE", "FR", "CA", "AU", "NL", ""}

func FuzzParseE164(f *testing.F) {
	for _, s := range []string{"(415) 555-0100", "+1 415 555 0100", "020 7946 0958", "+44 20 7946 0958", "0044 20 7946 0958",
		"030 123456", "+49 30 1234567", "01 23 45 67 89", "+61 2 9876 5432", "1.4155550100E+10", "555-0100", "+", "tel:+14155550100"} {
		for i := range fuzzRegions {
			f.Add(s, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, s string, r uint8) {
		region := fuzzRegions[int(r)%len(fuzzRegions)]
		e, err := pbx.ParseE164(s, region)
		if err != nil {
			if !errors.Is(err, pbx.ErrNumber) {
				t.Fatalf("ParseE164(%q, %s): %v does not wrap ErrNumber", s, region, err)
			}
			return
		}
		if !strings.HasPrefix(string(e), "+") {
			t.Fatalf("ParseE164(%q, %s) = %q: not E.164", s, region, e)
		}
		for _, again := range []string{"US", region} { // the + form is the same in every region
			if e2, err := pbx.ParseE164(string(e), again); err != nil || e2 != e {
				t.Fatalf("ParseE164(%q, %s) = %q, %v; want %q (from %q in %s)", e, again, e2, err, e, s, region)
			}
		}
	})
}

func FuzzParseExtension(f *testing.F) {
	for _, s := range []string{"4021", "0042", "911", "7", "123456789", "40a1", " 12 ", "٤٠٢١"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		x, err := pbx.ParseExtension(s)
		if err != nil {
			if !errors.Is(err, pbx.ErrExtension) {
				t.Fatalf("ParseExtension(%q): %v does not wrap ErrExtension", s, err)
			}
			return
		}
		if !allDigits(string(x)) || len(x) < 2 || len(x) > 8 {
			t.Fatalf("ParseExtension(%q) = %q", s, x)
		}
		if x2, err := pbx.ParseExtension(string(x)); err != nil || x2 != x {
			t.Fatalf("ParseExtension(%q) = %q, %v; want %q", x, x2, err, x)
		}
		for _, site := range []*pbx.Site{{ExtLen: 4, Reserved: []pbx.ExtRange{{From: "911", To: "911"}}}, {}} {
			if c, flt := canonExtension(string(x), site); flt == nil && c != x {
				t.Fatalf("canonExtension(%q) = %q", x, c)
			}
		}
	})
}

func FuzzParseUserID(f *testing.F) {
	for _, s := range []string{"JDoe@Acme.Example", "jdoe", "a@b.c", "@x.y", "x@", "a b@c.d", "ü@exämple.com", "a@b..c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := pbx.ParseUserID(s)
		if err != nil {
			if !errors.Is(err, pbx.ErrUserID) {
				t.Fatalf("ParseUserID(%q): %v does not wrap ErrUserID", s, err)
			}
			return
		}
		if id2, err := pbx.ParseUserID(string(id)); err != nil || id2 != id {
			t.Fatalf("ParseUserID(%q) = %q, %v; want %q (from %q)", id, id2, err, id, s)
		}
	})
}

// Our own canonical forms of address parts are stable too.
func FuzzAddress(f *testing.F) {
	for _, s := range []string{"94105", "94105-1234", "k1a0b1", "sw1a1aa", "1012ab", "Ontario", "ca", "USA", "UK", "Deutschland"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, country := range []string{"US", "CA", "GB", "DE", "FR", "NL", "AU", "IE", "SE", "JP", "BR", "PL", "PT", "IT", "IN"} {
			if p, ok := Postal(country, s); ok {
				if p2, ok2 := Postal(country, p); !ok2 || p2 != p {
					t.Fatalf("Postal(%s, %q) = %q, then %q, %v", country, s, p, p2, ok2)
				}
			}
			if r, ok := Region(country, s); ok {
				if r2, ok2 := Region(country, r); !ok2 || r2 != r {
					t.Fatalf("Region(%s, %q) = %q, then %q, %v", country, s, r, r2, ok2)
				}
			}
		}
		if c, ok := Country(s); ok {
			if c2, ok2 := Country(c); !ok2 || c2 != c || len(c) != 2 {
				t.Fatalf("Country(%q) = %q, then %q, %v", s, c, c2, ok2)
			}
		}
		if st, ok := StationType(s); ok {
			if st2, ok2 := StationType(st); !ok2 || st2 != st {
				t.Fatalf("StationType(%q) = %q, then %q", s, st, st2)
			}
		}
	})
}

// Row never panics, whatever the cells hold, and returns a row exactly when
// no problem blocks it.
func FuzzRow(f *testing.F) {
	f.Add("jdoe@acme.example", "4021", "(415) 555-0100", "80:5e:c0:12:34:56", "Yealink T42G", "1", "94105", "yes")
	f.Add("", "42", "1.41556E+10", "1.23E+11", "grandstream", "", "K1A", "maybe")
	st := testState()
	f.Fuzz(func(t *testing.T, id, ext, number, mac, model, port, postal, yes string) {
		vals := with(typical(), kv{pbx.FUserID: id, pbx.FExtension: ext, pbx.FNumber: number, pbx.FMAC: mac,
			pbx.FModel: model, pbx.FPort: port, pbx.FPostal: postal, pbx.FSMS: yes, pbx.FCallerID: number})
		r, ps := Row(st, mapped(2, vals))
		if (r == nil) != (len(blocking(ps)) > 0) {
			t.Fatalf("row %v with problems %v", r != nil, ps)
		}
		for _, p := range ps {
			if p.Code == "" || p.Message == "" || p.Hint == "" || p.Err == nil || p.Cell.Row != 2 {
				t.Fatalf("incomplete problem %+v", p)
			}
		}
	})
}
