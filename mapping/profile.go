package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pbxsync/pbxsync/pbx"
)

// ErrProfile is wrapped by every mistake found in a mapping profile.
var ErrProfile = errors.New("invalid mapping profile")

// Profile maps a kind of file's columns to pbxsync fields. It is read from a
// YAML or JSON file (Parse, Load) or is built in (Builtin).
type Profile struct {
	Name        string              `yaml:"name" json:"name"`
	Description string              `yaml:"description,omitempty" json:"description,omitempty"`
	Extends     string              `yaml:"extends,omitempty" json:"extends,omitempty"`   // a built-in this profile changes; Parse merges it in (see extend.go)
	Ignore      Names               `yaml:"ignore,omitempty" json:"ignore,omitempty"`     // columns deliberately not used (not listed by Unknown); "FORWARD*" ignores every column starting so
	LeftOut     []LeftOut           `yaml:"left_out,omitempty" json:"left_out,omitempty"` // columns describing objects pbxsync does not create yet: warned about per row, never dropped silently
	Aliases     map[pbx.Field]Names `yaml:"aliases,omitempty" json:"aliases,omitempty"`   // more column names for a field: {model: Handset}
	Fields      map[pbx.Field]*Rule `yaml:"fields,omitempty" json:"fields,omitempty"`

	notes    []string             // comments Marshal writes at the top (Suggest's unplaced headers, the profile extended)
	comments map[pbx.Field]string // comments Marshal writes beside a field (Suggest's confidence and deciding values)
}

// Rule says where one field comes from: a Source, alternatives tried in
// order when the file lacks the source's columns (and, with OrIfEmpty, on a
// row where the source's cell is empty), whether the file must carry the
// field, and a constant for when nothing binds.
type Rule struct {
	Source    `yaml:",inline"`
	Or        []Source `yaml:"or,omitempty" json:"or,omitempty"`
	OrIfEmpty bool     `yaml:"or_if_empty,omitempty" json:"or_if_empty,omitempty"` // on a row where the bound source is empty, use the next alternative the file has
	Required  bool     `yaml:"required,omitempty" json:"required,omitempty"`       // Bind reports mapping.missing_column when no source binds
	Default   string   `yaml:"default,omitempty" json:"default,omitempty"`         // the field's text when no source binds
}

// Source is one way to get a field's text, and the transforms applied to it.
// Exactly one of Columns, Join, From and Template is set (a rule with only a
// Default sets none).
type Source struct {
	Columns     Names     `yaml:"columns,omitempty" json:"columns,omitempty"`           // aliases of one column; two present is ambiguous
	CountryCode Names     `yaml:"country_code,omitempty" json:"country_code,omitempty"` // with Columns: a country code column, giving "+CC national"
	Join        Names     `yaml:"join,omitempty" json:"join,omitempty"`                 // several columns joined (empty cells skipped)
	Sep         string    `yaml:"sep,omitempty" json:"sep,omitempty"`                   // Join's separator, " " when empty
	From        pbx.Field `yaml:"from,omitempty" json:"from,omitempty"`                 // another field's value (after its transforms)
	Template    string    `yaml:"template,omitempty" json:"template,omitempty"`         // "{first:1}{last}@acme.example"

	Multi      bool              `yaml:"multi,omitempty" json:"multi,omitempty"`             // several values in a cell -> Value.Parts
	Separators string            `yaml:"separators,omitempty" json:"separators,omitempty"`   // Multi's separators, ";|,\n" when empty
	CIDNumber  bool              `yaml:"cid_number,omitempty" json:"cid_number,omitempty"`   // `"Ada" <4155550101>` -> 4155550101
	TrimPrefix Names             `yaml:"trim_prefix,omitempty" json:"trim_prefix,omitempty"` // drop a leading SEP, ATA... (any case)
	Replace    map[string]string `yaml:"replace,omitempty" json:"replace,omitempty"`         // replace text: {"/": " "}
	NamePart   string            `yaml:"name_part,omitempty" json:"name_part,omitempty"`     // first | last of "Last, First" or "First Last"
	Map        map[string]string `yaml:"map,omitempty" json:"map,omitempty"`                 // whole values, keys matched like headers
	LastDigits int               `yaml:"last_digits,omitempty" json:"last_digits,omitempty"` // keep the last N digits
	Prefix     string            `yaml:"prefix,omitempty" json:"prefix,omitempty"`           // put before values not starting with + or 00
	MaskFrom   pbx.Field         `yaml:"mask_from,omitempty" json:"mask_from,omitempty"`     // X's replaced by that field's last digits: a CUCM mask 415555XXXX with extension 5201 -> 4155555201
	CUCMDevice string            `yaml:"cucm_device,omitempty" json:"cucm_device,omitempty"` // mac | port of a CUCM device name: SEP/ATA/BAT + MAC, AN + MAC + port index (AN001B54ABCDEF002 is port 3)
	Login      bool              `yaml:"login,omitempty" json:"login,omitempty"`             // lower case, no accents, spaces or quotes
	Lower      bool              `yaml:"lower,omitempty" json:"lower,omitempty"`             // lower case
	DateOrder  string            `yaml:"date_order,omitempty" json:"date_order,omitempty"`   // dmy | mdy | ymd: how 03/04/2027 reads; -> 2027-04-03 (ISO)
}

