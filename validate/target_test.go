package validate

import (
	"errors"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// targetState is huntState with the auto attendant main (Main menu) and a
// pool number +14155550150.
func targetState() *pbx.State {
	st := huntState()
	st.AAs["main"] = &pbx.AutoAttendant{ID: "main", Company: "acme", Name: "Main menu", Extension: "6100"}
	st.Numbers["+14155550150"] = &pbx.Number{E164: "+14155550150", Company: "acme"}
	return st
}

// groupRow is a row with no user: a number and a target.
func groupRow(target string) kv {
	return kv{pbx.FNumber: "+1 415 555 0150", pbx.FTarget: target}
}

func TestTarget(t *testing.T) {
	for _, c := range []struct {
		name     string
		row      kv
		want     pbx.Target // what the target resolves to, when valid
		code     string     // the one problem, Row's or Live's
		sentinel error
		field    pbx.Field
		value    string
		words    []string // the message names
	}{
		{name: "hunt group by kind and id", row: groupRow("huntgroup:sales"), want: "huntgroup:sales"},
		{name: "hunt group by short kind and name", row: groupRow("hg:Tech Support"), want: "huntgroup:support"},
		{name: "auto attendant by name", row: groupRow("main menu"), want: "autoattendant:main"},
		{name: "auto attendant by kind", row: groupRow("autoattendant:main"), want: "autoattendant:main"},
		{name: "hunt group by id", row: groupRow("SALES"), want: "huntgroup:sales"},
		{name: "unknown", row: groupRow("marketing"), code: CodeTargetUnknown, sentinel: pbx.ErrNotFound, field: pbx.FTarget,
			value: "marketing", words: []string{"huntgroup:sales (Sales)", "huntgroup:support (Tech Support)", "autoattendant:main (Main menu)"}},
		{name: "unknown of its kind", row: groupRow("autoattendant:sales"), code: CodeTargetUnknown, sentinel: pbx.ErrNotFound,
			field: pbx.FTarget, value: "autoattendant:sales", words: []string{"autoattendant:main"}},
		{name: "on a user's row", row: with(person(1), kv{pbx.FTarget: "sales"}), code: CodeTargetOnUserRow, sentinel: pbx.ErrInvalid,
			field: pbx.FTarget, value: "sales", words: []string{"user's", "sales"}},
		{name: "with a phone", row: with(groupRow("sales"), kv{pbx.FMAC: "80:5e:c0:00:00:09", pbx.FModel: "Yealink T42G"}),
			code: CodeTargetWithPhone, sentinel: pbx.ErrInvalid, field: pbx.FTarget, value: "sales", words: []string{"phone", "target"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := targetState()
			r, ps := Row(st, mapped(2, c.row))
			if r != nil && len(ps) == 0 {
				ps = Live(st, []*pbx.Row{r})
			}
			if c.code == "" {
				if len(ps) > 0 {
					t.Fatalf("problems %v", ps)
				}
				if got, ok := st.TargetByRef(r.TargetRef); !ok || got != c.want || !r.CommonArea || r.User.ID != "" {
					t.Errorf("row %+v: target %q (%v), want %q on a row with no user", r, got, ok, c.want)
				}
				return
			}
			p := wantOne(t, ps, c.code, c.sentinel, 2, c.field, c.value)
			if !p.Blocking() || !errors.Is(p, c.sentinel) {
				t.Errorf("%v: want blocking, wrapping %v", p, c.sentinel)
			}
			for _, w := range c.words {
				if !strings.Contains(p.Message, w) {
					t.Errorf("message %q does not name %q", p.Message, w)
				}
			}
		})
	}
}

// A number routed to a group needs no E911 address (only a user's does),
// and a row with a number and no user and no target is still left out.
func TestTargetRowNeedsNoE911(t *testing.T) {
	st := targetState()
	r, ps := Row(st, mapped(2, groupRow("sales")))
	if len(ps) > 0 || r == nil {
		t.Fatalf("row problems %v", ps)
	}
	if ps := Live(st, []*pbx.Row{r}); len(ps) > 0 {
		t.Errorf("live problems %v", ps)
	}
	r, ps = Row(st, mapped(3, kv{pbx.FNumber: "+1 415 555 0150", pbx.FTarget: ""}))
	if r != nil || len(ps) != 1 || ps[0].Code != CodeNumberLeftOut {
		t.Errorf("a number with no user and no target: row %+v, problems %v; want it left out", r, ps)
	}
}
