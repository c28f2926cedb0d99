package validate

import (
	"slices"
	"testing"

	"github.com/nyaruka/phonenumbers"
	"github.com/pbxsync/pbxsync/pbx"
)

// fastCases are numbers of every region phonenumbers knows, in the forms
// rosters write them, with their last digits changed so that numbers of one
// block meet the cache, and with a digit too many and too few.
func fastCases() []string {
	var out []string
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.UAN}
	regions := make([]string, 0, 256)
	for r := range phonenumbers.GetSupportedRegions() {
		regions = append(regions, r)
	}
	slices.Sort(regions)
	for _, r := range regions {
		for _, typ := range types {
			n := phonenumbers.GetExampleNumberForType(r, typ)
			if n == nil {
				continue
			}
			for _, f := range []phonenumbers.PhoneNumberFormat{phonenumbers.E164, phonenumbers.INTERNATIONAL, phonenumbers.NATIONAL} {
				s := phonenumbers.Format(n, f)
				out = append(out, s, s+"9", s[:len(s)-1])
				for _, tail := range []string{"0", "7", "42", "913", "0000", "5555"} {
					if len(s) > len(tail)+4 {
						out = append(out, s[:len(s)-len(tail)]+tail)
					}
				}
			}
		}
	}
	return out
}

// TestFastE164MatchesParse: wherever the fast path answers, it answers as
// pbx.ParseE164 does; and it answers for the forms rosters mostly hold.
func TestFastE164MatchesParse(t *testing.T) {
	cases := fastCases()
	cases = append(cases, "(415) 555-0100", "415.555.0100", "+1 (415) 555-0100", "1 415 555 0100", "011 44 20 7946 0958",
		"+44 (0) 20 7946 0958", "+440 20 7946 0958", "020 7946 0958", "+39 06 1234 5678", "+54 9 11 1234 5678",
		"+1 800 555 0100", "+800 1234 5678", "+1-415-555-0100", "+1 415 555 0100 ext 7", "+1 415 555 0100#")
	var fn fastNumbers
	sites := []string{"US", "GB", "DE", "IT", "AR", "CA", "JE", "", "us"}
	fast, total := 0, 0
	for _, s := range cases {
		for _, region := range sites {
			total++
			got, ok := fn.fastE164(s, region)
			if !ok {
				continue
			}
			fast++
			want, err := pbx.ParseE164(s, region)
			if err != nil || got != want {
				t.Errorf("fastE164(%q, %q) = %q; ParseE164 = %q, %v", s, region, got, want, err)
			}
		}
	}
	t.Logf("fast path answered %d of %d; %d validity blocks cached", fast, total, len(fn.valid))
	if fast < total/4 {
		t.Errorf("fast path answered only %d of %d", fast, total)
	}
	for _, c := range []struct{ text, region string }{
		{"+14155550100", "US"}, {"+1 415 555 0100", "GB"}, {"(415) 555-0100", "US"}, {"415-555-0100", ""},
		{"+44 20 7946 0958", "US"}, {"+49 30 1234567", "DE"}, {"2079460958", "GB"},
	} {
		if _, ok := fn.fastE164(c.text, c.region); !ok {
			t.Errorf("fastE164(%q, %s) declined", c.text, c.region)
		}
	}
	for _, c := range []struct{ text, region string }{
		{"020 7946 0958", "GB"}, {"1 415 555 0100", "US"}, {"011 44 20 7946 0958", "US"}, {"+44 (0) 20 7946 0958", "US"},
		{"+1 415 555 0100 ext 7", "US"}, {"555-0100", "US"}, {"+1 415 555 010", "US"}, {"1.4155550100E+10", "US"},
	} {
		if e, ok := fn.fastE164(c.text, c.region); ok {
			t.Errorf("fastE164(%q, %s) = %q: want it to decline", c.text, c.region, e)
		}
	}
}

