package sqlstore

import (
	"fmt"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// parseRanges reads what plan.FormatRanges wrote.
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
