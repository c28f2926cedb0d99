package validate

import (
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"sync"

	"github.com/nyaruka/phonenumbers"
	"github.com/pbxsync/pbxsync/pbx"
)

// Parsing a phone number with phonenumbers (pbx.ParseE164) costs some 15 µs,
// most of it in regular expressions; a roster of a million numbers would
// spend 15 s on it alone. fastE164 gives the same answer as pbx.ParseE164 in
// well under a microsecond for the forms rosters mostly hold, and declines
// (ok false) whenever it cannot be sure; the caller then asks pbx.ParseE164.
//
// It takes two forms, with digits separated by nothing or by spaces,
// hyphens, dots and parentheses:
//   - international: "+1 415 555 0100", "+442079460958";
//   - national, as dialled in the region: "(415) 555-0100" in US.
//
// It follows phonenumbers' own steps for them: the country calling code is
// the shortest known one the digits start with; the national number is what
// follows. It declines where phonenumbers would do more than that: a
// national number that starts with 0 (Italian leading zeros) or that begins
// with the region's national prefix as phonenumbers reads it ("0" in GB,
// "1" in US: the prefix would be stripped), a national form that starts
// with the region's international call prefix ("011") or its calling code
// ("1 415..."), and anything else (letters, "ext", "#", ";", "tel:").
//
// Whether the number is valid is phonenumbers.IsValidNumber, asked of the
// same number phonenumbers.Parse would build, through a cache: the patterns
// of a calling code's regions end in runs of "any digit" (\d{4}, [0-9]{6}...),
// so validity depends only on the length of the national number and on its
// digits before that run (see suffixFree). The cache is keyed by exactly
// those, so numbers of one exchange share one answer. TestFastE164MatchesParse
// and FuzzFastE164 hold fastE164 to pbx.ParseE164.

// fastNumbers is the per-Checker state of the fast path.
type fastNumbers struct {
	// valid is keyed by what the validity of a number depends on (see
	// validKey). Bounded by maxValidMemo.
	valid map[validKey]bool
	buf   []byte // the digits of the number being parsed

	// The metadata of the last region and calling code asked about: rows
	// mostly repeat them, and this saves some map lookups a number.
	meta   *metaSet
	region string
	rm     *regionMeta
	cc     ccMeta
}

// validKey is what the validity of a number depends on: its calling code,
// the length of its national number and the national number less its
// suffix-free digits (their count follows from the other two), as a number.
type validKey struct {
	cc   int32
	n    int32
	head uint64
}

// ccMeta is what the fast path knows of one calling code.
type ccMeta struct {
	cc   int32
	home *regionMeta      // the metadata phonenumbers strips the national prefix with
	free *[maxNSN + 1]int // metaSet.suffixFree
	lead int              // metaSet.leading
}

// ccOf returns the metadata of calling code cc.
func (fn *fastNumbers) ccOf(cc int32) *ccMeta {
	if fn.cc.cc != cc || fn.cc.home == nil {
		m := fn.meta
		fn.cc = ccMeta{cc: cc, home: m.regionOf[cc], free: m.suffixFree[cc], lead: m.leading[cc]}
	}
	return &fn.cc
}

const maxValidMemo = 1 << 16

// maxNSN is the longest national number phonenumbers parses.
const maxNSN = 17

// fastE164 returns the E.164 form of text in region as pbx.ParseE164 would,
// and ok; or ok false when it cannot tell (the caller asks pbx.ParseE164).
// An invalid number is never decided here: it returns ok false.
func (fn *fastNumbers) fastE164(text, region string) (pbx.E164, bool) {
	if len(text) == 0 || len(text) > 40 {
		return "", false
	}
	plus := text[0] == '+'
	start := 0
	if plus {
		start = 1
	}
	d := fn.buf[:0]
	for i := start; i < len(text); i++ {
		switch c := text[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
		default:
			return "", false
		}
	}
	fn.buf = d
	if len(d) < 7 || len(d) > 17 {
		return "", false
	}
	if fn.meta == nil {
		fn.meta = phoneMeta()
	}
	meta := fn.meta
	var cc int32
	var nn []byte
	if plus {
		if d[0] == '0' {
			return "", false
		}
		n := int32(0)
		for i := 1; i <= 3; i++ {
			n = 10*n + int32(d[i-1]-'0')
			if r := meta.regionOf[n]; r != nil {
				cc, nn = n, d[i:]
				break
			}
		}
		if cc == 0 {
			return "", false
		}
	} else {
		if region == "" {
			region = "US"
		}
		if region != fn.region || fn.rm == nil {
			fn.region, fn.rm = region, meta.byRegion[strings.ToUpper(region)]
		}
		rm := fn.rm
		if rm == nil || rm.idd.matches(d) || hasPrefixString(d, rm.ccText) {
			return "", false
		}
		cc, nn = rm.cc, d
	}
	if len(nn) < 2 || len(nn) > 17 || nn[0] == '0' {
		return "", false
	}
	ccm := fn.ccOf(cc)
	if ccm.home.nationalPrefix.mayStrip(nn) {
		return "", false
	}
	if !fn.isValid(ccm, nn) {
		return "", false // pbx.ParseE164 words the error
	}
	if plus && len(text) == 1+len(d) {
		return pbx.E164(text), true // "+" and the digits: already E.164
	}
	out := make([]byte, 0, 1+3+len(nn))
	out = append(strconv.AppendInt(append(out, '+'), int64(cc), 10), nn...)
	return pbx.E164(out), true
}

