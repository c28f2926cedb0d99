package mapping

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Suggest drafts a profile from a file's headers, for `pbxsync mapping
// suggest FILE`: each field takes the first header that a built-in profile
// (the one Detect picks for the headers first, then pbxsync's own) would map
// to it, with that profile's transforms;
// fields the built-ins derive (the login from the e-mail) are derived the
// same way; remaining headers are placed by keywords ("Work Phone" ->
// number); headers a built-in ignores are listed under ignore. It returns
// the draft and the headers it could not place, each once, in file order.
func Suggest(headers []string) (*Profile, []string) {
	draft := &Profile{Name: "draft", Description: "drafted by pbxsync from a file's headers: check every field",
		Fields: map[pbx.Field]*Rule{}}
	keys := make([]string, len(headers))
	for i, h := range headers {
		keys[i] = NormalizeHeader(h)
	}
	placed := make([]bool, len(headers))
	profiles, detected := suggestProfiles(headers)

	for _, f := range pbx.Fields {
		// The profile Detect picks speaks for the fields it has rules for:
		// its columns with their alternatives, its default; its derivations
		// come in the next pass.
		if detected && profiles[0].Fields[f] != nil {
			if r, cols, ok := narrowRule(profiles[0].Fields[f], headers, keys); ok {
				draft.Fields[f] = r
				markPlaced(placed, cols)
			}
			continue
		}
		// A join every part of which is in the file places more than a single
		// column would (brand + model), so it is preferred.
		if s, cols, ok := findSource(profiles, f, headers, keys, true); ok {
			draft.Fields[f] = &Rule{Source: s}
			markPlaced(placed, cols)
		} else if s, cols, ok := findSource(profiles, f, headers, keys, false); ok {
			draft.Fields[f] = &Rule{Source: s}
			markPlaced(placed, cols)
		}
	}
	for _, f := range pbx.Fields { // derived fields, now that the columns are placed
		if draft.Fields[f] != nil {
			continue
		}
	derive:
		for _, p := range profiles {
			if rule := p.Fields[f]; rule != nil {
				for _, src := range append([]Source{rule.Source}, rule.Or...) {
					if derivable(src, draft) {
						draft.Fields[f] = &Rule{Source: src}
						break derive
					}
				}
			}
		}
	}
	for i, k := range keys { // keywords for what no profile knows
		if k == "" || placed[i] {
			continue
		}
		if f, ok := keywordField(headers[i]); ok && draft.Fields[f] == nil {
			s := Source{Columns: []string{cleanHeader(headers[i])}, Multi: f == pbx.FNumber || f == pbx.FOutboundOnly}
			draft.Fields[f] = &Rule{Source: s}
			placed[i] = true
		}
	}
	var ignorers []*compiled
	for _, p := range profiles {
		if c, err := compile(p); err == nil {
			ignorers = append(ignorers, c)
		}
	}
	ignored := func(k string) bool {
		for _, c := range ignorers {
			if c.ignores(k) {
				return true
			}
		}
		return false
	}
	var unplaced []string
	seen := map[string]bool{}
	for i, k := range keys {
		if k == "" || placed[i] || seen[k] {
			continue
		}
		seen[k] = true
		if what := leftOutBy(ignorers, k); what != "" {
			draft.LeftOut = append(draft.LeftOut, LeftOut{What: what, Columns: Names{cleanHeader(headers[i])}})
		} else if ignored(k) {
			draft.Ignore = append(draft.Ignore, cleanHeader(headers[i]))
		} else {
			unplaced = append(unplaced, cleanHeader(headers[i]))
		}
	}
	if len(unplaced) > 0 {
		draft.notes = append(draft.notes,
			fmt.Sprintf("Not placed: %s.", strings.Join(unplaced, ", ")),
			"Map them under fields: or list them under ignore:.")
	}
	return draft, unplaced
}

// findSource returns the first source of field f in profiles whose columns
// the file has, narrowed to the file's headers; only joins when joins is set.
func findSource(profiles []*Profile, f pbx.Field, headers, keys []string, joins bool) (Source, []int, bool) {
	for _, p := range profiles {
		rule := p.Fields[f]
		if rule == nil || rule.Source.kinds() == 0 {
			continue
		}
		for _, src := range append([]Source{rule.Source}, rule.Or...) {
			if joins != (len(src.Join) > 0) {
				continue
			}
			if s, cols, ok := narrow(src, headers, keys); ok {
				return s, cols, true
			}
		}
	}
	return Source{}, nil, false
}

func markPlaced(placed []bool, cols []int) {
	for _, c := range cols {
		placed[c] = true
	}
}

// suggestProfiles are the built-ins in the order Suggest consults them: the
// legacy profile Detect picks for the headers (when it knows most of them: a
// legacy export keeps its own transforms, CUCM's DID mask say; detected is
// then true), then pbxsync's own, then the others.
func suggestProfiles(headers []string) (ps []*Profile, detected bool) {
	var first []string
	if p, score := Detect(headers); p != nil && score >= DetectThreshold && p.Name != "pbxsync" {
		first = append(first, p.Name)
		detected = true
	}
	first = append(first, "pbxsync")
	seen := map[string]bool{}
	for _, name := range append(first, Builtins()...) {
		if seen[name] {
			continue
		}
		seen[name] = true
		if p, err := Builtin(name); err == nil {
			ps = append(ps, p)
		}
	}
	return ps, detected
}

