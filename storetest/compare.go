package storetest

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pbxsync/pbxsync/pbx"
)

// DiffState returns the differences between two states, one line per
// object that differs, or "" when they are equal. Members are compared
// without regard to order.
func DiffState(got, want *pbx.State) string {
	var d []string
	if got.Company != want.Company {
		d = append(d, fmt.Sprintf("company: got %+v, want %+v", got.Company, want.Company))
	}
	d = append(d, diffMap("site", got.Sites, want.Sites)...)
	d = append(d, diffMap("user", got.Users, want.Users)...)
	d = append(d, diffMap("number", got.Numbers, want.Numbers)...)
	d = append(d, diffMap("device", got.Devices, want.Devices)...)
	d = append(d, diffMap("line", got.Lines, want.Lines)...)
	d = append(d, diffMap("model", got.Models, want.Models)...)
	d = append(d, diffMap("location", got.Locations, want.Locations)...)
	d = append(d, diffMap("hunt group", got.Hunts, want.Hunts)...)
	d = append(d, diffMap("auto attendant", got.AAs, want.AAs)...)
	gm, wm := sortedMembers(got.Members), sortedMembers(want.Members)
	if !reflect.DeepEqual(gm, wm) {
		d = append(d, fmt.Sprintf("members: got %+v, want %+v", gm, wm))
	}
	return strings.Join(d, "\n")
}

func diffMap[K ~string, V any](what string, got, want map[K]*V) []string {
	keys := map[K]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	sorted := make([]K, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	var d []string
	for _, k := range sorted {
		g, w := got[k], want[k]
		switch {
		case g == nil:
			d = append(d, fmt.Sprintf("%s %q: missing, want %+v", what, k, *w))
		case w == nil:
			d = append(d, fmt.Sprintf("%s %q: unexpected %+v", what, k, *g))
		case !reflect.DeepEqual(g, w):
			d = append(d, fmt.Sprintf("%s %q:\n\tgot  %+v\n\twant %+v", what, k, *g, *w))
		}
	}
	return d
}

func sortedMembers(ms []pbx.Member) []pbx.Member {
	out := append([]pbx.Member(nil), ms...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].Number != out[j].Number {
			return out[i].Number < out[j].Number
		}
		return out[i].User < out[j].User
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// checkState fails t when got is not want.
func checkState(t testing.TB, got, want *pbx.State) {
	t.Helper()
	if d := DiffState(got, want); d != "" {
		t.Errorf("state differs:\n%s", d)
	}
}
