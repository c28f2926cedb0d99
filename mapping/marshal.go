package mapping

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pbxsync/pbxsync/pbx"
)

// Marshal renders the profile as YAML that Parse reads back: fields in
// pbx.Fields order, lists on one line, and (for a Suggest draft) the headers
// it could not place as a comment at the top.
func (p *Profile) Marshal() ([]byte, error) {
	doc := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v any) error {
		var n yaml.Node
		if err := n.Encode(v); err != nil {
			return err
		}
		flowLists(&n)
		doc.Content = append(doc.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, &n)
		return nil
	}
	for _, e := range p.topEntries() {
		if err := add(e.key, e.val); err != nil {
			return nil, err
		}
	}
	fields := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range p.fieldOrder() {
		var n yaml.Node
		if err := n.Encode(p.Fields[f]); err != nil {
			return nil, err
		}
		flowLists(&n)
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: string(f)}
		if c := p.comments[f]; c != "" {
			key.HeadComment = "# " + strings.ReplaceAll(c, "\n", "\n# ")
		}
		fields.Content = append(fields.Content, key, &n)
	}
	doc.Content = append(doc.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "fields"}, fields)
	if len(p.notes) > 0 {
		doc.HeadComment = "# " + strings.Join(p.notes, "\n# ")
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// MarshalJSON renders the profile as JSON that Parse reads back, fields in
// pbx.Fields order.
func (p *Profile) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	put := func(key string, v any) error {
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		buf.Write(k)
		buf.WriteByte(':')
		b, err := json.Marshal(v)
		buf.Write(b)
		return err
	}
	for _, e := range p.topEntries() {
		if err := put(e.key, e.val); err != nil {
			return nil, err
		}
	}
	buf.WriteString(`,"fields":{`)
	for i, f := range p.fieldOrder() {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(string(f))
		buf.Write(k)
		buf.WriteByte(':')
		b, err := json.Marshal(p.Fields[f])
		if err != nil {
			return nil, err
		}
		buf.Write(b)
	}
	buf.WriteString("}}")
	return buf.Bytes(), nil
}

// topEntry is a key of a profile above fields:, with its value.
type topEntry struct {
	key string
	val any
}

// topEntries lists the keys above fields: that the profile sets, in the
// order Marshal and MarshalJSON write them; name always.
func (p *Profile) topEntries() []topEntry {
	es := []topEntry{{"name", p.Name}}
	if p.Description != "" {
		es = append(es, topEntry{"description", p.Description})
	}
	if p.Extends != "" {
		es = append(es, topEntry{"extends", p.Extends})
	}
	if len(p.Ignore) > 0 {
		es = append(es, topEntry{"ignore", p.Ignore})
	}
	if len(p.LeftOut) > 0 {
		es = append(es, topEntry{"left_out", p.LeftOut})
	}
	if len(p.Aliases) > 0 {
		es = append(es, topEntry{"aliases", p.Aliases})
	}
	return es
}

// fieldOrder lists the profile's fields in pbx.Fields order, then any
// unknown ones (Parse rejects them, but a profile built in code may have them).
func (p *Profile) fieldOrder() []pbx.Field {
	var fs, other []pbx.Field
	for _, f := range pbx.Fields {
		if _, ok := p.Fields[f]; ok {
			fs = append(fs, f)
		}
	}
	for f := range p.Fields {
		if !pbx.KnownField(f) {
			other = append(other, f)
		}
	}
	sort.Slice(other, func(i, j int) bool { return other[i] < other[j] })
	return append(fs, other...)
}

// flowLists writes sequences of scalars on one line: columns: [A, B].
func flowLists(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode {
		scalars := true
		for _, c := range n.Content {
			scalars = scalars && c.Kind == yaml.ScalarNode
		}
		if scalars {
			n.Style = yaml.FlowStyle
		}
	}
	for _, c := range n.Content {
		flowLists(c)
	}
}