// narrowRule narrows a rule's column and join sources to the file's
// headers, keeping the alternatives the file has. A rule that starts with a
// derivation is left for the derivation pass (false); one with no source in
// the file keeps only its default, if any.
func narrowRule(rule *Rule, headers, keys []string) (*Rule, []int, bool) {
	var srcs []Source
	var cols []int
	for _, src := range append([]Source{rule.Source}, rule.Or...) {
		if src.kinds() == 0 {
			continue
		}
		if src.From != "" || src.Template != "" {
			if len(srcs) == 0 {
				return nil, nil, false
			}
			break
		}
		if n, c, ok := narrow(src, headers, keys); ok {
			srcs = append(srcs, n)
			cols = append(cols, c...)
		}
	}
	if len(srcs) == 0 {
		if rule.Default == "" {
			return nil, nil, false
		}
		return &Rule{Default: rule.Default}, nil, true
	}
	r := &Rule{Source: srcs[0], Or: srcs[1:], OrIfEmpty: rule.OrIfEmpty && len(srcs) > 1}
	if len(r.Or) == 0 {
		r.Or = nil
	}
	return r, cols, true
}

// narrow returns src with its column names replaced by the file's own
// headers, when the file has them, and the columns it uses.
func narrow(src Source, headers, keys []string) (Source, []int, bool) {
	find := func(names []string) int {
		for _, n := range names {
			want := NormalizeHeader(n)
			for i, k := range keys {
				if k == want {
					return i
				}
			}
		}
		return -1
	}
	switch {
	case len(src.Columns) > 0:
		col := find(src.Columns)
		if col < 0 {
			return src, nil, false
		}
		cols := []int{col}
		src.Columns = []string{cleanHeader(headers[col])}
		if cc := find(src.CountryCode); cc >= 0 {
			src.CountryCode = []string{cleanHeader(headers[cc])}
			cols = append(cols, cc)
		} else {
			src.CountryCode = nil
		}
		return src, cols, true
	case len(src.Join) > 0:
		var cols []int
		var names []string
		for _, n := range src.Join {
			if c := find([]string{n}); c >= 0 {
				cols = append(cols, c)
				names = append(names, cleanHeader(headers[c]))
			}
		}
		if len(cols) < len(src.Join) {
			return src, nil, false
		}
		src.Join = names
		return src, cols, true
	}
	return src, nil, false
}

// derivable reports whether src derives a field from fields the draft has.
func derivable(src Source, draft *Profile) bool {
	var t *template
	var err error
	switch {
	case src.From != "":
		t, err = parseTemplate("{" + string(src.From) + "}")
	case src.Template != "":
		t, err = parseTemplate(src.Template)
	default:
		return false
	}
	if err != nil {
		return false
	}
	for _, d := range t.deps {
		if draft.Fields[d] == nil {
			return false
		}
	}
	return true
}

// keywords place a header no profile knows: the first entry with a word of
// the header wins. Short words must be a whole word of the header; longer
// ones may be part of one ("Mobile Number" has "number").
var keywords = []struct {
	field pbx.Field
	words []string
}{
	{pbx.FMAC, []string{"mac", "macaddress", "hardware"}},
	{pbx.FEmail, []string{"email", "mail"}},
	{pbx.FFirstName, []string{"firstname", "givenname", "first", "forename", "prenom", "vorname"}},
	{pbx.FLastName, []string{"lastname", "surname", "familyname", "last", "nachname"}},
	{pbx.FUserID, []string{"userid", "login", "username", "upn", "account"}},
	{pbx.FExternalID, []string{"external", "employee", "personnel", "staff", "badge", "hrid"}},
	{pbx.FExtension, []string{"extension", "ext", "extn", "internal"}},
	{pbx.FModel, []string{"model", "phonetype", "devicetype", "handset"}},
	{pbx.FNumber, []string{"did", "ddi", "telephone", "direct", "number", "phone", "tel", "mobile"}},
	{pbx.FStationType, []string{"station", "license", "licence", "seat"}},
	{pbx.FSite, []string{"site", "office", "branch"}},
	{pbx.FPort, []string{"port"}},
	{pbx.FStreet, []string{"street", "address"}},
	{pbx.FCity, []string{"city", "town"}},
	{pbx.FRegion, []string{"state", "province", "region"}},
	{pbx.FPostal, []string{"zip", "postal", "postcode"}},
	{pbx.FCountry, []string{"country"}},
}

// keywordField is the field a header's words suggest.
func keywordField(header string) (pbx.Field, bool) {
	words := strings.FieldsFunc(strings.ToLower(header), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	})
	key := NormalizeHeader(header)
	for _, kw := range keywords {
		for _, w := range kw.words {
			if len(w) >= 5 && strings.Contains(key, w) {
				return kw.field, true
			}
			for _, hw := range words {
				if hw == w {
					return kw.field, true
				}
			}
		}
	}
	return "", false
}

// leftOutBy is what the first of cs that leaves out a header (by its key)
// says it describes, or "".
func leftOutBy(cs []*compiled, key string) string {
	for _, c := range cs {
		if what := c.leavesOut(key); what != "" {
			return what
		}
	}
	return ""
}
