package roster

import (
	"math"
	"strconv"
	"strings"
)

// mayBeRounded is a quick test for shown text that may be a number Excel's
// General format rounded to scientific notation ("1.41555501E+10").
func mayBeRounded(shown string) bool { return strings.Contains(shown, "E+") }

// cellText returns the text of an XLSX cell from what excelize shows for it
// (formatted by its number format) and the raw value the file stores.
//
// It keeps the shown text, except for one case: a large number in a
// General-format cell, which excelize (like a narrow Excel column) shows
// rounded to 10 or 15 significant digits in scientific notation. Phone
// numbers and MACs that Excel took for numbers end up there, and rounding
// them destroys them, so such a cell gives all the digits it stores.
// Numbers with an explicit scientific format ("0.00E+00") keep that look.
func cellText(shown, raw string) string {
	if shown == raw || !mayBeRounded(shown) {
		return shown
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return shown
	}
	if !isGeneralRounding(shown, v) {
		return shown
	}
	return plainNumber(raw, v)
}

// isGeneralRounding reports whether shown is how excelize renders v in a
// General-format cell: 'G' with 10 significant digits (a styled cell),
// 15 (an unstyled one), or 10 after 15 (both roundings applied).
func isGeneralRounding(shown string, v float64) bool {
	g15 := strconv.FormatFloat(v, 'G', 15, 64)
	if shown == g15 || shown == strconv.FormatFloat(v, 'G', 10, 64) {
		return true
	}
	w, err := strconv.ParseFloat(g15, 64)
	return err == nil && shown == strconv.FormatFloat(w, 'G', 10, 64)
}

// plainNumber writes a stored number without exponent: an integer as all
// its digits, anything else with Excel's 15 significant digits.
func plainNumber(raw string, v float64) string {
	if n, ok := plainInteger(raw); ok {
		return n
	}
	s := strconv.FormatFloat(v, 'e', 14, 64) // [-]d.dddddddddddddde±XX
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if digits == "" {
		return "0"
	}
	var out string
	switch {
	case exp >= len(digits)-1:
		out = digits + strings.Repeat("0", exp-len(digits)+1)
	case exp >= 0:
		out = digits[:exp+1] + "." + digits[exp+1:]
	default:
		out = "0." + strings.Repeat("0", -exp-1) + digits
	}
	if neg {
		out = "-" + out
	}
	return out
}

// plainInteger normalises a stored integer written as plain digits
// ("+0414155550100" -> "414155550100"); false for anything else.
func plainInteger(raw string) (string, bool) {
	sign := ""
	s := raw
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = "-"
		}
		s = s[1:]
	}
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0", true
	}
	return sign + s, true
}
