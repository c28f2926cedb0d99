package pbx

import (
	"fmt"
	"time"
)

// DefaultExtensionHoldDays is how long a deprovisioned user's extension is
// held for them by default: a colleague who calls it in the weeks after
// they left reaches their voicemail, not a new hire.
const DefaultExtensionHoldDays = 30

// ExtensionHold says whether deprovisioned user u still holds their
// extension on day today (YYYY-MM-DD), with an extension hold of days
// days: held through the day DeprovisionedAt + days, released (free for
// any user to take) after it. until is the last day of the hold. A user
// deprovisioned with no date known (before pbxsync recorded it, or set up
// by a seed) holds it until --take reclaims it. An active user always
// holds their extension.
func (u *User) ExtensionHold(today string, days int) (until string, held bool) {
	if u.Status != StatusDeprovisioned {
		return "", true
	}
	from, err := time.Parse(time.DateOnly, u.DeprovisionedAt)
	if err != nil {
		return "", true
	}
	until = from.AddDate(0, 0, days).Format(time.DateOnly)
	return until, today <= until
}

// HeldBy says in domain words why deprovisioned user u still holds
// extension ext, for a hold of days days: who, since when, until when.
func (u *User) HeldBy(ext Extension, days int) string {
	if u.DeprovisionedAt == "" {
		return fmt.Sprintf("extension %s is held by %s, who was deprovisioned (left; the day is not recorded, so it is held until reclaimed)", ext, u.ID)
	}
	until, _ := u.ExtensionHold(u.DeprovisionedAt, days)
	return fmt.Sprintf("extension %s is held by %s, who was deprovisioned (left) on %s: held for them through %s (--extension-hold-days %d), free to take after it",
		ext, u.ID, u.DeprovisionedAt, until, days)
}
