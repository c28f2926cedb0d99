package validate

import (
	"fmt"

	"github.com/pbxsync/pbxsync/pbx"
)

// checkRowRules applies the rules between the fields of one row (DOMAIN rules
// 6, 7 and 10). They look at what the row gives, not at whether each value was
// valid: a row whose number is malformed is not told it has no number.
func (rc *rowCheck) checkRowRules() {
	st := rc.c.st
	if rc.row.SMS {
		if !st.Company.SMS {
			plan := "the company's plan"
			if st.Company.Plan != "" {
				plan = "plan " + st.Company.Plan
			}
			rc.ps.add(rc.cell(xSMS), CodeSMSPlan, rc.rawText(xSMS), pbx.ErrConflict,
				fmt.Sprintf("SMS is on but company %s is on %s, which has no messaging", st.Company.ID, plan),
				fmt.Sprintf("%s has no messaging: move the company to a plan with SMS, or set sms to no", plan))
		}
		if rc.numbersGiven == 0 {
			rc.ps.add(rc.cell(xSMS), CodeSMSNoNumber, rc.rawText(xSMS), pbx.ErrInvalid,
				"SMS is on but the row assigns the user no number",
				"give the user a number in the number column, or set sms to no")
		}
	}
	// A file with no number column at all (Kazoo's onboarding, a phones-only
	// survey) leaves the numbers as they are: Live checks the user has one.
	if numberColumn := rc.has.has(xNumber); rc.numbersGiven == 0 && numberColumn {
		if mac, _ := rc.text(xMAC); mac != "" {
			rc.ps.add(rc.cell(xMAC), CodeDeviceNoNumber, mac, pbx.ErrInvalid,
				fmt.Sprintf("the row gives device %s but no number", mac),
				"users can't call until they have a number and a phone: give the user a number, or clear the device")
		} else if model, _ := rc.text(xModel); model != "" {
			rc.ps.add(rc.cell(xModel), CodeDeviceNoNumber, model, pbx.ErrInvalid,
				fmt.Sprintf("the row gives a %s but no number", model),
				"users can't call until they have a number and a phone: give the user a number, or clear the device")
		}
	}
	if voice, _ := rc.text(xVoiceEnabled); rc.numbersGiven > 0 && voice != "" {
		if on, valid := YesNo(voice); valid && !on {
			rc.ps.add(rc.cell(xVoiceEnabled), CodeVoiceDisabled, voice, pbx.ErrConflict,
				"the row assigns a number to a user whose voice service it turns off",
				"only voice-enabled users can have a number: set voice_enabled to yes, or remove the numbers")
		}
	}
}

// rawText is the trimmed text of field f.
func (rc *rowCheck) rawText(f fx) string {
	s, _ := rc.text(f)
	return s
}
