package mapping

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// Suggestion is a profile drafted from a file's headers and sampled rows,
// with how each field was placed and what could not be.
type Suggestion struct {
	Profile  *Profile
	Placed   []Placed   // in pbx.Fields order
	Unplaced []Unplaced // in file order
}

// Placed says how Suggest placed one field.
type Placed struct {
	Field      pbx.Field
	Headers    []string // the columns it reads; none for a derived field or a default
	Confidence float64  // 0 to 1: how strongly the header says so, times the share of values that pass
	Sampled    int      // non-empty values sampled from its column
	Passed     int      // of them, those the field's parser accepts
	Values     []string // up to three of them: the values that decided it
	By         string   // "profile cucm", `the header word "nebenstelle"`, "its values", "derived from email"
}

// Unplaced is a column no field takes, with a value of it.
type Unplaced struct {
	Header string
	Sample string // its first non-empty sampled value, "" when none
	Why    string
}

// MinShare is the share of a column's sampled values that must pass a
// field's parser for Suggest to place the column in that field; a column
// placed by its values alone needs ValuesOnlyShare.
const (
	MinShare        = 0.8
	ValuesOnlyShare = 0.9
)

// candidate is a way to place columns in a field that Suggest weighs.
type candidate struct {
	field    pbx.Field
	rule     *Rule
	cols     []int   // the columns it reads; the first is the one whose values are checked
	strength float64 // how strongly the header says so
	by       string
	detected bool // a rule of the detected export's profile, which may read a column another of its rules reads
}

// weighed is a candidate with its values weighed.
type weighed struct {
	candidate
	pl     Placed
	failed string // a value that failed the parser, when rejected
}

// Suggest drafts a profile for a file from its headers and some of its rows
// (samples, as read: a cell per header), for `pbxsync mapping suggest FILE`.
// Each column's placement is proposed by its header (the rules of the
// built-in profile Detect picks, then the names the built-ins give each
// field, then header words in several languages) and decided by its values:
// a column goes to a field only if most of its non-empty sampled values
// (MinShare) pass that field's parser. A column no header places goes to a
// MAC, e-mail or phone number field when nearly all its values are one
// (ValuesOnlyShare). Fields the built-ins derive (the login from the e-mail)
// and the extension (the number's last four digits) are derived in the
// draft; headers a built-in ignores are listed under ignore; what remains
// is listed as unplaced, with a value.
func Suggest(headers []string, samples [][]string) *Suggestion {
	s := &suggester{headers: headers, samples: samples, keys: make([]string, len(headers)),
		draft: &Profile{Name: "draft", Description: "drafted by pbxsync from a file's headers and values: check every field",
			Fields: map[pbx.Field]*Rule{}, comments: map[pbx.Field]string{}},
		placed: map[pbx.Field]*Placed{}, taken: map[int]bool{}, shared: map[int]bool{}, byDetected: map[int]bool{}}
	for i, h := range headers {
		s.keys[i] = NormalizeHeader(h)
	}
	s.profiles, s.detected = suggestProfiles(headers)
	s.placeByHeaders(s.candidates())
	s.placeByValues()
	s.derive()
	return s.result()
}

// suggester is the work of one Suggest.
type suggester struct {
	headers, keys []string
	samples       [][]string
	profiles      []*Profile // the detected one first, when detected
	detected      bool
	draft         *Profile
	placed        map[pbx.Field]*Placed
	taken         map[int]bool // columns placed
	shared        map[int]bool // of them, those placed by a rule another may share (see sharesColumn)
	byDetected    map[int]bool // of them, those placed by a rule of the detected profile
	rejected      []weighed    // candidates whose values failed
}

