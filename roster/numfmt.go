package roster

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/nfp"
)

// What Excel shows that excelize's number formatting does not: the code of
// every built-in format (the locale-dependent ones as Excel shows them in
// en-US), sections chosen by a condition ("[<=9999999]###-####;(###)
// ###-####", Excel's Phone Number format), decimal rounding of what the
// sheet stores (1.005 shows as 1.01, 12.5% of "0%" as 13%), dates beyond
// the calendar, engineering notation ("##0.0E+0") and fractions below one.
// A format is parsed once per cell style (numFormat); excelize formats the
// one section a value needs, given the value Excel would round to.

// builtinFormat is the code of built-in number format id, as Excel shows
// it in en-US: ECMA-376 lists 0-4, 9-22 and 37-49; 5-8 (currency) and
// 27-36, 50-58 (East Asian dates and times) depend on the locale; 23-26 are
// unused. Short dates are written ISO (isoDate). "" is General.
func builtinFormat(id int) string {
	switch id {
	case 1:
		return "0"
	case 2:
		return "0.00"
	case 3:
		return "#,##0"
	case 4:
		return "#,##0.00"
	case 5:
		return `"$"#,##0_);\("$"#,##0\)`
	case 6:
		return `"$"#,##0_);[Red]\("$"#,##0\)`
	case 7:
		return `"$"#,##0.00_);\("$"#,##0.00\)`
	case 8:
		return `"$"#,##0.00_);[Red]\("$"#,##0.00\)`
	case 9:
		return "0%"
	case 10:
		return "0.00%"
	case 11:
		return "0.00E+00"
	case 12:
		return "# ?/?"
	case 13:
		return "# ??/??"
	case 14, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 55, 56, 57, 58:
		return isoDate
	case 15:
		return "d-mmm-yy"
	case 16:
		return "d-mmm"
	case 17:
		return "mmm-yy"
	case 18:
		return "h:mm AM/PM"
	case 19:
		return "h:mm:ss AM/PM"
	case 20:
		return "h:mm"
	case 21:
		return "h:mm:ss"
	case 22:
		return isoDate + " h:mm"
	case 32, 33, 34, 35:
		return "h:mm:ss"
	case 37:
		return `#,##0_);\(#,##0\)`
	case 38:
		return `#,##0_);[Red]\(#,##0\)`
	case 39:
		return `#,##0.00_);\(#,##0.00\)`
	case 40:
		return `#,##0.00_);[Red]\(#,##0.00\)`
	case 41:
		return `_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)`
	case 42:
		return `_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)`
	case 43:
		return `_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)`
	case 44:
		return `_("$"* #,##0.00_);_("$"* \(#,##0.00\);_("$"* "-"??_);_(@_)`
	case 45:
		return "mm:ss"
	case 46:
		return "[h]:mm:ss"
	case 47:
		return "mm:ss.0"
	case 48:
		return "##0.0E+0"
	case 49:
		return "@"
	}
	return ""
}

// numFormat is a number format code split into its sections.
type numFormat struct {
	sections []fmtSection
	// conditional: a section has a [<=9999999]-style condition, so the
	// section is chosen by the conditions instead of by the sign.
	conditional bool
}

// fmtSection is one ;-separated section of a format code.
type fmtSection struct {
	code     string // the section's code, its condition taken out
	cond     func(float64) bool
	date     bool // shows a date or time (elapsed [h] too)
	elapsed  bool // shows elapsed time ([h]:mm): the same in either date system
	general  bool // General, or text (@) only: a number shows as General
	empty    bool // nothing: the number is not shown ("0;-0;;@" for zero)
	decimals int  // digits shown after the point, percent counted; -1: not rounded (dates, fractions, exponents)
	places   int  // placeholders after the point, whatever the kind of number
	subsec   int  // digits of a second a time shows ("mm:ss.0": 1)
	fraction bool // # ?/?: below one, Excel shows no leading 0
	eng      int  // ##0.0E+0: exponents are multiples of this; 0 otherwise
	probe    int  // the scratch workbook's style for code; 0: not made yet
}

