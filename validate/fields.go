package validate

import (
	"errors"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

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
// failed, in struct order. A row that passes quick is not given to the
// validator: quick accepts only what every tag accepts.
func (t *textFields) check() []fieldFailure {
	if t.quick() {
		return nil
	}
	h := *t // the validator keeps its argument: a copy, so t can stay on the stack
	h.parsed = parsedFields{}
	err := fieldValidator().Struct(&h)
	t.parsed = h.parsed
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

// quick reports whether every tag of t passes, deciding it without the
// validator (whose reflection and e-mail expressions cost some 3 µs a row,
// more than all our other field rules together). It fills t.parsed as the
// userid and mac tags do. It may answer false for a row the tags accept;
// then check asks the validator, which is the authority on every tag.
func (t *textFields) quick() bool {
	if t.UserID == "" {
		return false
	}
	if t.parsed.userID, t.parsed.userIDErr = pbx.ParseUserID(t.UserID); t.parsed.userIDErr != nil {
		return false
	}
	if t.MAC != "" {
		if t.parsed.mac, t.parsed.macErr = pbx.ParseMAC(t.MAC); t.parsed.macErr != nil {
			return false
		}
	}
	return (t.Email == "" || quickEmail(t.Email)) &&
		quickText(t.FirstName, MaxNameLen) && quickText(t.LastName, MaxNameLen) &&
		quickText(t.NumberLabel, MaxNameLen) && quickText(t.ExternalID, -1) &&
		quickText(t.Street, MaxStreetLen) && quickText(t.City, MaxNameLen)
}

// quickText is the omitempty,max=most,text tags: at most most characters
// (-1: any number) and no control character.
func quickText(s string, most int) bool {
	if most >= 0 && len(s) > most && utf8.RuneCountInString(s) > most {
		return false
	}
	return !hasControl(s)
}

// quickEmail accepts a plain address that validator's email tag surely
// accepts (net/mail parses it, and its expression matches): a dot-atom of
// letters, digits and . _ % + - before the @; after it, two or more labels
// of letters, digits and inner hyphens, the last beginning and ending with a
// letter. Anything else is left to the validator. FuzzQuickEmail holds it
// to the validator.
func quickEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at > 64 || len(s) > 254 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	prev := byte('.')
	for i := 0; i < len(local); i++ {
		c := local[i]
		switch {
		case c == '.':
			if prev == '.' {
				return false
			}
		case isAlnum(c) || c == '_' || c == '%' || c == '+' || c == '-':
		default:
			return false
		}
		prev = c
	}
	if prev == '.' {
		return false
	}
	labels := 0
	for len(domain) > 0 {
		label := domain
		if dot := strings.IndexByte(domain, '.'); dot >= 0 {
			label, domain = domain[:dot], domain[dot+1:]
			if domain == "" {
				return false // a trailing dot
			}
		} else {
			domain = ""
		}
		if label == "" || len(label) > 63 || !isAlnum(label[0]) || !isAlnum(label[len(label)-1]) {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlnum(c) && c != '-' {
				return false
			}
		}
		labels++
		if domain == "" && (!isLetter(label[0]) || !isLetter(label[len(label)-1])) {
			return false
		}
	}
	return labels >= 2
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || c >= '0' && c <= '9' }
