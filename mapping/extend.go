package mapping

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// A profile may extend a built-in one and say only what differs:
//
//	extends: pbxsync
//	aliases: {model: Handset, number: Line, e911_street: Floor address}
//
// aliases adds column names to a field (before the base's own names; a field
// the base derives or lacks gets the column first, the base's way after it).
// A rule under fields: changes the base's rule key by key: a source
// (columns, join, from, template, with country_code and sep) replaces the
// base's source, each transform given replaces the base's, or: replaces the
// alternatives, default replaces the default; required and or_if_empty can
// only be turned on. ignore: and left_out: add to the base's. Parse returns
// the merged profile, so `pbxsync mapping show` prints what will be used.

// maxExtends bounds a chain of profiles extending each other.
const maxExtends = 8

// extend merges the built-in p extends (if any) under p, then folds p's
// aliases into its fields. chain names the profiles extending p.
func (p *Profile) extend(chain []string) error {
	if p.Extends != "" {
		base, err := p.base(chain)
		if err != nil {
			return err
		}
		p.mergeOnto(base)
		p.notes = append(p.notes, fmt.Sprintf("The built-in profile %s with the changes of %s, merged.", base.Name, p.Name))
		p.Extends = ""
	}
	for _, f := range slices.Sorted(maps.Keys(p.Aliases)) {
		names := p.Aliases[f]
		if len(names) == 0 {
			continue
		}
		if p.Fields == nil {
			p.Fields = map[pbx.Field]*Rule{}
		}
		p.Fields[f] = withAliases(p.Fields[f], names)
	}
	p.Aliases = nil
	return nil
}

// base loads the built-in p extends.
func (p *Profile) base(chain []string) (*Profile, error) {
	name := strings.TrimSpace(p.Extends)
	chain = append(slices.Clone(chain), p.Name)
	if slices.Contains(chain, name) || len(chain) > maxExtends {
		return nil, &ProfileError{Profile: p.Name, Msg: fmt.Sprintf("extends: %s extends itself (%s -> %s); extend a built-in that does not",
			name, strings.Join(chain, " -> "), name)}
	}
	data, err := builtinFS.ReadFile("profiles/" + name + ".yaml")
	if err != nil {
		return nil, &ProfileError{Profile: p.Name, Msg: fmt.Sprintf("extends: no built-in profile %q; extend one of %s", name, strings.Join(Builtins(), ", "))}
	}
	return parse(name, data, chain)
}

// mergeOnto makes p the base with p's changes.
func (p *Profile) mergeOnto(base *Profile) {
	if p.Description == "" {
		p.Description = base.Description
	}
	p.Ignore = append(slices.Clone(base.Ignore), p.Ignore...)
	p.LeftOut = append(slices.Clone(base.LeftOut), p.LeftOut...)
	fields := make(map[pbx.Field]*Rule, len(base.Fields)+len(p.Fields))
	maps.Copy(fields, base.Fields)
	for f, r := range p.Fields {
		fields[f] = mergeRule(base.Fields[f], r)
	}
	p.Fields = fields
}

// mergeRule is the base's rule with the changes of r (see above).
func mergeRule(base, r *Rule) *Rule {
	if base == nil || r == nil {
		if r == nil {
			return base
		}
		return r
	}
	m := *base
	m.Or = slices.Clone(base.Or)
	if r.Source.kinds() > 0 {
		m.Columns, m.CountryCode, m.Join, m.Sep, m.From, m.Template =
			r.Columns, r.CountryCode, r.Join, r.Sep, r.From, r.Template
	} else { // a country code column or a separator for the base's source
		if len(r.CountryCode) > 0 {
			m.CountryCode = r.CountryCode
		}
		if r.Sep != "" {
			m.Sep = r.Sep
		}
	}
	s, c := &m.Source, &r.Source
	if c.Multi {
		s.Multi = true
	}
	if c.Separators != "" {
		s.Separators = c.Separators
	}
	if c.CIDNumber {
		s.CIDNumber = true
	}
	if len(c.TrimPrefix) > 0 {
		s.TrimPrefix = c.TrimPrefix
	}
	if len(c.Replace) > 0 {
		s.Replace = c.Replace
	}
	if c.NamePart != "" {
		s.NamePart = c.NamePart
	}
	if len(c.Map) > 0 {
		s.Map = c.Map
	}
	if c.LastDigits != 0 {
		s.LastDigits = c.LastDigits
	}
	if c.Prefix != "" {
		s.Prefix = c.Prefix
	}
	if c.MaskFrom != "" {
		s.MaskFrom = c.MaskFrom
	}
	if c.Login {
		s.Login = true
	}
	if c.Lower {
		s.Lower = true
	}
	if c.DateOrder != "" {
		s.DateOrder = c.DateOrder
	}
	if len(r.Or) > 0 {
		m.Or = r.Or
	}
	m.OrIfEmpty = m.OrIfEmpty || r.OrIfEmpty
	m.Required = m.Required || r.Required
	if r.Default != "" {
		m.Default = r.Default
	}
	return &m
}

// withAliases is rule r reading names too: before its own columns, or
// before its derivation (which becomes the first alternative).
func withAliases(r *Rule, names Names) *Rule {
	if r == nil {
		return &Rule{Source: Source{Columns: slices.Clone(names)}}
	}
	m := *r
	if len(r.Columns) > 0 {
		m.Columns = append(slices.Clone(names), r.Columns...)
		return &m
	}
	if r.Source.kinds() == 0 { // only a default: the column, else the default
		m.Source = Source{Columns: slices.Clone(names)}
		return &m
	}
	m.Source = Source{Columns: slices.Clone(names)}
	m.Or = append([]Source{r.Source}, r.Or...)
	return &m
}
