package validate

// scientific reports whether s looks like a number a spreadsheet rendered in
// scientific notation: "1.23E+11", "1.41556E+10", "4.1555501E9". A decimal
// point or an exponent sign is required, so hex MACs such as "00000e000012"
// are not taken for one.
func scientific(s string) bool {
	i, n := 0, len(s)
	digits := func() int {
		start := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if digits() == 0 {
		return false
	}
	point := false
	if i < n && s[i] == '.' {
		point = true
		i++
		if digits() == 0 {
			return false
		}
	}
	if i == n || s[i] != 'e' && s[i] != 'E' {
		return false
	}
	i++
	sign := i < n && (s[i] == '+' || s[i] == '-')
	if sign {
		i++
	}
	return digits() > 0 && i == n && (point || sign)
}
