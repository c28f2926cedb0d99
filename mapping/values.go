package mapping

import (
	"iter"

	"github.com/pbxsync/pbxsync/pbx"
)

// Values holds a mapped row's values by field: an array indexed by field
// rather than a map, since every row of a file has the same few fields and
// looking one up is the validator's most frequent step. The zero Values holds
// nothing. A field absent from Values had no column in the file.
type Values struct {
	set  uint64 // bit i: field pbx.Fields[i] is present
	vals [pbx.NumFields]Value
}

// Get returns the value of f and whether the file carries f.
func (vs *Values) Get(f pbx.Field) (Value, bool) {
	i, ok := pbx.FieldIndex(f)
	if !ok || vs.set&(1<<i) == 0 {
		return Value{}, false
	}
	return vs.vals[i], true
}

// At returns the value of f, the zero Value when the file does not carry f.
func (vs *Values) At(f pbx.Field) Value { v, _ := vs.Get(f); return v }

// Has reports whether the file carries f.
func (vs *Values) Has(f pbx.Field) bool {
	i, ok := pbx.FieldIndex(f)
	return ok && vs.set&(1<<i) != 0
}

// Set sets the value of f. An unknown field is ignored.
func (vs *Values) Set(f pbx.Field, v Value) {
	if i, ok := pbx.FieldIndex(f); ok {
		vs.set |= 1 << i
		vs.vals[i] = v
	}
}

// Delete removes f.
func (vs *Values) Delete(f pbx.Field) {
	if i, ok := pbx.FieldIndex(f); ok {
		vs.set &^= 1 << i
		vs.vals[i] = Value{}
	}
}

// Len is the number of fields present.
func (vs *Values) Len() int {
	n := 0
	for s := vs.set; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// Pos returns the value of the field at position i of pbx.Fields, nil when
// the file does not carry it: the row checks read every field of every row
// this way, without copying a Value.
func (vs *Values) Pos(i int) *Value {
	if i < 0 || i >= len(vs.vals) || vs.set&(1<<i) == 0 {
		return nil
	}
	return &vs.vals[i]
}

// All yields the fields present and their values, in the order of pbx.Fields.
func (vs *Values) All() iter.Seq2[pbx.Field, Value] {
	return func(yield func(pbx.Field, Value) bool) {
		for i, f := range pbx.Fields {
			if vs.set&(1<<i) != 0 && !yield(f, vs.vals[i]) {
				return
			}
		}
	}
}
