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
	draft := &Profile{Name: "draft", Description: "drafted by pbxsync from a file's headers and values: check every field",
		Fields: map[pbx.Field]*Rule{}, comments: map[pbx.Field]string{}}
	sg := &Suggestion{Profile: draft}
	keys := make([]string, len(headers))
	for i, h := range headers {
		keys[i] = NormalizeHeader(h)
	}
	profiles, detected := suggestProfiles(headers)

	var cands []candidate
	placedBy := map[pbx.Field]*Placed{}
	if detected { // the detected export's own rules, transforms and defaults first
		p := profiles[0]
		for _, f := range pbx.Fields {
			if p.Fields[f] == nil {
				continue
			}
			r, cols, ok := narrowRule(p.Fields[f], headers, keys)
			switch {
			case !ok:
			case len(cols) == 0:
				draft.Fields[f] = r
				placedBy[f] = &Placed{Field: f, Confidence: 1, By: fmt.Sprintf("default of profile %s", p.Name)}
			default:
				cands = append(cands, candidate{f, r, cols, 1, "profile " + p.Name})
			}
		}
	}
	for _, p := range profiles {
		for _, f := range pbx.Fields {
			rule := p.Fields[f]
			if rule == nil {
				continue
			}
			for _, src := range append([]Source{rule.Source}, rule.Or...) {
				if s, cols, ok := narrow(src, headers, keys); ok {
					strength := 0.9
					if len(s.Join) > 0 {
						strength = 0.95 // every part of a join in the file places more than one of its columns would (brand + model)
					}
					cands = append(cands, candidate{f, &Rule{Source: s}, cols, strength, fmt.Sprintf("profile %s's name for %s", p.Name, f)})
				}
			}
		}
	}
	for i, h := range headers {
		if keys[i] == "" {
			continue
		}
		if f, word, strength := headerField(h); strength > 0 {
			s := Source{Columns: Names{cleanHeader(h)}, Multi: f == pbx.FNumber || f == pbx.FOutboundOnly}
			cands = append(cands, candidate{f, &Rule{Source: s}, []int{i}, 0.5 + 0.1*float64(strength), fmt.Sprintf("the header word %q", word)})
		}
	}

	// Weigh every candidate by its column's values, then place the
	// strongest first: a field once, a column once (a name split in first
	// and last, a CUCM device name in MAC and port, may feed two fields).
	type weighed struct {
		candidate
		pl     Placed
		failed string // a value that failed the parser, when rejected
	}
	var ok, rejected []weighed
	for _, c := range cands {
		pl, failed := weigh(c, samples)
		w := weighed{c, pl, failed}
		if failed != "" {
			rejected = append(rejected, w)
			continue
		}
		ok = append(ok, w)
	}
	sort.SliceStable(ok, func(i, j int) bool { return ok[i].pl.Confidence > ok[j].pl.Confidence })
	taken := map[int]bool{}
	shared := map[int]bool{} // columns taken by a rule that shares them
	for _, w := range ok {
		if draft.Fields[w.field] != nil {
			continue
		}
		free := true
		for _, col := range w.cols {
			if taken[col] && !(shared[col] && sharesColumn(w.rule)) {
				free = false
			}
		}
		if !free {
			continue
		}
		for _, col := range w.cols {
			if !taken[col] {
				shared[col] = sharesColumn(w.rule)
			}
			taken[col] = true
		}
		draft.Fields[w.field] = w.rule
		pl := w.pl
		for _, col := range w.cols {
			pl.Headers = append(pl.Headers, cleanHeader(headers[col]))
		}
		placedBy[w.field] = &pl
	}

	// Columns no header placed: a MAC, an e-mail or a phone number by their values alone.
	for i, h := range headers {
		if keys[i] == "" || taken[i] {
			continue
		}
		for _, f := range []pbx.Field{pbx.FMAC, pbx.FEmail, pbx.FNumber} {
			if draft.Fields[f] != nil {
				continue
			}
			c := candidate{f, &Rule{Source: Source{Columns: Names{cleanHeader(h)}}}, []int{i}, 0.6, "its values"}
			pl, failed := weigh(c, samples)
			if failed != "" || pl.Sampled == 0 || float64(pl.Passed) < ValuesOnlyShare*float64(pl.Sampled) {
				continue
			}
			taken[i] = true
			draft.Fields[f] = c.rule
			pl.Headers = []string{cleanHeader(h)}
			placedBy[f] = &pl
			break
		}
	}

	// Derived fields, now that the columns are placed.
	for _, f := range pbx.Fields {
		if draft.Fields[f] != nil {
			continue
		}
	derive:
		for _, p := range profiles {
			if rule := p.Fields[f]; rule != nil {
				for _, src := range append([]Source{rule.Source}, rule.Or...) {
					if derivable(src, draft) {
						draft.Fields[f] = &Rule{Source: src}
						placedBy[f] = &Placed{Field: f, Confidence: 1, By: "derived from " + string(src.From) + src.Template}
						break derive
					}
				}
			}
		}
	}
	if draft.Fields[pbx.FExtension] == nil && draft.Fields[pbx.FNumber] != nil {
		draft.Fields[pbx.FExtension] = &Rule{Source: Source{From: pbx.FNumber, LastDigits: 4}}
		placedBy[pbx.FExtension] = &Placed{Field: pbx.FExtension, Confidence: 1,
			By: "derived from number: its last 4 digits (give your site's extension length)"}
	}

	for _, f := range pbx.Fields {
		if pl := placedBy[f]; pl != nil {
			sg.Placed = append(sg.Placed, *pl)
			draft.comments[f] = pl.comment()
		}
	}

	// What is left: ignored on purpose by a built-in, left out, or unplaced.
	var ignorers []*compiled
	for _, p := range profiles {
		if c, err := compile(p); err == nil {
			ignorers = append(ignorers, c)
		}
	}
	seen := map[string]bool{}
	for i, k := range keys {
		if k == "" || taken[i] || seen[k] {
			continue
		}
		seen[k] = true
		h := cleanHeader(headers[i])
		switch what := leftOutBy(ignorers, k); {
		case what != "":
			draft.LeftOut = append(draft.LeftOut, LeftOut{What: what, Columns: Names{h}})
			continue
		case ignoredBy(ignorers, k):
			draft.Ignore = append(draft.Ignore, h)
			continue
		}
		u := Unplaced{Header: h, Sample: sampleOf(samples, i), Why: "no field's name or values fit it"}
		for _, w := range rejected {
			if w.cols[0] == i {
				u.Why = fmt.Sprintf("its header suggests %s, but its values do not parse as one (%q)", w.field, w.failed)
				break
			}
		}
		sg.Unplaced = append(sg.Unplaced, u)
	}
	if len(sg.Unplaced) > 0 {
		var list []string
		for _, u := range sg.Unplaced {
			s := u.Header
			if u.Sample != "" {
				s += fmt.Sprintf(" (e.g. %q)", u.Sample)
			}
			list = append(list, s)
		}
		draft.notes = append(draft.notes,
			fmt.Sprintf("Not placed: %s.", strings.Join(list, ", ")),
			"Map them under fields: or list them under ignore:.")
	}
	return sg
}