// ProfileError is one mistake in a profile: which profile, where (the field
// and, for YAML, the line) and what, with how to fix it in Msg.
type ProfileError struct {
	Profile string
	Line    int       // 0 when unknown
	Field   pbx.Field // "" for the profile as a whole
	Msg     string
}

func (e *ProfileError) Error() string {
	s := "mapping profile " + e.Profile
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Field != "" {
		s += ", field " + string(e.Field)
	}
	return s + ": " + e.Msg
}

// Unwrap returns ErrProfile.
func (e *ProfileError) Unwrap() error { return ErrProfile }

// Load reads a profile file (.yaml, .yml or .json). A profile without a name
// is named after its file.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping profile: %w", err)
	}
	return Parse(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), data)
}

// Parse reads a profile from YAML or JSON text (JSON when it starts with
// "{"). Unknown keys are errors, so a misspelt transform is not silently
// ignored. name names the profile when the text does not. Every mistake is
// reported, each as a *ProfileError wrapping ErrProfile.
func Parse(name string, data []byte) (*Profile, error) {
	return parse(name, data, nil)
}

// parse is Parse within a chain of profiles extending each other (the
// names of those that extend this one), so a circle is refused.
func parse(name string, data []byte, chain []string) (*Profile, error) {
	p := &Profile{}
	var lines map[pbx.Field]int
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(p); err != nil {
			return nil, &ProfileError{Profile: name, Line: jsonLine(data, err), Msg: err.Error() + keysHint(err.Error())}
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(p); err != nil {
			if errors.Is(err, io.EOF) {
				return nil, &ProfileError{Profile: name, Msg: "the profile is empty; it needs at least fields:"}
			}
			return nil, &ProfileError{Profile: name, Msg: err.Error() + keysHint(err.Error())}
		}
		lines = yamlFieldLines(data)
	}
	if p.Name == "" {
		p.Name = name
	}
	if err := p.extend(chain); err != nil {
		return nil, err
	}
	if _, err := compile(p); err != nil {
		var pe *ProfileError
		for _, e := range unjoin(err) {
			if errors.As(e, &pe) && pe.Line == 0 {
				pe.Line = lines[pe.Field]
			}
		}
		return nil, err
	}
	return p, nil
}

// keysHint adds the valid keys to a decoder's "unknown field" message.
func keysHint(msg string) string {
	if !strings.Contains(msg, "not found in type") && !strings.Contains(msg, "unknown field") {
		return ""
	}
	return " (a field rule takes columns, country_code, join, sep, from, template, multi, separators, " +
		"cid_number, cucm_device, trim_prefix, replace, name_part, map, last_digits, prefix, mask_from, login, lower, or, or_if_empty, required, default; " +
		"a profile takes name, description, extends, ignore, left_out, aliases, fields)"
}

// jsonLine is the line of a JSON decoding error, or 0.
func jsonLine(data []byte, err error) int {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// yamlFieldLines finds the line of each key under fields:, so compile's
// messages can point at it.
func yamlFieldLines(data []byte) map[pbx.Field]int {
	var root yaml.Node
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	lines := map[pbx.Field]int{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value != "fields" {
			continue
		}
		fields := doc.Content[i+1]
		for j := 0; j+1 < len(fields.Content); j += 2 {
			lines[pbx.Field(fields.Content[j].Value)] = fields.Content[j].Line
		}
	}
	return lines
}

// unjoin lists the errors joined in err.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
