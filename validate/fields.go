package validate

import (
	"errors"
	"reflect"
	"sync"

	"github.com/go-playground/validator/v10"
	"github.com/pbxsync/pbxsync/pbx"
)

// textFields are the single-value text fields of a row that struct tags can
// check on their own, without the site or the catalogue. The field tag names
// the roster field a failure is reported on. The extension (its rules need
// the site), numbers (the site's region), devices (the catalogue), addresses
// (several fields at once) and choices (small tables) are checked by plain
// functions.
//
// The tags of our own types (userid, mac) canonicalise as they validate: each runs the pbx normaliser once and keeps its result in parsed,
// so the row check reads the canonical value or the normaliser's error
// without parsing again.
type textFields struct {
	UserID      string `field:"user_id" validate:"required,userid"`
	Email       string `field:"email" validate:"omitempty,email"`
	FirstName   string `field:"first_name" validate:"omitempty,max=64,text"`   // MaxNameLen
	LastName    string `field:"last_name" validate:"omitempty,max=64,text"`    // MaxNameLen
	NumberLabel string `field:"number_label" validate:"omitempty,max=64,text"` // MaxNameLen
	ExternalID  string `field:"external_id" validate:"omitempty,text"`
	Street      string `field:"e911_street" validate:"omitempty,max=128,text"` // MaxStreetLen
	City        string `field:"e911_city" validate:"omitempty,max=64,text"`    // MaxNameLen
	MAC         string `field:"mac" validate:"omitempty,mac"`

	parsed parsedFields // unexported: validator skips it
}

// parsedFields are what the userid and mac tags found.
type parsedFields struct {
	userID    pbx.UserID
	userIDErr error
	mac       pbx.MAC
	macErr    error
}

// fieldFailure is a field whose validator tag failed.
type fieldFailure struct {
	field pbx.Field
	tag   string // "required", "email", "max", "text", "userid", "mac"
}

// fieldValidator is built once: validator caches a struct's parsed tags on
// its instance, so one shared instance keeps validation fast. It is safe for
// concurrent use.
var fieldValidator = sync.OnceValue(newFieldValidator)

func newFieldValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return f.Tag.Get("field") })
	register := func(tag string, fn func(p *parsedFields, s string) bool) {
		err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			t := fl.Parent().Addr().Interface().(*textFields)
			return fn(&t.parsed, fl.Field().String())
		})
		if err != nil {
			panic(err) // only on an empty tag or a nil function: a programming error
		}
	}
	register("userid", func(p *parsedFields, s string) bool {
		p.userID, p.userIDErr = pbx.ParseUserID(s)
		return p.userIDErr == nil
	})
	// Our "mac" replaces validator's own, which accepts EUI-64, multicast and zero.
	register("mac", func(p *parsedFields, s string) bool {
		p.mac, p.macErr = pbx.ParseMAC(s)
		return p.macErr == nil
	})
	if err := v.RegisterValidation("text", func(fl validator.FieldLevel) bool { return !hasControl(fl.Field().String()) }); err != nil {
		panic(err)
	}
	return v
}

// check runs the tags of t, filling t.parsed, and returns the fields that
// failed, in struct order.
func (t *textFields) check() []fieldFailure {
	err := fieldValidator().Struct(t)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		panic(err) // InvalidValidationError: t is not a struct, a programming error
	}
	out := make([]fieldFailure, len(ves))
	for i, fe := range ves {
		out[i] = fieldFailure{field: pbx.Field(fe.Field()), tag: fe.Tag()}
	}
	return out
}
