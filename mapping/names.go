package mapping

import (
	"encoding/json"

	"go.yaml.in/yaml/v3"
)

// Names is a list of column names (or prefixes). A profile may write a
// single one as plain text: `columns: Email` is `columns: [Email]`.
type Names []string

// UnmarshalYAML accepts a list or a single text.
func (n *Names) UnmarshalYAML(v *yaml.Node) error {
	if v.Kind == yaml.ScalarNode {
		if v.ShortTag() == "!!null" {
			*n = nil
		} else {
			*n = Names{v.Value}
		}
		return nil
	}
	var l []string
	if err := v.Decode(&l); err != nil {
		return err
	}
	*n = l
	return nil
}

// UnmarshalJSON accepts an array or a single string.
func (n *Names) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		*n = Names{s}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*n = l
	return nil
}