// sharesColumn reports whether a rule takes part of a column another field
// may take too: a name split in first and last, a CUCM device name.
func sharesColumn(r *Rule) bool { return r.NamePart != "" || r.CUCMDevice != "" }

// weigh checks a candidate's values: the sampled cells of its first column
// (or its join), through its transforms, each against the field's parser.
// It returns the placement's figures, and a failing value when fewer than
// MinShare of them pass.
func weigh(c candidate, samples [][]string) (Placed, string) {
	pl := Placed{Field: c.field, By: c.by}
	pipe, err := compilePipeline(&c.rule.Source)
	if err != nil {
		return pl, "(transform: " + err.Error() + ")"
	}
	failed := ""
	for _, row := range samples {
		var text string
		if len(c.rule.Join) > 0 {
			text = joinCells(row, c.cols, " ")
		} else {
			text = cellAt(row, c.cols[0])
		}
		if strings.TrimSpace(text) == "" {
			continue
		}
		var v Value
		pipe.apply(&v, text, "")
		vals := v.Parts
		if vals == nil {
			vals = []string{v.Text}
		}
		good := true
		for _, x := range vals {
			if !parses(c.field, x) {
				good = false
			}
		}
		pl.Sampled++
		if good {
			pl.Passed++
			if len(pl.Values) < 3 && !containsString(pl.Values, text) {
				pl.Values = append(pl.Values, text)
			}
		} else if failed == "" {
			failed = text
		}
	}
	if pl.Sampled == 0 {
		pl.Confidence = c.strength / 2 // the header alone
		return pl, ""
	}
	share := float64(pl.Passed) / float64(pl.Sampled)
	pl.Confidence = c.strength * share
	if share < MinShare {
		return pl, failed
	}
	return pl, ""
}

// comment is the line Marshal writes above the field in the draft.
func (pl *Placed) comment() string {
	if len(pl.Headers) == 0 {
		return pl.By
	}
	s := fmt.Sprintf("confidence %.2f, by %s", pl.Confidence, pl.By)
	if pl.Sampled == 0 {
		return s + "; its sampled cells are empty"
	}
	return s + fmt.Sprintf("; %d of %d values pass: %s", pl.Passed, pl.Sampled, quoteList(pl.Values))
}

// ignoredBy reports whether any of cs ignores a header (by its key).
func ignoredBy(cs []*compiled, key string) bool {
	for _, c := range cs {
		if c.ignores(key) {
			return true
		}
	}
	return false
}

// sampleOf is the first non-empty sampled value of column col.
func sampleOf(samples [][]string, col int) string {
	for _, row := range samples {
		if v := strings.TrimSpace(cellAt(row, col)); v != "" {
			return v
		}
	}
	return ""
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
