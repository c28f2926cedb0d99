package validate

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// huntState is liveState(1) with the hunt groups sales (Sales) and support
// (Tech Support).
func huntState() *pbx.State {
	st := liveState(1)
	st.Hunts["sales"] = &pbx.HuntGroup{ID: "sales", Company: "acme", Name: "Sales", Extension: "6000"}
	st.Hunts["support"] = &pbx.HuntGroup{ID: "support", Company: "acme", Name: "Tech Support", Extension: "6001"}
	return st
}

func TestHuntGroupsCell(t *testing.T) {
	for _, c := range []struct {
		name  string
		text  string
		parts []string // the mapping's split of a multi-value cell
		want  []string
	}{
		{"one", "sales", nil, []string{"sales"}},
		{"split by the mapping", "Sales; tech support", []string{"Sales", " tech support"}, []string{"Sales", "tech support"}},
		{"repeated in another case", "sales|SALES", []string{"sales", "SALES", " "}, []string{"sales"}},
		{"empty cell", "", nil, []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := mapped(2, with(person(1), kv{pbx.FHuntGroups: c.text}))
			if c.parts != nil {
				m = withParts(m, pbx.FHuntGroups, c.parts...)
			}
			r, ps := Row(huntState(), m)
			if len(ps) > 0 || r == nil {
				t.Fatalf("problems %v", ps)
			}
			if !slices.Equal(r.HuntGroups, c.want) || !r.Has(pbx.FHuntGroups) {
				t.Errorf("hunt groups %q (column %v), want %q", r.HuntGroups, r.Has(pbx.FHuntGroups), c.want)
			}
		})
	}
	r, _ := Row(huntState(), mapped(2, person(1)))
	if r.Has(pbx.FHuntGroups) || r.HuntGroups != nil {
		t.Errorf("no column: %v %q, want the field absent", r.Has(pbx.FHuntGroups), r.HuntGroups)
	}
}

func TestLiveHuntGroups(t *testing.T) {
	for _, c := range []struct {
		name   string
		groups []string
		bad    []string // the values reported unknown, in order
	}{
		{"by id", []string{"sales"}, nil},
		{"by name, any case", []string{"TECH SUPPORT", "Sales"}, nil},
		{"unknown", []string{"sales", "marketing"}, []string{"marketing"}},
		{"two unknown", []string{"Marketing", "billing"}, []string{"Marketing", "billing"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := huntState()
			m := mapped(2, with(person(1), kv{pbx.FHuntGroups: strings.Join(c.groups, ";")}))
			rows := []*pbx.Row{}
			r, ps := Row(st, withParts(m, pbx.FHuntGroups, c.groups...))
			if len(ps) > 0 {
				t.Fatalf("row problems %v", ps)
			}
			rows = append(rows, r)
			ps = Live(st, rows)
			if len(ps) != len(c.bad) {
				t.Fatalf("problems %v, want %d", ps, len(c.bad))
			}
			for i, p := range ps {
				if p.Code != CodeHuntGroupUnknown || !errors.Is(p, pbx.ErrNotFound) || !p.Blocking() {
					t.Errorf("problem %s %v: want a blocking %s wrapping ErrNotFound", p.Code, p.Err, CodeHuntGroupUnknown)
				}
				if p.Cell.Row != 2 || p.Cell.Col != col(pbx.FHuntGroups) || p.Value != c.bad[i] {
					t.Errorf("at %+v value %q, want row 2, the hunt groups column, %q", p.Cell, p.Value, c.bad[i])
				}
				for _, w := range []string{c.bad[i], "sales (Sales)", "support (Tech Support)"} {
					if !strings.Contains(p.Message, w) {
						t.Errorf("message %q does not name %q", p.Message, w)
					}
				}
				if !strings.Contains(p.Hint, "id or name") {
					t.Errorf("hint %q does not say how to fix it", p.Hint)
				}
			}
		})
	}
}
