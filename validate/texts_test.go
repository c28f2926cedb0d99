package validate

import (
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestNames(t *testing.T) {
	long := strings.Repeat("é", MaxNameLen)
	for _, f := range []pbx.Field{pbx.FFirstName, pbx.FLastName, pbx.FNumberLabel} {
		t.Run(string(f), func(t *testing.T) {
			got := func(r *pbx.Row) string {
				switch f {
				case pbx.FFirstName:
					return r.User.FirstName
				case pbx.FLastName:
					return r.User.LastName
				}
				return r.NumberLabel
			}
			runField(t, f, nil, got, []fieldCase{
				{in: "  Zoë  ", want: "Zoë"},
				{in: "O'Brien-Smith", want: "O'Brien-Smith"},
				{in: long, want: long},
				{in: "", want: ""},
				{in: long + "x", code: CodeTextTooLong, err: pbx.ErrInvalid},
				{in: "Ja\tne", code: CodeTextControl, err: pbx.ErrInvalid},
				{in: "Jane\nDoe", code: CodeTextControl, err: pbx.ErrInvalid},
				{in: "Ja\u0085ne", code: CodeTextControl, err: pbx.ErrInvalid},
			})
		})
	}
}

func TestExternalID(t *testing.T) {
	runField(t, pbx.FExternalID, nil, func(r *pbx.Row) string { return r.User.ExternalID }, []fieldCase{
		{in: "HR-000123", want: "HR-000123"},
		{in: "HR\x00123", code: CodeTextControl, err: pbx.ErrInvalid},
	})
}
