package validate

import (
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

func TestCallerID(t *testing.T) {
	runField(t, pbx.FCallerID, nil, func(r *pbx.Row) string { return r.User.CallerID }, []fieldCase{
		{in: "", want: ""},
		{in: "own", want: ""},
		{in: "OWN", want: ""},
		{in: "Anonymous", want: CallerIDAnonymous},
		{in: "(415) 555-0199", want: "+14155550199"},
		{in: "+1 415 555 0100", want: "+14155550100"},
		{in: "boss", code: CodeCallerIDInvalid, err: pbx.ErrNumber},
		{in: "555-0100", code: CodeCallerIDInvalid, err: pbx.ErrNumber},
		{in: "1.4155550100E+10", code: CodeNumberScientific, err: pbx.ErrNumber},
	})
}

func TestSite(t *testing.T) {
	runField(t, pbx.FSite, kv{pbx.FNumber: "+1 415 555 0100"}, func(r *pbx.Row) string { return r.User.Site }, []fieldCase{
		{in: "", want: ""},
		{in: "lon", want: "lon"},
		{in: "LON", want: "lon"},
		{in: "paris", code: CodeSiteUnknown, err: pbx.ErrNotFound},
	})
}
