package validate

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// checkCommonArea checks the row of a common-area phone (a lobby, a fax, a
// meeting room: a phone with a number and no user, see leftOut): its site,
// its one number, the device and the number's E911 address. The row's
// faulty fields are marked as for any row.
func (rc *rowCheck) checkCommonArea() {
	rc.row.CommonArea = true
	rc.checkSite()
	rc.checkTexts() // the number's label
	rc.checkNumbers()
	if rc.row.Alloc != nil {
		rc.ps.add(rc.cell(xNumber), CodeCommonAreaNumber, rc.texts[xNumber], pbx.ErrInvalid,
			"a common-area phone does not take a number from the pool",
			"give the phone's number on this row")
		rc.row.Alloc = nil
	}
	rc.checkTarget() // target.go
	if len(rc.row.Numbers) > 1 && rc.row.TargetRef == "" {
		rc.ps.add(rc.cell(xNumber), CodeCommonAreaNumber, rc.texts[xNumber], pbx.ErrInvalid,
			fmt.Sprintf("a common-area phone rings one number; the row gives %d", len(rc.row.Numbers)),
			"give the phone one number")
	}
	rc.checkDevice()
	if rc.row.TargetRef != "" && rc.row.Device != nil {
		rc.ps.add(rc.cell(xTarget), CodeTargetWithPhone, rc.row.TargetRef, pbx.ErrInvalid,
			"the row gives both a phone and a target: a common-area phone rings a number of the pool, a number routed to a group rings the group",
			"clear the target to make the row a common-area phone, or the MAC to route the number to the target")
	}
	rc.checkLocation()
	for _, p := range rc.ps {
		if p.Blocking() && p.Cell.Col >= 0 {
			rc.faultyAt(p.Cell.Col)
		}
	}
}

// CodeCommonAreaNumber: a common-area phone's row gives no single number of
// its own ("auto", or several).
const CodeCommonAreaNumber = "device.common_area_number"
