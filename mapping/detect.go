package mapping

import "sync"

// DetectThreshold is the score under which Detect's pick is a guess: fewer
// than half the file's headers are known to the profile. A caller should
// then ask for a profile (or offer Suggest) rather than trust the pick.
const DetectThreshold = 0.5

// Detect picks the built-in profile that knows a file's headers best and
// returns it with its score, from 0 to 1: the share of the file's named
// headers the profile maps or deliberately ignores, halved when a column the
// profile requires is missing or two columns are ambiguous. Ties go to the
// profile that uses more columns, then to the earlier name. With no named
// header it returns nil, 0.
func Detect(headers []string) (*Profile, float64) {
	var best *Profile
	bestScore, bestUsed := 0.0, -1
	for _, p := range parsedBuiltins() {
		b, problems := p.Bind("", "", 1, headers)
		if b.headers == 0 {
			return nil, 0
		}
		score := float64(b.recognized) / float64(b.headers)
		if len(problems) > 0 {
			score /= 2
		}
		if score > bestScore || score == bestScore && b.used > bestUsed {
			best, bestScore, bestUsed = p, score, b.used
		}
	}
	if bestScore == 0 {
		return nil, 0
	}
	fresh, err := Builtin(best.Name) // the caller may change it
	if err != nil {
		return nil, 0
	}
	return fresh, bestScore
}

// parsedBuiltins are the built-in profiles, parsed once, for Detect to
// read and never to hand out.
var parsedBuiltins = sync.OnceValue(func() []*Profile {
	var ps []*Profile
	for _, name := range Builtins() {
		if p, err := Builtin(name); err == nil { // TestBuiltinsParse keeps every built-in valid
			ps = append(ps, p)
		}
	}
	return ps
})