// condPattern is a section's condition: [<=9999999], [>100], [<>0].
var condPattern = regexp.MustCompile(`\[(<=|>=|<>|<|>|=)\s*(-?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\]`)

// subsecPattern finds the tenths (hundredths, thousandths) of a second of
// a time format: "mm:ss.0".
var subsecPattern = regexp.MustCompile(`[sS]\.(0{1,3})`)

// parseNumFormat splits a format code into its sections; nil for General.
func parseNumFormat(code string) *numFormat {
	if strings.TrimSpace(code) == "" || strings.EqualFold(strings.TrimSpace(code), "General") {
		return nil
	}
	nf := &numFormat{}
	for _, part := range splitSections(code) {
		s := fmtSection{code: part, decimals: -1}
		if m := condPattern.FindStringSubmatchIndex(part); m != nil {
			op := part[m[2]:m[3]]
			limit, _ := strconv.ParseFloat(part[m[4]:m[5]], 64)
			s.cond = condition(op, limit)
			s.code = part[:m[0]] + part[m[1]:]
			nf.conditional = true
		}
		s.analyse()
		nf.sections = append(nf.sections, s)
	}
	return nf
}

// splitSections splits a format code at the semicolons outside quotes,
// brackets and escapes.
func splitSections(code string) []string {
	var out []string
	start, quoted, bracket := 0, false, false
	for i := 0; i < len(code); i++ {
		switch c := code[i]; {
		case c == '\\' && !quoted:
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[':
			bracket = true
		case c == ']':
			bracket = false
		case c == ';' && !bracket:
			out = append(out, code[start:i])
			start = i + 1
		}
	}
	return append(out, code[start:])
}

func condition(op string, limit float64) func(float64) bool {
	switch op {
	case "<=":
		return func(v float64) bool { return v <= limit }
	case ">=":
		return func(v float64) bool { return v >= limit }
	case "<>":
		return func(v float64) bool { return v != limit }
	case "<":
		return func(v float64) bool { return v < limit }
	case ">":
		return func(v float64) bool { return v > limit }
	}
	return func(v float64) bool { return v == limit }
}

// analyse reads from a section's tokens how it shows a number.
func (s *fmtSection) analyse() {
	p := nfp.NumberFormatParser()
	secs := p.Parse(s.code)
	if len(secs) == 0 {
		s.empty = strings.TrimSpace(s.code) == ""
		s.general = !s.empty
		return
	}
	afterPoint, exponent, intDigits, digits, decimals := false, false, 0, 0, 0
	rounded, text, fraction, onlyQ := true, false, false, true
	first := "" // the kind of the first digit placeholder
	for _, tk := range secs[0].Items {
		switch tk.TType {
		case nfp.TokenTypeGeneral:
			s.general = true
		case nfp.TokenTypeTextPlaceHolder:
			text = true
		case nfp.TokenTypeDateTimes:
			s.date = true
		case nfp.TokenTypeElapsedDateTimes:
			s.date, s.elapsed = true, true
		case nfp.TokenTypeFraction, nfp.TokenTypeDenominator:
			fraction, rounded = true, false
		case nfp.TokenTypeExponential:
			if intDigits > 1 {
				s.eng = intDigits
			}
			exponent, rounded = true, false
		case nfp.TokenTypeDecimalPoint:
			afterPoint = true
		case nfp.TokenTypePercent:
			decimals += 2
		case nfp.TokenTypeZeroPlaceHolder, nfp.TokenTypeHashPlaceHolder, nfp.TokenTypeDigitalPlaceHolder:
			if first == "" {
				first = tk.TType
			}
			onlyQ = onlyQ && tk.TType == nfp.TokenTypeDigitalPlaceHolder
			digits++
			switch {
			case exponent:
			case afterPoint:
				decimals += len(tk.TValue)
				s.places += len(tk.TValue)
			default:
				intDigits += len(tk.TValue)
			}
		}
	}
	s.fraction = fraction && first == nfp.TokenTypeHashPlaceHolder
	if m := subsecPattern.FindStringSubmatch(s.code); s.date && m != nil {
		s.subsec = len(m[1])
	}
	if digits > 0 && onlyQ && !fraction {
		// "-"?? (the zero section of Excel's accounting formats): the
		// question marks stand for spaces, there is no number to show.
		s.code = strings.ReplaceAll(s.code, "?", " ")
		digits = 0
	}
	s.general = s.general || text && digits == 0 && !s.date
	if rounded && digits > 0 && !s.date {
		s.decimals = decimals
	}
}

// maxDateSerial is 9999-12-31 plus one day: Excel shows a date at or past
// it, or before 0, as ####.
const maxDateSerial = 2958466

// section picks the section Excel shows v in, and the value it formats
// there; false when the format shows v as General (a text section, a date
// beyond the calendar).
func (nf *numFormat) section(v float64) (*fmtSection, float64, bool) {
	var s *fmtSection
	n := len(nf.sections)
	if nf.conditional {
		for i := range nf.sections {
			c := &nf.sections[i]
			if c.cond == nil || c.cond(v) {
				s = c
				break
			}
			if i == 2 {
				break
			}
		}
		if s == nil {
			return nil, v, false
		}
	} else {
		switch {
		case v < 0 && n >= 2:
			s, v = &nf.sections[1], -v // the section shows the sign its own way
		case v == 0 && n >= 3:
			s = &nf.sections[2]
		default:
			s = &nf.sections[0]
		}
	}
	if s.general || s.date && (v < 0 || v >= maxDateSerial) {
		return nil, v, false
	}
	return s, v, true
}

// roundShown rounds v to the decimals a format shows, the way Excel does:
// from the 15 significant digits it keeps, half away from zero (1.005 is
// 1.01 in a "0.00" format, where the nearest float64 is 1.00499999...). A
// value that would round to zero keeps its sign section, so it is left.
func roundShown(v float64, decimals int) float64 {
	if decimals < 0 || v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	s := strconv.FormatFloat(math.Abs(v), 'e', 14, 64) // d.dddddddddddddde±XX
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	digits := []byte(strings.Replace(mant, ".", "", 1)) // 15 digits, the point after digit exp+1
	keep := exp + 1 + decimals                          // digits kept
	if keep >= len(digits) {
		return v
	}
	if keep < 0 {
		return v // far below what the format shows: rounds to zero
	}
	up := digits[keep] >= '5'
	digits = digits[:keep]
	if up {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
			exp++
		} else {
			digits[i]++
		}
	}
	if len(digits) == 0 {
		return v
	}
	r, err := strconv.ParseFloat(string(digits)+"e"+strconv.Itoa(exp+1-len(digits)), 64)
	if err != nil || r == 0 {
		return v
	}
	if v < 0 {
		r = -r
	}
	return r
}