// isValid is phonenumbers.IsValidNumber of the number with calling code cc
// and national number nn (no leading zero), through the cache.
func (fn *fastNumbers) isValid(ccm *ccMeta, nn []byte) bool {
	cc := ccm.cc
	free := 0
	if f := ccm.free; f != nil {
		free = f[len(nn)]
	}
	lead := ccm.lead
	if lead < 0 || lead > len(nn) {
		free = 0
	} else {
		free = min(free, len(nn)-lead)
	}
	if free <= 0 {
		return isValidNumber(cc, nn)
	}
	k := validKey{cc: cc, n: int32(len(nn))}
	for _, c := range nn[:len(nn)-free] { // at most maxNSN digits: they fit
		k.head = 10*k.head + uint64(c-'0')
	}
	if v, ok := fn.valid[k]; ok {
		return v
	}
	v := isValidNumber(cc, nn)
	if fn.valid == nil {
		fn.valid = make(map[validKey]bool)
	}
	if len(fn.valid) < maxValidMemo {
		fn.valid[k] = v
	}
	return v
}

// isValidNumber asks phonenumbers about the number Parse builds from cc and nn.
func isValidNumber(cc int32, nn []byte) bool {
	v, err := strconv.ParseUint(string(nn), 10, 64)
	if err != nil {
		return false
	}
	return phonenumbers.IsValidNumber(&phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &v})
}

