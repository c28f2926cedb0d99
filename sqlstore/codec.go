package sqlstore

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// FormatRanges writes a site's reserved extensions as "9000-9999,911".
func FormatRanges(rs []pbx.ExtRange) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		if r.From == r.To {
			parts[i] = r.From
		} else {
			parts[i] = r.From + "-" + r.To
		}
	}
	return strings.Join(parts, ",")
}

// parseRanges reads what FormatRanges wrote.
func parseRanges(s string) ([]pbx.ExtRange, error) {
	if s == "" {
		return nil, nil
	}
	var rs []pbx.ExtRange
	for _, p := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(p, "-")
		if !ok {
			to = from
		}
		if from == "" || to == "" {
			return nil, fmt.Errorf("reserved range %q in %q is empty at one end", p, s)
		}
		rs = append(rs, pbx.ExtRange{From: from, To: to})
	}
	return rs, nil
}

// JoinList and splitList store a device model's OUIs as "0004f2,805ec0".
func JoinList(xs []string) string { return strings.Join(xs, ",") }

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