func TestSuffixFree(t *testing.T) {
	for _, c := range []struct {
		p    string
		n    int // length of the national number
		want int
	}{
		{`\d{7}`, 7, 7},
		{`[2-9]\d{6}`, 7, 6},
		{`(?:2\d|3[0-5])\d{5}`, 7, 5},
		{`2\d{4}|3\d{6}`, 7, 6}, // only the second takes 7 digits
		{`2\d{4}|3\d{6}`, 5, 4},
		{`2\d{6}|3\d{2}5\d{3}`, 7, 3},
		{`[2-9]\d{5,8}`, 7, 5},
		{`1\d?\d{5}`, 7, 5},
		{`5555555`, 7, 0},
		{`\d{5}55`, 7, 0},
		{`(?:\d{2})?\d{5}`, 7, 5},
		{`[1-9]\d{6}|8(?:00|99)\d{6}`, 9, 6},
		{`(?:6\d|7[0-4])\d{6}|1\d{2}?`, 8, 6}, // {2}? is a lazy {2}: the second takes 3 digits only
		{`(?:6\d|7[0-4])\d{5}|1(?:\d{2})?\d{4}`, 7, 4},
		{`80[08]\d{7}|800\d{6}|8001111`, 10, 7}, // Go factors it into 80(?:[08]\d{7}|0(?:\d{6}|1111))
		{`80[08]\d{7}|800\d{6}|8001111`, 7, 0},
		{`8001111|\d{7}`, 7, 0},
		{`8001111|\d{10}`, 10, 10},
		{`\d{7}(?:\d{3})?`, 10, 7},
		{`NA`, 7, noDigits},
		{`NA|\d{7}`, 7, 7},
		{`\d{7}`, 8, noDigits},
	} {
		if got := suffixFree(c.p, c.n); got != c.want {
			t.Errorf("suffixFree(%s, %d) = %d, want %d", c.p, c.n, got, c.want)
		}
	}
	for p, want := range map[string]int{`268`: 3, `8(?:00|33)`: 3, `2[0-4]|55?`: 2, `1\d*`: -1, `\d{2,4}`: 4} {
		if got := patternMaxLen(p); got != want {
			t.Errorf("patternMaxLen(%s) = %d, want %d", p, got, want)
		}
	}
	for _, c := range []struct {
		cc         int32
		n, atLeast int
	}{{1, 10, 3}, {44, 10, 3}, {33, 9, 4}, {61, 9, 2}} {
		ms := phoneMeta()
		free := ms.suffixFree[c.cc][c.n]
		t.Logf("calling code %d, %d digits: %d free trailing digits, leading digits up to %d", c.cc, c.n, free, ms.leading[c.cc])
		if free < c.atLeast {
			t.Errorf("calling code %d: only %d free trailing digits", c.cc, free)
		}
	}
}

// FuzzFastE164: wherever the fast path answers, pbx.ParseE164 agrees.
func FuzzFastE164(f *testing.F) {
	for _, s := range []string{"+14155550100", "(415) 555-0100", "+44 20 7946 0958", "020 7946 0958", "+49 30 1234567",
		"+39 06 1234 5678", "+800 1234 5678", "+1 268 464 1234", "+7 912 345 67 89", "+61 2 9876 5432", "2079460958"} {
		for i := range fuzzRegions {
			f.Add(s, uint8(i))
		}
	}
	var fn fastNumbers // shared, so the cache serves later inputs
	f.Fuzz(func(t *testing.T, s string, r uint8) {
		region := fuzzRegions[int(r)%len(fuzzRegions)]
		got, ok := fn.fastE164(s, region)
		if !ok {
			return
		}
		want, err := pbx.ParseE164(s, region)
		if err != nil || got != want {
			t.Fatalf("fastE164(%q, %q) = %q; ParseE164 = %q, %v", s, region, got, want, err)
		}
	})
}

func BenchmarkLoadPhoneMeta(b *testing.B) {
	for b.Loop() {
		loadPhoneMeta()
	}
}