func hasPrefixString(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// metaSet is what the fast path knows of phonenumbers' metadata.
type metaSet struct {
	byRegion   map[string]*regionMeta     // by region code (geographic regions)
	regionOf   map[int32]*regionMeta      // by calling code: the main region's (or the non-geographic entity's)
	suffixFree map[int32]*[maxNSN + 1]int // per calling code and length of national number: trailing digits no validity pattern looks at
	leading    map[int32]int              // per calling code: the longest leading-digits pattern of its regions; -1 unbounded
}

// regionMeta is one region's metadata as the fast path uses it.
type regionMeta struct {
	cc             int32
	ccText         string
	idd            prefixPattern // international call prefix, "011"
	nationalPrefix prefixPattern // national prefix for parsing, "1", "0|180020"
}

// prefixPattern is a pattern matched at the start of the digits, as
// phonenumbers matches it: a plain literal by comparison, else by regexp.
type prefixPattern struct {
	literal   string
	re        *regexp.Regexp
	transform bool
	always    bool // matches whatever follows: the fast path declines
}

func newPrefixPattern(p string, transform bool) prefixPattern {
	if p == "" {
		return prefixPattern{}
	}
	if re, err := syntax.Parse(p, syntax.Perl); err == nil && re.Op == syntax.OpLiteral && re.Flags&syntax.FoldCase == 0 {
		return prefixPattern{literal: string(re.Rune), transform: transform}
	}
	re, err := regexp.Compile("^(?:" + p + ")")
	if err != nil {
		return prefixPattern{always: true}
	}
	return prefixPattern{re: re, transform: transform}
}

// matches reports whether the pattern matches at the start of d.
func (p prefixPattern) matches(d []byte) bool {
	switch {
	case p.always:
		return true
	case p.literal != "":
		return hasPrefixString(d, p.literal)
	case p.re != nil:
		return p.re.Match(d)
	}
	return false
}

// mayStrip reports whether phonenumbers could change nn by stripping a
// national prefix from it (maybeStripNationalPrefixAndCarrierCode): the
// pattern matches at its start, unless the match is empty and no transform
// rule applies (stripping nothing changes nothing).
func (p prefixPattern) mayStrip(nn []byte) bool {
	switch {
	case p.always:
		return true
	case p.literal != "":
		return hasPrefixString(nn, p.literal)
	case p.re == nil:
		return false
	}
	loc := p.re.FindSubmatchIndex(nn)
	if loc == nil {
		return false
	}
	plain := !p.transform || loc[len(loc)-2] < 0 // as phonenumbers decides between stripping and transforming
	return !(plain && loc[1] == 0)
}

var phoneMeta = sync.OnceValue(loadPhoneMeta)

func loadPhoneMeta() *metaSet {
	ms := &metaSet{byRegion: map[string]*regionMeta{}, regionOf: map[int32]*regionMeta{},
		suffixFree: map[int32]*[maxNSN + 1]int{}, leading: map[int32]int{}}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return ms // no fast path at all
	}
	type acc struct {
		free    [maxNSN + 1]int
		lead    int
		regions int
	}
	per := map[int32]*acc{}
	for _, m := range coll.Metadata {
		cc := m.GetCountryCode()
		rm := &regionMeta{cc: cc, ccText: strconv.Itoa(int(cc)),
			idd:            newPrefixPattern(m.GetInternationalPrefix(), false),
			nationalPrefix: newPrefixPattern(m.GetNationalPrefixForParsing(), m.GetNationalPrefixTransformRule() != "")}
		if m.GetInternationalPrefix() == "" {
			rm.idd = prefixPattern{always: true} // phonenumbers would take an empty match for a call prefix
		}
		id := m.GetId()
		if id != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY {
			ms.byRegion[id] = rm
		}
		if id == phonenumbers.GetRegionCodeForCountryCode(int(cc)) && ms.regionOf[cc] == nil {
			ms.regionOf[cc] = rm
		}
		a := per[cc]
		if a == nil {
			a = &acc{}
			for n := range a.free {
				a.free[n] = noDigits
			}
			per[cc] = a
		}
		a.regions++
		for _, d := range []*phonenumbers.PhoneNumberDesc{m.GetGeneralDesc(), m.GetFixedLine(), m.GetMobile(),
			m.GetTollFree(), m.GetPremiumRate(), m.GetSharedCost(), m.GetPersonalNumber(), m.GetVoip(),
			m.GetPager(), m.GetUan(), m.GetVoicemail()} {
			if p := d.GetNationalNumberPattern(); p != "" {
				k := suffixFreeAll(p)
				for n := range a.free {
					a.free[n] = min(a.free[n], k[n])
				}
			}
		}
		if ld := m.GetLeadingDigits(); ld != "" && a.lead >= 0 {
			if n := patternMaxLen(ld); n < 0 {
				a.lead = -1
			} else {
				a.lead = max(a.lead, n)
			}
		}
	}
	for cc, a := range per {
		for n, k := range a.free {
			if k >= noDigits { // no pattern takes n digits: nothing is valid, nothing to cache
				a.free[n] = 0
			}
		}
		ms.suffixFree[cc] = &a.free
		lead := a.lead
		if a.regions == 1 {
			lead = 0 // one region: phonenumbers looks at no leading digits
		}
		ms.leading[cc] = lead
	}
	return ms
}

// suffixFree returns k such that pattern p, matched against a whole string
// of n digits, accepts it exactly when it accepts its first n-k digits
// followed by any k digits: every way through p that can match n digits
// ends in k "any digit" positions. 0 when it cannot tell.
//
// Each alternative at the top of the pattern counts only for the lengths it
// can match, so a short special number ("8001111") does not spoil the tail
// of the ten-digit ones. A pattern that matches no string of digits ("NA",
// as the metadata writes a number type a region does not have) looks at no
// digit at all (noDigits).
func suffixFree(p string, n int) int {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return 0
	}
	return freeTail(re, n)
}

// suffixFreeAll is suffixFree of p for every length of national number.
func suffixFreeAll(p string) (k [maxNSN + 1]int) {
	re, err := syntax.Parse(p, syntax.Perl)
	for n := range k {
		if err == nil {
			k[n] = freeTail(re, n)
		}
	}
	return k
}

// noDigits is the tail of a pattern no string of digits matches.
const noDigits = 1 << 20

// takesDigits reports whether some string of digits (maybe empty) matches re.
func takesDigits(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpQuest, syntax.OpStar, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpBeginLine, syntax.OpEndLine:
		return true
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if r < '0' || r > '9' || re.Flags&syntax.FoldCase != 0 {
				return false
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= '9' && re.Rune[i+1] >= '0' {
				return true
			}
		}
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return takesDigits(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min == 0 || takesDigits(re.Sub[0])
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !takesDigits(s) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if takesDigits(s) {
				return true
			}
		}
		return false
	}
	return true // anything else: assume it may
}

