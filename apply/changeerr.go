package apply

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
	"github.com/pbxsync/pbxsync/plan"
)

// The stores' words for a change that breaks a rule of the live state: both
// stores explain failures the same way, so they say them here once.

// Fail builds a *ChangeError for change ch wrapping the sentinel(s)
// in format: a change that cannot be written for a reason of the domain
// (stale version, conflict, invalid field), its row left out and the reason
// reported. Any other error is a failure of the infrastructure. The batch
// writer fills in the change's index.
func Fail(ch *plan.Change, format string, args ...any) error {
	return &ChangeError{Change: -1, Err: fmt.Errorf("%s: "+format, append([]any{ObjectName(ch)}, args...)...)}
}

// Also makes the *ChangeError ce wrap sentinel too, without saying it.
func Also(ce error, sentinel error) error {
	e := ce.(*ChangeError)
	e.Err = alsoErr{e.Err, sentinel}
	return e
}

// alsoErr is an error that wraps a second sentinel its message does not name.
type alsoErr struct{ err, sentinel error }

func (e alsoErr) Error() string   { return e.err.Error() }
func (e alsoErr) Unwrap() []error { return []error{e.err, e.sentinel} }

// ObjectName names the object of a change in domain words.
func ObjectName(ch *plan.Change) string {
	switch ch.Kind {
	case plan.KindUser:
		return "user " + ch.Key
	case plan.KindNumber:
		return "number " + ch.Key
	case plan.KindDevice:
		return "device " + pbx.MAC(ch.Key).String()
	case plan.KindLine:
		if mac, port, err := pbx.SplitLineKey(ch.Key); err == nil {
			return fmt.Sprintf("port %d of device %s", port, pbx.MAC(mac))
		}
		return "line " + ch.Key
	case plan.KindLocation:
		return "E911 location " + ch.Key
	case plan.KindMember:
		if e, u, err := plan.SplitMemberKey(ch.Key); err == nil {
			return fmt.Sprintf("member %s of number %s", u, e)
		}
	case plan.KindHuntMember:
		if g, u, err := plan.SplitHuntMemberKey(ch.Key); err == nil {
			return fmt.Sprintf("member %s of hunt group %s", u, g)
		}
	}
	return string(ch.Kind) + " " + ch.Key
}

// MemberFailure says in domain words why a number member change found the
// live state other than the plan saw it: numCo, userCo and have are the
// company of its number, of its user, and the member's role now (nil: none).
func MemberFailure(ch *plan.Change, company string, e pbx.E164, u pbx.UserID, role pbx.MemberRole, numCo, userCo, have *string) error {
	switch {
	case numCo == nil:
		return Also(Fail(ch, "%w: number %s is not in the inventory; numbers are added only by `pbxsync init --seed`", pbx.ErrNotFound, e), pbx.ErrStale)
	case *numCo != company:
		return Fail(ch, "%w: number %s belongs to company %s, not %s", pbx.ErrConflict, e, *numCo, company)
	case ch.Action == plan.Delete && have == nil:
		return Also(Fail(ch, "%w: it is no longer there (the plan saw it %s); plan again", pbx.ErrNotFound, role), pbx.ErrStale)
	case ch.Action == plan.Delete:
		return Fail(ch, "%w: it is %s now, the plan saw it %s; plan again", pbx.ErrStale, *have, role)
	case userCo == nil:
		return Fail(ch, "%w: user %s does not exist; create the user before giving them access to a number", pbx.ErrConflict, u)
	case *userCo != company:
		return Fail(ch, "%w: user %s belongs to company %s, not %s", pbx.ErrConflict, u, *userCo, company)
	case have != nil && pbx.MemberRole(*have) == role:
		return Fail(ch, "%w: it exists already (added since the plan was made); plan again", pbx.ErrStale)
	case have != nil:
		return Also(Fail(ch, "%w: %s is already an %s member of number %s; plan again", pbx.ErrConflict, u, *have, e), pbx.ErrStale)
	}
	return Fail(ch, "%w: it was not written; plan again", pbx.ErrStale)
}
