package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pbxsync/pbxsync/pbx"
)

// HuntMemberKey is the key of a hunt group member change:
// "sales/jdoe@acme.example". A hunt group's id has no "/", so the key
// splits at its first one.
func HuntMemberKey(group string, u pbx.UserID) string { return group + "/" + string(u) }

// SplitHuntMemberKey splits a hunt group member key into its group and user.
func SplitHuntMemberKey(key string) (string, pbx.UserID, error) {
	g, u, ok := strings.Cut(key, "/")
	if !ok || g == "" || u == "" {
		return "", "", fmt.Errorf("%w: hunt group member key %q is not GROUP/USER (e.g. sales/jdoe@acme.example)", pbx.ErrInvalid, key)
	}
	return g, pbx.UserID(u), nil
}

// A hunt group member has no version, like a number member: it is there at
// its position or not at all, and a plan creates and deletes members. Apply
// checks that a member it creates is not there yet and that one it deletes
// is still there at the position the plan read; the audit log records
// MemberVersion for a member written, 0 for one deleted.

// huntMemberAttrs are the attributes of a member at position pos.
func huntMemberAttrs(pos int) [1]attr { return [1]attr{{AttrPosition, strconv.Itoa(pos)}} }

// ReadHuntMember reads a hunt group member change: its group and user from
// the key, its position from its one field (after for a create, before for
// a delete).
func ReadHuntMember(ch *Change) (string, pbx.UserID, int, error) {
	g, u, err := SplitHuntMemberKey(ch.Key)
	if err != nil {
		return "", "", 0, err
	}
	var pos string
	for _, f := range ch.Fields {
		if f.Field != AttrPosition {
			return "", "", 0, fmt.Errorf("%w: a hunt group member has no field %q; the plan may come from another version of pbxsync: plan again",
				pbx.ErrInvalid, f.Field)
		}
		pos = f.After
		if ch.Action == Delete {
			pos = f.Before
		}
	}
	n, err := strconv.Atoi(pos)
	if err != nil || n < 1 {
		return "", "", 0, fmt.Errorf("%w: the change gives hunt group member %s of %s no position (a whole number from 1), but %q", pbx.ErrInvalid, u, g, pos)
	}
	return g, u, n, nil
}