// freeTail is suffixFree of re for strings of n digits (n < 0: any length).
// Alternatives that cannot match n digits do not count; in a concatenation
// the length left for an element is known while the elements after it have
// fixed lengths and the ones before it too.
func freeTail(re *syntax.Regexp, n int) int {
	if !takesDigits(re) {
		return noDigits
	}
	if lo, hi := shortest(re), longest(re); n >= 0 && (n < lo || hi >= 0 && n > hi) {
		return noDigits // no string of n digits goes this way
	}
	switch re.Op {
	case syntax.OpCapture:
		return freeTail(re.Sub[0], n)
	case syntax.OpAlternate:
		k := noDigits
		for _, s := range re.Sub {
			k = min(k, freeTail(s, n))
		}
		return k
	case syntax.OpConcat:
		// A·X where X is any digits of lengths from a up: A·X = (A·\d{0,...})·\d{a},
		// so the tail is a plus A's own tail.
		k, rest := 0, n
		for i := len(re.Sub) - 1; i >= 0; i-- {
			x := re.Sub[i]
			if a, ok := anyDigits(x); ok {
				k += a
				if lo, hi := shortest(x), longest(x); rest >= 0 && lo == hi {
					rest -= lo
				} else {
					rest = -1
				}
				continue
			}
			xn := -1
			if rest >= 0 {
				lo, hi := 0, 0
				for _, p := range re.Sub[:i] {
					lo, hi = lo+shortest(p), hi+longest(p)
					if longest(p) < 0 {
						hi = -1 << 30
					}
				}
				if lo == hi {
					xn = rest - lo
				}
			}
			return k + freeTail(x, xn)
		}
		return k
	}
	if a, ok := anyDigits(re); ok {
		return a
	}
	return 0
}

// anyDigits reports whether re matches any run of digits whose length is in
// some set, and the smallest length of the set: \d, [0-9], \d?, \d*, \d+,
// \d{a,b}, (?:\d{3})?, and concatenations and alternatives of those.
func anyDigits(re *syntax.Regexp) (int, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return 0, true
	case syntax.OpCharClass:
		return 1, coversDigits(re)
	case syntax.OpCapture:
		return anyDigits(re.Sub[0])
	case syntax.OpQuest, syntax.OpStar:
		_, ok := anyDigits(re.Sub[0])
		return 0, ok
	case syntax.OpPlus:
		return anyDigits(re.Sub[0])
	case syntax.OpRepeat:
		n, ok := anyDigits(re.Sub[0])
		return re.Min * n, ok
	case syntax.OpConcat:
		sum := 0
		for _, s := range re.Sub {
			n, ok := anyDigits(s)
			if !ok {
				return 0, false
			}
			sum += n
		}
		return sum, true
	case syntax.OpAlternate:
		least := -1
		for _, s := range re.Sub {
			n, ok := anyDigits(s)
			if !ok {
				return 0, false
			}
			if least < 0 || n < least {
				least = n
			}
		}
		return max(least, 0), true
	}
	return 0, false
}

// coversDigits reports whether a character class holds every digit 0-9.
func coversDigits(re *syntax.Regexp) bool {
	for c := '0'; c <= '9'; c++ {
		in := false
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= c && c <= re.Rune[i+1] {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// patternMaxLen is the longest text pattern p can match, -1 when unbounded.
func patternMaxLen(p string) int {
	re, err := syntax.Parse(p, syntax.Perl)
	if err != nil {
		return -1
	}
	return longest(re)
}

func longest(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpQuest:
		return longest(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			m := longest(s)
			if m < 0 {
				return -1
			}
			n += m
		}
		return n
	case syntax.OpAlternate:
		n := 0
		for _, s := range re.Sub {
			m := longest(s)
			if m < 0 {
				return -1
			}
			n = max(n, m)
		}
		return n
	case syntax.OpRepeat:
		m := longest(re.Sub[0])
		if re.Max < 0 || m < 0 {
			return -1
		}
		return re.Max * m
	}
	return -1 // star, plus, anything unknown
}

// shortest is the shortest text re can match.
func shortest(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		return len(re.Rune)
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return shortest(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * shortest(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, s := range re.Sub {
			n += shortest(s)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, s := range re.Sub {
			if m := shortest(s); n < 0 || m < n {
				n = m
			}
		}
		return max(n, 0)
	}
	return 0 // empty, quest, star, assertions
}
