package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestUserID(t *testing.T) {
	runField(t, pbx.FUserID, nil, func(r *pbx.Row) string { return string(r.User.ID) }, []fieldCase{
		{in: "JDoe@Acme.Example", want: "jdoe@acme.example"},
		{in: " jane.doe+voice@acme.co.uk ", want: "jane.doe+voice@acme.co.uk"},
		{in: "", code: CodeUserIDMissing, err: pbx.ErrUserID},
		{in: "jdoe", code: CodeUserIDInvalid, err: pbx.ErrUserID},
		{in: "jdoe@acme", code: CodeUserIDInvalid, err: pbx.ErrUserID},
		{in: "j doe@acme.example", code: CodeUserIDInvalid, err: pbx.ErrUserID},
		{in: "@acme.example", code: CodeUserIDInvalid, err: pbx.ErrUserID},
		{in: "jdoe@acme..example", code: CodeUserIDInvalid, err: pbx.ErrUserID},
	})
}

func TestUserIDColumnMissing(t *testing.T) {
	_, ps := rowOf(t, kv{pbx.FUserID: absent})
	wantOne(t, ps, CodeUserIDMissing, pbx.ErrUserID, 7, "", "")
}

func TestEmail(t *testing.T) {
	runField(t, pbx.FEmail, nil, func(r *pbx.Row) string { return r.User.Email }, []fieldCase{
		{in: "Jane.Doe@ACME.Example", want: "Jane.Doe@acme.example"},
		{in: "jdoe@acme.example", want: "jdoe@acme.example"},
		{in: "", want: ""},
		{in: "jane", code: CodeEmailInvalid, err: pbx.ErrInvalid},
		{in: "jane@", code: CodeEmailInvalid, err: pbx.ErrInvalid},
		{in: "jane doe@acme.example", code: CodeEmailInvalid, err: pbx.ErrInvalid},
		{in: "jane@@acme.example", code: CodeEmailInvalid, err: pbx.ErrInvalid},
		{in: "jane@acme", code: CodeEmailInvalid, err: pbx.ErrInvalid},
	})
}

func TestCanonicalEmail(t *testing.T) {
	for in, want := range map[string]string{"A.B@EX.COM": "A.B@ex.com", "x@y.z": "x@y.z", "noat": "noat"} {
		if got := CanonicalEmail(in); got != want {
			t.Errorf("CanonicalEmail(%q) = %q, want %q", in, got, want)
		}
	}
}
