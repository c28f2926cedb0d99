package mapping

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// defaultSeparators split a multi-value cell: "a; b", "a|b", "a, b", one per line.
const defaultSeparators = ";|,\n"

// pipeline is a Source's transforms, compiled once by Bind and applied to
// every row in the fixed order the package documentation gives.
type pipeline struct {
	multi      bool
	seps       string
	cid        bool
	cucm       cucmPart
	trim       []string
	replacer   *strings.Replacer
	namePart   namePart
	valueMap   []mapEntry
	lastDigits int
	prefix     string
	login      bool
	lower      bool
	dateOrder  string // "dmy", "mdy", "ymd" or ""
}

type namePart int

const (
	nameWhole namePart = iota
	nameFirst
	nameLast
)

// mapEntry is one pair of a value map; key is normalised like a header.
type mapEntry struct{ key, to string }

// apply sets v.Text (and v.Parts for a multi-value field) from a cell's
// text; code, when not empty, is the country code each number is given.
func (p *pipeline) apply(v *Value, text, code string) {
	text = strings.TrimSpace(text)
	if !p.multi {
		v.Text = p.one(text, code)
		return
	}
	if text == "" {
		v.Text = ""
		return
	}
	parts := splitMulti(text, p.seps)
	n := 0
	for _, part := range parts {
		if part = p.one(part, code); part != "" {
			parts[n] = part
			n++
		}
	}
	parts = parts[:n]
	if n == 0 {
		parts = nil
	}
	v.Parts = parts
	v.Text = strings.Join(parts, "; ")
}

// one transforms a single value.
func (p *pipeline) one(s, code string) string {
	if s == "" {
		return ""
	}
	if code != "" {
		s = withCountryCode(code, s)
	}
	if p.cid {
		s = cidNumber(s)
	}
	if p.cucm != cucmNone {
		s = cucmDevice(s, p.cucm)
	}
	if p.trim != nil {
		s = trimPrefixFold(s, p.trim)
	}
	if p.replacer != nil {
		s = strings.TrimSpace(p.replacer.Replace(s))
	}
	switch p.namePart {
	case nameFirst:
		s, _ = splitName(s)
	case nameLast:
		_, s = splitName(s)
	}
	for _, e := range p.valueMap {
		if keyEqual(e.key, s) {
			s = e.to
			break
		}
	}
	if p.lastDigits > 0 {
		s = lastDigits(s, p.lastDigits)
	}
	if p.prefix != "" {
		s = addPrefix(s, p.prefix)
	}
	if p.login {
		s = toLogin(s)
	} else if p.lower {
		s = strings.ToLower(s)
	}
	if p.dateOrder != "" {
		s = isoDate(s, p.dateOrder)
	}
	return s
}

// isoDate rewrites a date of three numbers (31/03/2027, 31.03.2027,
// 31-03-2027) in the given order (dmy, mdy, ymd) as 2027-03-31. Anything
// else is returned as it is, for validation to judge.
func isoDate(s, order string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(parts) != 3 {
		return s
	}
	for _, p := range parts {
		if p == "" || len(p) > 4 || strings.Trim(p, "0123456789") != "" {
			return s
		}
	}
	var y, m, d string
	switch order {
	case "dmy":
		d, m, y = parts[0], parts[1], parts[2]
	case "mdy":
		m, d, y = parts[0], parts[1], parts[2]
	default:
		y, m, d = parts[0], parts[1], parts[2]
	}
	if len(y) != 4 || len(m) > 2 || len(d) > 2 {
		return s
	}
	pad := func(x string) string {
		if len(x) == 1 {
			return "0" + x
		}
		return x
	}
	return y + "-" + pad(m) + "-" + pad(d)
}

// splitMulti splits a cell holding several values on any of seps, trimming
// each part and dropping empty ones.
func splitMulti(s, seps string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || strings.ContainsRune(seps, r) })
	n := 0
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			parts[n] = p
			n++
		}
	}
	return parts[:n]
}

// cidNumber extracts the number of a caller ID written `"Ada" <4155550101>`;
// text without angle brackets is returned as it is.
func cidNumber(s string) string {
	open := strings.LastIndexByte(s, '<')
	if open < 0 {
		return s
	}
	end := strings.IndexByte(s[open:], '>')
	if end < 0 {
		return strings.TrimSpace(s[open+1:])
	}
	return strings.TrimSpace(s[open+1 : open+end])
}

// trimPrefixFold removes the first of prefixes that s starts with, ignoring
// case: "SEP0004F2ABCDEF" -> "0004F2ABCDEF".
func trimPrefixFold(s string, prefixes []string) string {
	for _, p := range prefixes {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return strings.TrimSpace(s[len(p):])
		}
	}
	return s
}

// nameParticles start a family name: "Ludwig van Beethoven" -> "van Beethoven".
var nameParticles = map[string]bool{
	"van": true, "von": true, "de": true, "der": true, "den": true, "del": true, "della": true,
	"di": true, "da": true, "dos": true, "das": true, "du": true, "la": true, "le": true,
	"st.": true, "ter": true, "ten": true, "bin": true, "ibn": true, "al": true,
}

// nameSuffixes stay with the family name: "Martin Luther King Jr." -> "King Jr.".
var nameSuffixes = map[string]bool{
	"jr": true, "jr.": true, "sr": true, "sr.": true, "ii": true, "iii": true, "iv": true,
}

// splitName splits a full name written "Last, First" or "First Last". In the
// second form the family name is the last word, or starts at a particle
// (van, de, ...) after the first word; a suffix (Jr., III) stays with it. A
// single word is a first name.
func splitName(s string) (first, last string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ','); i >= 0 {
		return strings.TrimSpace(s[i+1:]), strings.TrimSpace(s[:i])
	}
	words := strings.Fields(s)
	n := len(words)
	switch n {
	case 0:
		return "", ""
	case 1:
		return words[0], ""
	}
	end := n
	if n > 2 && nameSuffixes[strings.ToLower(words[n-1])] {
		end = n - 1
	}
	cut := end - 1
	for i := 1; i < end-1; i++ {
		if nameParticles[strings.ToLower(words[i])] {
			cut = i
			break
		}
	}
	return strings.Join(words[:cut], " "), strings.Join(words[cut:], " ")
}

// lastDigits returns the last n digits of s ("+1 (415) 555-0123", 4 ->
// "0123"), or all its digits when it has fewer.
func lastDigits(s string, n int) string {
	var buf [32]byte
	if n > len(buf) {
		n = len(buf)
	}
	i := len(buf)
	for j := len(s) - 1; j >= 0 && i > len(buf)-n; j-- {
		if c := s[j]; c >= '0' && c <= '9' {
			i--
			buf[i] = c
		}
	}
	return string(buf[i:])
}

// addPrefix puts prefix before s unless s already starts with + or 00 (it
// has a country code) or is empty.
func addPrefix(s, prefix string) string {
	if s == "" || strings.HasPrefix(s, "+") || strings.HasPrefix(s, "00") {
		return s
	}
	return prefix + s
}

// foldLetters spell letters that have no decomposition in ASCII.
var foldLetters = map[rune]string{
	'ø': "o", 'æ': "ae", 'œ': "oe", 'ß': "ss", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'ı': "i",
}

// toLogin makes s fit a login: lower case, accents removed ("José" ->
// "jose"), and only letters, digits and . _ - + @ kept, so spaces and
// apostrophes go ("O'Brien" -> "obrien").
func toLogin(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', strings.ContainsRune("._-+@", r):
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r):
			// a combining accent left by the decomposition
		default:
			b.WriteString(foldLetters[r])
		}
	}
	return b.String()
}
