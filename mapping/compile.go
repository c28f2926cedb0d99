package mapping

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// compiled is a checked profile in the form Bind uses: header keys
// normalised, templates parsed, transforms built.
type compiled struct {
	name           string
	rules          []*compiledRule // in pbx.Fields order
	byFld          map[pbx.Field]*compiledRule
	ignore         map[string]bool // normalised header keys
	ignorePrefixes []string        // normalised, from ignore entries ending in *
	leftOut        []compiledLeftOut
}

type compiledRule struct {
	field     pbx.Field
	sources   []*compiledSource // the rule's own, then its alternatives
	required  bool
	orIfEmpty bool
	def       string
}

type srcKind int

const (
	srcColumns  srcKind = iota // one column (aliases), maybe with a country code column
	srcJoin                    // several columns joined
	srcTemplate                // other fields of the row (from, template)
)

type compiledSource struct {
	kind  srcKind
	keys  []string // normalised: the aliases (srcColumns) or one per part (srcJoin)
	names []string // as the profile writes them, for messages
	cc    []string // normalised country code aliases
	sep   string
	tmpl  *template
	pipe  pipeline
	mask  pbx.Field // mask_from: the field whose last digits fill the X's
}

// compile checks p and builds its compiled form. Every mistake is reported
// (errors.Join of *ProfileError).
func compile(p *Profile) (*compiled, error) {
	c := &compiled{name: p.Name, byFld: map[pbx.Field]*compiledRule{}, ignore: map[string]bool{}}
	var errs []error
	fail := func(f pbx.Field, format string, args ...any) {
		errs = append(errs, &ProfileError{Profile: p.Name, Field: f, Msg: fmt.Sprintf(format, args...)})
	}
	if len(p.Fields) == 0 {
		fail("", "fields: is empty; map at least one field (%s)", fieldList())
	}
	for f := range p.Fields {
		if !pbx.KnownField(f) {
			fail(f, "%q is not a pbxsync field; use one of %s", f, fieldList())
		}
	}
	for _, h := range p.Ignore {
		prefix, isPrefix := strings.CutSuffix(strings.TrimSpace(h), "*")
		k := NormalizeHeader(prefix)
		switch {
		case k == "":
			fail("", "ignore: %q has no letters or digits to match a header by", h)
		case isPrefix:
			c.ignorePrefixes = append(c.ignorePrefixes, k)
		default:
			c.ignore[k] = true
		}
	}
	var loErrs []error
	c.leftOut, loErrs = compileLeftOut(p)
	errs = append(errs, loErrs...)
	for _, f := range pbx.Fields {
		r, ok := p.Fields[f]
		if !ok {
			continue
		}
		if r == nil {
			fail(f, "the rule is empty; give columns, join, from, template or default")
			continue
		}
		cr := &compiledRule{field: f, required: r.Required, orIfEmpty: r.OrIfEmpty, def: r.Default}
		if r.Required && r.Default != "" {
			fail(f, "required and default contradict each other; drop one")
		}
		if r.OrIfEmpty && len(r.Or) == 0 {
			fail(f, "or_if_empty needs alternatives under or:")
		}
		if r.Source.kinds() == 0 {
			switch {
			case len(r.Or) > 0:
				fail(f, "or: lists alternatives to nothing; put the first alternative's columns on the rule itself")
			case r.Source.hasTransforms():
				fail(f, "transforms need a source (columns, join, from or template)")
			case r.Default == "":
				fail(f, "the rule gives no source and no default; give columns, join, from, template or default")
			}
		} else {
			srcs := append([]Source{r.Source}, r.Or...)
			for i := range srcs {
				where := "the rule"
				if i > 0 {
					where = fmt.Sprintf("or[%d]", i-1)
				}
				cs, err := compileSource(f, &srcs[i])
				if err != nil {
					fail(f, "%s: %v", where, err)
					continue
				}
				cr.sources = append(cr.sources, cs)
			}
		}
		c.rules = append(c.rules, cr)
		c.byFld[f] = cr
	}
	if len(errs) == 0 {
		if cyc := c.cycle(); cyc != nil {
			fail(cyc[0], "fields derive from each other in a circle (%s); break it with a column or default", joinFields(cyc, " -> "))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// ignores reports whether the profile ignores a header (by its normalised
// key) on purpose: named in ignore:, or starting with an ignore: prefix
// ("FORWARD*").
func (c *compiled) ignores(key string) bool {
	if c.ignore[key] {
		return true
	}
	for _, p := range c.ignorePrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// kinds counts how many of Columns, Join, From and Template s sets.
func (s *Source) kinds() int {
	n := 0
	for _, set := range []bool{len(s.Columns) > 0, len(s.Join) > 0, s.From != "", s.Template != ""} {
		if set {
			n++
		}
	}
	return n
}

// hasTransforms reports whether s sets any transform or source option.
func (s *Source) hasTransforms() bool {
	return len(s.CountryCode) > 0 || s.Sep != "" || s.Multi || s.Separators != "" || s.CIDNumber ||
		len(s.TrimPrefix) > 0 || len(s.Replace) > 0 || s.NamePart != "" || len(s.Map) > 0 ||
		s.LastDigits != 0 || s.Prefix != "" || s.MaskFrom != "" || s.Login || s.Lower || s.CUCMDevice != "" ||
		s.DateOrder != ""
}

// compileSource checks one source of field f and compiles it.
func compileSource(f pbx.Field, s *Source) (*compiledSource, error) {
	if s.kinds() != 1 {
		return nil, errors.New("give exactly one of columns, join, from and template")
	}
	cs := &compiledSource{}
	var err error
	switch {
	case len(s.Columns) > 0:
		cs.kind = srcColumns
		if cs.keys, err = headerKeys("columns", s.Columns); err != nil {
			return nil, err
		}
		cs.names = s.Columns
		if len(s.CountryCode) > 0 {
			if cs.cc, err = headerKeys("country_code", s.CountryCode); err != nil {
				return nil, err
			}
		}
	case len(s.Join) > 0:
		cs.kind = srcJoin
		if cs.keys, err = headerKeys("join", s.Join); err != nil {
			return nil, err
		}
		cs.names = s.Join
		cs.sep = s.Sep
		if cs.sep == "" {
			cs.sep = " "
		}
	case s.From != "":
		cs.kind = srcTemplate
		if cs.tmpl, err = parseTemplate("{" + string(s.From) + "}"); err != nil {
			return nil, fmt.Errorf("from: %v", err)
		}
	default:
		cs.kind = srcTemplate
		if cs.tmpl, err = parseTemplate(s.Template); err != nil {
			return nil, err
		}
	}
	if cs.kind == srcTemplate && containsField(cs.tmpl.deps, f) {
		return nil, fmt.Errorf("%s derives from itself", f)
	}
	if len(s.CountryCode) > 0 && cs.kind != srcColumns {
		return nil, errors.New("country_code goes with columns (the national number's column)")
	}
	if s.Sep != "" && cs.kind != srcJoin {
		return nil, errors.New("sep goes with join")
	}
	if s.Separators != "" && !s.Multi {
		return nil, errors.New("separators go with multi: true")
	}
	if cs.pipe, err = compilePipeline(s); err != nil {
		return nil, err
	}
	if s.MaskFrom != "" {
		if cs.mask, err = fieldByName(string(s.MaskFrom)); err != nil {
			return nil, fmt.Errorf("mask_from: %v", err)
		}
		if cs.mask == f {
			return nil, fmt.Errorf("mask_from: %s cannot fill its own mask", f)
		}
	}
	return cs, nil
}

// headerKeys normalises a list of column names.
func headerKeys(what string, names []string) ([]string, error) {
	keys := make([]string, len(names))
	for i, n := range names {
		if keys[i] = NormalizeHeader(n); keys[i] == "" {
			return nil, fmt.Errorf("%s: %q has no letters or digits to match a header by", what, n)
		}
	}
	return keys, nil
}

// compilePipeline builds the transforms of s.
func compilePipeline(s *Source) (pipeline, error) {
	p := pipeline{multi: s.Multi, seps: s.Separators, cid: s.CIDNumber, lastDigits: s.LastDigits,
		prefix: s.Prefix, login: s.Login, lower: s.Lower}
	if p.multi && p.seps == "" {
		p.seps = defaultSeparators
	}
	for _, t := range s.TrimPrefix {
		if t == "" {
			return p, errors.New("trim_prefix: a prefix is empty")
		}
		p.trim = append(p.trim, t)
	}
	if len(s.Replace) > 0 {
		olds := make([]string, 0, len(s.Replace))
		for old := range s.Replace {
			if old == "" {
				return p, errors.New("replace: the text to replace is empty")
			}
			olds = append(olds, old)
		}
		// Longest first, so "--" wins over "-"; then alphabetical, for a stable result.
		sort.Slice(olds, func(i, j int) bool {
			if len(olds[i]) != len(olds[j]) {
				return len(olds[i]) > len(olds[j])
			}
			return olds[i] < olds[j]
		})
		pairs := make([]string, 0, 2*len(olds))
		for _, old := range olds {
			pairs = append(pairs, old, s.Replace[old])
		}
		p.replacer = strings.NewReplacer(pairs...)
	}
	switch strings.ToLower(s.NamePart) {
	case "":
	case "first":
		p.namePart = nameFirst
	case "last":
		p.namePart = nameLast
	default:
		return p, fmt.Errorf("name_part: %q is neither first nor last", s.NamePart)
	}
	switch o := strings.ToLower(s.DateOrder); o {
	case "":
	case "dmy", "mdy", "ymd":
		p.dateOrder = o
	default:
		return p, fmt.Errorf("date_order: %q is none of dmy (31/03/2027), mdy (03/31/2027) and ymd (2027/03/31)", s.DateOrder)
	}
	switch strings.ToLower(s.CUCMDevice) {
	case "":
	case "mac":
		p.cucm = cucmMAC
	case "port":
		p.cucm = cucmPort
	default:
		return p, fmt.Errorf("cucm_device: %q is neither mac nor port", s.CUCMDevice)
	}
	if len(s.Map) > 0 {
		froms := make([]string, 0, len(s.Map))
		for from := range s.Map {
			froms = append(froms, from)
		}
		sort.Strings(froms)
		seen := map[string]string{}
		for _, from := range froms {
			k := NormalizeHeader(from)
			if prev, ok := seen[k]; ok && s.Map[prev] != s.Map[from] {
				return p, fmt.Errorf("map: %q and %q are the same value to a match but map to %q and %q", prev, from, s.Map[prev], s.Map[from])
			}
			seen[k] = from
			p.valueMap = append(p.valueMap, mapEntry{key: k, to: s.Map[from]})
		}
	}
	if s.LastDigits < 0 || s.LastDigits > 32 {
		return p, fmt.Errorf("last_digits: %d is not between 1 and 32", s.LastDigits)
	}
	return p, nil
}

// deps lists the other fields a source reads: a template's fields and the
// field that fills a mask.
func (s *compiledSource) deps() []pbx.Field {
	var ds []pbx.Field
	if s.tmpl != nil {
		ds = append(ds, s.tmpl.deps...)
	}
	if s.mask != "" && !containsField(ds, s.mask) {
		ds = append(ds, s.mask)
	}
	return ds
}

// cycle returns fields that derive from each other in a circle, or nil.
func (c *compiled) cycle() []pbx.Field {
	const (
		unseen = iota
		onPath
		done
	)
	state := map[pbx.Field]int{}
	var path []pbx.Field
	var visit func(f pbx.Field) []pbx.Field
	visit = func(f pbx.Field) []pbx.Field {
		switch state[f] {
		case onPath:
			for i, g := range path {
				if g == f {
					return append(append([]pbx.Field{}, path[i:]...), f)
				}
			}
		case done:
			return nil
		}
		state[f] = onPath
		path = append(path, f)
		if r := c.byFld[f]; r != nil {
			for _, s := range r.sources {
				for _, d := range s.deps() {
					if cyc := visit(d); cyc != nil {
						return cyc
					}
				}
			}
		}
		path = path[:len(path)-1]
		state[f] = done
		return nil
	}
	for _, r := range c.rules {
		if cyc := visit(r.field); cyc != nil {
			return cyc
		}
	}
	return nil
}

func joinFields(fs []pbx.Field, sep string) string {
	s := make([]string, len(fs))
	for i, f := range fs {
		s[i] = string(f)
	}
	return strings.Join(s, sep)
}