// engineering writes v as a "##0.0E+0" section shows it: the exponent a
// multiple of step, the mantissa with decimals digits after the point.
func engineering(v float64, step, decimals int) string {
	if v == 0 {
		return strconv.FormatFloat(0, 'f', max(decimals, 0), 64) + "E+0"
	}
	exp := int(math.Floor(math.Log10(math.Abs(v))))
	e := exp - ((exp%step)+step)%step
	m := v / math.Pow10(e)
	m = roundShown(m, decimals)
	if math.Abs(m) >= math.Pow10(step) {
		e += step
		m = roundShown(v/math.Pow10(e), decimals)
	}
	sign := "+"
	if e < 0 {
		sign, e = "-", -e
	}
	return strconv.FormatFloat(m, 'f', max(decimals, 0), 64) + "E" + sign + strconv.Itoa(e)
}

// splitSecond splits a time for a format showing n digits of a second:
// the time at the whole second (a hair past it, so the layout keeps that
// second) and the digits, rounded as Excel rounds them (37.92 s: 37 and
// "9" for n = 1).
func splitSecond(v float64, n int) (float64, string) {
	scale := math.Pow10(n)
	ticks := math.Round(v * 86400 * scale) // tenths of a second, for n = 1
	whole := math.Floor(ticks / scale)
	frac := ticks - whole*scale
	digits := strconv.FormatFloat(frac, 'f', 0, 64)
	digits = strings.Repeat("0", n-len(digits)) + digits
	return (whole + 1e-4) / 86400, digits
}
