package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"strings"
)

// Fields is a change's list of field changes, packed into one string: for
// each field its attribute as a small number (or 0 and the name, for an
// attribute this build does not know), then its before and after values,
// each preceded by its length. A plan holds millions of field changes (an
// onboarding of 100,000 users some 1.8 million); packed, a new user's
// eleven fields are one allocation of about 130 bytes instead of eleven
// 48-byte FieldChanges, a create's empty befores cost a byte each, and the
// values are copies: the plan keeps no roster text alive.
//
// The zero Fields is the empty list. Fields are compared with ==. The JSON
// form is the list of FieldChanges, as before the packing.
type Fields struct{ s string }

// attrList numbers the attributes Fields packs as one byte; the order is
// the packing's only (not the JSON's, which writes names), so a new
// attribute may go anywhere.
var attrList = [...]string{
	AttrCompany, AttrSite, AttrFirstName, AttrLastName, AttrEmail, AttrExtension, AttrStationType,
	AttrVoiceEnabled, AttrCallerID, AttrStatus, AttrExternalID, AttrDeprovisionedAt,
	AttrTarget, AttrRouting, AttrSavedRouting, AttrLabel, AttrSMS, AttrLocation,
	AttrModel, AttrUser, AttrNumber, AttrLines,
	AttrStreet, AttrCity, AttrRegion, AttrPostal, AttrCountry,
	AttrRole, AttrPosition, AttrUserID,
}

// attrNum is an attribute's number in attrList plus one; 0 for none.
var attrNum = func() map[string]byte {
	m := make(map[string]byte, len(attrList))
	for i, a := range attrList {
		m[a] = byte(i + 1)
	}
	return m
}()

// MakeFields packs fcs.
func MakeFields(fcs ...FieldChange) Fields {
	var b []byte
	for _, fc := range fcs {
		b = appendField(b, fc.Field, fc.Before, fc.After)
	}
	return Fields{string(b)}
}

func appendField(b []byte, field, before, after string) []byte {
	if n := attrNum[field]; n != 0 {
		b = append(b, n)
	} else {
		b = append(b, 0)
		b = appendLen(b, field)
	}
	return appendLen(appendLen(b, before), after)
}

func appendLen(b []byte, s string) []byte {
	n := uint(len(s))
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	return append(append(b, byte(n)), s...)
}

// next splits s, a packing, into its first field change and the rest.
func next(s string) (FieldChange, string) {
	var fc FieldChange
	n := s[0]
	s = s[1:]
	if n == 0 {
		fc.Field, s = cutLen(s)
	} else {
		fc.Field = attrList[n-1]
	}
	fc.Before, s = cutLen(s)
	fc.After, s = cutLen(s)
	return fc, s
}

func cutLen(s string) (string, string) {
	var n uint
	for shift := 0; ; shift += 7 {
		c := s[0]
		s = s[1:]
		n |= uint(c&0x7f) << shift
		if c < 0x80 {
			break
		}
	}
	return s[:n], s[n:]
}

// All yields the field changes with their positions, in order.
func (f Fields) All() iter.Seq2[int, FieldChange] {
	return func(yield func(int, FieldChange) bool) {
		s := f.s
		for i := 0; s != ""; i++ {
			var fc FieldChange
			fc, s = next(s)
			if !yield(i, fc) {
				return
			}
		}
	}
}

// Len is the number of field changes.
func (f Fields) Len() int {
	n := 0
	for s := f.s; s != ""; n++ {
		_, s = next(s)
	}
	return n
}

// IsZero reports whether the list is empty (and lets `omitzero` leave it out).
func (f Fields) IsZero() bool { return f.s == "" }

// Get returns the change of the field named field, and whether there is one.
func (f Fields) Get(field string) (FieldChange, bool) {
	for _, fc := range f.All() {
		if fc.Field == field {
			return fc, true
		}
	}
	return FieldChange{}, false
}

// Slice returns the field changes as a new slice (nil for none).
func (f Fields) Slice() []FieldChange {
	var out []FieldChange
	for _, fc := range f.All() {
		out = append(out, fc)
	}
	return out
}

// Append returns f with fcs after its own field changes.
func (f Fields) Append(fcs ...FieldChange) Fields {
	b := []byte(f.s)
	for _, fc := range fcs {
		b = appendField(b, fc.Field, fc.Before, fc.After)
	}
	return Fields{string(b)}
}

// Edit returns f as edit leaves a copy of its field changes.
func (f Fields) Edit(edit func(fcs []FieldChange)) Fields {
	fcs := f.Slice()
	edit(fcs)
	return MakeFields(fcs...)
}

// String renders the list as fmt renders a []FieldChange.
func (f Fields) String() string { return fmt.Sprint(f.Slice()) }

// Names joins the fields' names with ", ".
func (f Fields) Names() string {
	var sb strings.Builder
	for i, fc := range f.All() {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(fc.Field)
	}
	return sb.String()
}

// MarshalJSON writes the list as encoding/json writes a []FieldChange.
func (f Fields) MarshalJSON() ([]byte, error) {
	if f.s == "" {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2*len(f.s)+32)
	b = append(b, '[')
	for i, fc := range f.All() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"field":`...)
		b = AppendJSONString(b, fc.Field)
		b = append(b, `,"before":`...)
		b = AppendJSONString(b, fc.Before)
		b = append(b, `,"after":`...)
		b = AppendJSONString(b, fc.After)
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads a list of FieldChanges (or null).
func (f *Fields) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*f = Fields{}
		return nil
	}
	var fcs []FieldChange
	if err := json.Unmarshal(data, &fcs); err != nil {
		return err
	}
	*f = MakeFields(fcs...)
	return nil
}

// fieldPacker packs the field lists of a plan being made into one reused
// buffer, each list then copied out as a string of its exact size.
type fieldPacker struct{ buf []byte }

func (p *fieldPacker) start() { p.buf = p.buf[:0] }

func (p *fieldPacker) add(field, before, after string) {
	p.buf = appendField(p.buf, field, before, after)
}

func (p *fieldPacker) done() Fields { return Fields{string(p.buf)} }