// candidates lists the ways the headers propose to place the columns: the
// detected export's own rules (its defaults go straight into the draft),
// every built-in's names for each field, and header words.
func (s *suggester) candidates() []candidate {
	var cands []candidate
	// The columns the detected export's profile ignores or leaves out on
	// purpose (CUCM's EXTERNAL PHONE NUMBER MASK 2) are not placed by others.
	deliberate := map[int]bool{}
	if s.detected {
		if c, err := compile(s.profiles[0]); err == nil {
			for i, k := range s.keys {
				deliberate[i] = k != "" && (c.ignores(k) || c.leavesOut(k) != "")
			}
		}
	}
	others := func(cols []int) bool {
		for _, col := range cols {
			if deliberate[col] {
				return false
			}
		}
		return true
	}
	if s.detected {
		p := s.profiles[0]
		for _, f := range pbx.Fields {
			if p.Fields[f] == nil {
				continue
			}
			r, cols, ok := narrowRule(p.Fields[f], s.headers, s.keys)
			switch {
			case !ok:
			case len(cols) == 0:
				s.draft.Fields[f] = r
				s.placed[f] = &Placed{Field: f, Confidence: 1, By: fmt.Sprintf("default of profile %s", p.Name)}
			default:
				cands = append(cands, candidate{f, r, cols, 1, "profile " + p.Name, true})
			}
		}
	}
	for _, p := range s.profiles {
		for _, f := range pbx.Fields {
			rule := p.Fields[f]
			if rule == nil {
				continue
			}
			for _, src := range append([]Source{rule.Source}, rule.Or...) {
				own := s.detected && p == s.profiles[0] // its alternatives may read what it ignores when a first choice is there
				if n, cols, ok := narrow(src, s.headers, s.keys); ok && (own || others(cols)) {
					strength := 0.9
					if len(n.Join) > 0 {
						strength = 0.95 // every part of a join in the file places more than one of its columns would (brand + model)
					}
					cands = append(cands, candidate{f, &Rule{Source: n}, cols, strength, fmt.Sprintf("profile %s's name for %s", p.Name, f), own})
				}
			}
		}
	}
	for i, h := range s.headers {
		if s.keys[i] == "" || deliberate[i] {
			continue
		}
		if f, word, strength := headerField(h); strength > 0 {
			src := Source{Columns: Names{cleanHeader(h)}, Multi: f == pbx.FNumber || f == pbx.FOutboundOnly}
			cands = append(cands, candidate{f, &Rule{Source: src}, []int{i}, 0.5 + 0.1*float64(strength), fmt.Sprintf("the header word %q", word), false})
		}
	}
	return cands
}

// placeByHeaders weighs every candidate by its column's values, then places
// the strongest first: a field once, a column once (a name split in first
// and last, a CUCM device name in MAC and port, may feed two fields).
func (s *suggester) placeByHeaders(cands []candidate) {
	var ok []weighed
	for _, c := range cands {
		pl, failed := weigh(c, s.samples)
		if w := (weighed{c, pl, failed}); failed != "" {
			s.rejected = append(s.rejected, w)
		} else {
			ok = append(ok, w)
		}
	}
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].pl.Confidence > ok[j].pl.Confidence })
	for _, w := range ok {
		if s.draft.Fields[w.field] != nil || !s.free(w.candidate) {
			continue
		}
		s.place(w.candidate, w.pl)
	}
}

// free reports whether c may take its columns: they are not taken, or
// taken by a rule that shares them with c's kind (a split name, a CUCM
// device name), or by another rule of the detected profile, as it does
// (CUCM's OWNER USER ID is both the login and the external ID).
func (s *suggester) free(c candidate) bool {
	for _, col := range c.cols {
		if s.taken[col] && !(s.shared[col] && sharesColumn(c.rule)) && !(s.byDetected[col] && c.detected) {
			return false
		}
	}
	return true
}

// place puts c into the draft.
func (s *suggester) place(c candidate, pl Placed) {
	for _, col := range c.cols {
		if !s.taken[col] {
			s.shared[col] = sharesColumn(c.rule)
			s.byDetected[col] = c.detected
		}
		s.taken[col] = true
		pl.Headers = append(pl.Headers, cleanHeader(s.headers[col]))
	}
	s.draft.Fields[c.field] = c.rule
	s.placed[c.field] = &pl
}

// placeByValues places the columns no header placed whose values are
// nearly all MACs, e-mail addresses or phone numbers.
func (s *suggester) placeByValues() {
	for i, h := range s.headers {
		if s.keys[i] == "" || s.taken[i] {
			continue
		}
		for _, f := range []pbx.Field{pbx.FMAC, pbx.FEmail, pbx.FNumber} {
			if s.draft.Fields[f] != nil {
				continue
			}
			c := candidate{f, &Rule{Source: Source{Columns: Names{cleanHeader(h)}}}, []int{i}, 0.6, "its values", false}
			pl, failed := weigh(c, s.samples)
			if failed == "" && pl.Sampled > 0 && float64(pl.Passed) >= ValuesOnlyShare*float64(pl.Sampled) {
				s.place(c, pl)
				break
			}
		}
	}
}

// derive writes the fields the built-ins derive from fields the draft has
// (the login from the e-mail), and the extension from the number.
func (s *suggester) derive() {
	for _, f := range pbx.Fields {
		if s.draft.Fields[f] != nil {
			continue
		}
	derive:
		for _, p := range s.profiles {
			if rule := p.Fields[f]; rule != nil {
				for _, src := range append([]Source{rule.Source}, rule.Or...) {
					if derivable(src, s.draft) {
						s.draft.Fields[f] = &Rule{Source: src}
						s.placed[f] = &Placed{Field: f, Confidence: 1, By: "derived from " + string(src.From) + src.Template}
						break derive
					}
				}
			}
		}
	}
	// The extension from the number, unless a detected export's profile
	// leaves that to validation (DOMAIN rule 5) as the built-in does.
	if !s.detected && s.draft.Fields[pbx.FExtension] == nil && s.draft.Fields[pbx.FNumber] != nil {
		s.draft.Fields[pbx.FExtension] = &Rule{Source: Source{From: pbx.FNumber, LastDigits: 4}}
		s.placed[pbx.FExtension] = &Placed{Field: pbx.FExtension, Confidence: 1,
			By: "derived from number: its last 4 digits (give your site's extension length)"}
	}
}

// result is the suggestion: the placements in pbx.Fields order (each a
// comment of the draft), and the columns left: ignored on purpose by a
// built-in, left out (a second line), or unplaced, with a value and why.
func (s *suggester) result() *Suggestion {
	sg := &Suggestion{Profile: s.draft}
	for _, f := range pbx.Fields {
		if pl := s.placed[f]; pl != nil {
			sg.Placed = append(sg.Placed, *pl)
			s.draft.comments[f] = pl.comment()
		}
	}
	var ignorers []*compiled
	for _, p := range s.profiles {
		if c, err := compile(p); err == nil {
			ignorers = append(ignorers, c)
		}
	}
	seen := map[string]bool{}
	for i, k := range s.keys {
		if k == "" || s.taken[i] || seen[k] {
			continue
		}
		seen[k] = true
		h := cleanHeader(s.headers[i])
		switch what, ignored := deliberately(ignorers, k); {
		case what != "":
			s.draft.LeftOut = append(s.draft.LeftOut, LeftOut{What: what, Columns: Names{h}})
		case ignored:
			s.draft.Ignore = append(s.draft.Ignore, h)
		default:
			sg.Unplaced = append(sg.Unplaced, s.unplaced(i))
		}
	}
	if len(sg.Unplaced) > 0 {
		var list []string
		for _, u := range sg.Unplaced {
			item := u.Header
			if u.Sample != "" {
				item += fmt.Sprintf(" (e.g. %q)", u.Sample)
			}
			list = append(list, item)
		}
		s.draft.notes = append(s.draft.notes,
			fmt.Sprintf("Not placed: %s.", strings.Join(list, ", ")),
			"Map them under fields: or list them under ignore:.")
	}
	return sg
}

// unplaced says why column col was not placed, with a value of it.
func (s *suggester) unplaced(col int) Unplaced {
	u := Unplaced{Header: cleanHeader(s.headers[col]), Sample: sampleOf(s.samples, col), Why: "no field's name or values fit it"}
	for _, w := range s.rejected {
		if w.cols[0] == col {
			u.Why = fmt.Sprintf("its header suggests %s, but its values do not parse as one (%q)", w.field, w.failed)
			break
		}
	}
	return u
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

// deliberately says what the first of cs that knows a header (by its key)
// does with it on purpose: leave it out (what it describes) or ignore it.
// The detected profile comes first, so its word wins over another's.
func deliberately(cs []*compiled, key string) (leftOut string, ignored bool) {
	for _, c := range cs {
		if what := c.leavesOut(key); what != "" {
			return what, false
		}
		if c.ignores(key) {
			return "", true
		}
	}
	return "", false
}
