package validate

// Problem codes. Each is stable and dotted: the part before the dot names the
// field or rule, the part after what is wrong. Reports and scripts match on
// them, so a code is never renamed once released.
const (
	// CodeUserIDMissing: the row has no user ID (empty cell or no column).
	CodeUserIDMissing = "user_id.missing"
	// CodeUserIDInvalid: the user ID is not a login in e-mail form.
	CodeUserIDInvalid = "user_id.invalid"
	// CodeEmailInvalid: the e-mail is not a valid address.
	CodeEmailInvalid = "email.invalid"
	// CodeTextTooLong: a name or label is longer than 64 characters.
	CodeTextTooLong = "text.too_long"
	// CodeTextControl: a text field holds a control character (tab, line break...).
	CodeTextControl = "text.control"

	// CodeExtensionInvalid: the extension is not 2 to 8 digits.
	CodeExtensionInvalid = "extension.invalid"
	// CodeExtensionLength: the extension does not have the site's length.
	CodeExtensionLength = "extension.length"
	// CodeExtensionReserved: the extension is in a reserved range of the site (911, 9000-9999...).
	CodeExtensionReserved = "extension.reserved"
	// CodeExtensionLeadingZeros: the extension is short and would fit with the
	// leading zeros a spreadsheet drops.
	CodeExtensionLeadingZeros = "extension.leading_zeros"
	// CodeExtensionZerosRestored (warning): the extension was a number in
	// the workbook, shorter than the site's fixed length; padded with the
	// zeros the spreadsheet dropped, it fits the site and is free, so it
	// is read so.
	CodeExtensionZerosRestored = "extension.leading_zeros_restored"
	// CodeExtensionDerived: the extension taken from the number's last digits
	// (DOMAIN rule 5) does not fit the site; reported on the number's cell.
	CodeExtensionDerived = "extension.derived"

	// CodeStatusUnknown: the HR status is none of the values pbxsync knows
	// (validate/status.go) nor mapped by the profile.
	CodeStatusUnknown = "status.unknown"
	// CodeExitDateInvalid: the exit date is not a date in a form HR exports write.
	CodeExitDateInvalid = "exit_date.invalid"
	// CodeDuplicateExternalID: with --manage external-id, the HR id is also on an earlier row.
	CodeDuplicateExternalID = "duplicate.external_id"
	// CodeVoiceOffHoldsNumbers: the row turns voice service off for a user who
	// still holds numbers.
	CodeVoiceOffHoldsNumbers = "voice_enabled.holds_numbers"

	// CodeMACInvalid: the MAC is not six bytes in one of the accepted forms.
	CodeMACInvalid = "mac.invalid"
	// CodeMACMulticast: the MAC is a multicast (group) address.
	CodeMACMulticast = "mac.multicast"
	// CodeMACZero: the MAC is the all-zero address.
	CodeMACZero = "mac.zero"
	// CodeMACBroadcast: the MAC is the broadcast address ff:ff:ff:ff:ff:ff.
	CodeMACBroadcast = "mac.broadcast"
	// CodeMACScientific: a spreadsheet showed the MAC in scientific notation.
	CodeMACScientific = "mac.scientific"

	// CodeNumberInvalid: a phone number cannot be parsed or cannot exist.
	CodeNumberInvalid = "number.invalid"
	// CodeNumberScientific: a spreadsheet showed the number in scientific
	// notation and may have rounded it.
	CodeNumberScientific = "number.scientific"
	// CodeNumberRepeated: the same number is given twice on one row.
	CodeNumberRepeated = "number.repeated"

	// CodeStationTypeInvalid: the station type is not one the PBX knows.
	CodeStationTypeInvalid = "station_type.invalid"
	// CodeVoiceEnabledInvalid: voice_enabled is not a yes/no value.
	CodeVoiceEnabledInvalid = "voice_enabled.invalid"
	// CodeSMSInvalid: sms is not a yes/no value.
	CodeSMSInvalid = "sms.invalid"
	// CodeSiteUnknown: the site code is not a site of the company.
	CodeSiteUnknown = "site.unknown"
	// CodeCallerIDInvalid: the caller ID is neither own, anonymous nor a phone number.
	CodeCallerIDInvalid = "caller_id.invalid"

	// CodeModelUnknown: the device model is not in the device catalogue.
	CodeModelUnknown = "device.model_unknown"
	// CodeModelMissing: the row has a MAC but no model.
	CodeModelMissing = "device.model_missing"
	// CodeDeviceMACMissing: the row has a model but no MAC.
	CodeDeviceMACMissing = "device.mac_missing"
	// CodePortMissing: the device is an ATA and the row does not say which port.
	CodePortMissing = "device.port_missing"
	// CodePortInvalid: the port is not a whole number within the model's ports.
	CodePortInvalid = "device.port_invalid"
	// CodeLinesInvalid: the line count is not a whole number within the model's lines.
	CodeLinesInvalid = "device.lines_invalid"
	// CodeVendorMismatch (warning): the MAC's vendor prefix is not one of the model's.
	CodeVendorMismatch = "device.vendor_mismatch"

	// CodeE911Incomplete: part of an E911 address is given but this part is missing.
	CodeE911Incomplete = "e911.incomplete"
	// CodeE911Country: the E911 country is not a known country.
	CodeE911Country = "e911.country"
	// CodeE911Postal: the E911 postal code does not have its country's format.
	CodeE911Postal = "e911.postal"
	// CodeE911Region: the E911 state or province is not one of the country's.
	CodeE911Region = "e911.region"

	// CodeSMSPlan: SMS is asked for but the company's plan has no messaging (DOMAIN rule 10).
	CodeSMSPlan = "sms.plan"
	// CodeSMSNoNumber: SMS is asked for but the row assigns no number (DOMAIN rule 10).
	CodeSMSNoNumber = "sms.no_number"
	// CodeDeviceNoNumber: the row gives a device but no number (DOMAIN rules 4 and 6).
	CodeDeviceNoNumber = "device.no_number"
	// CodeOutboundAssigned: a number is both assigned and outbound-only on the row.
	CodeOutboundAssigned = "outbound_only.assigned"
	// CodeHuntGroupUnknown: the hunt-group cell names no hunt group of the
	// company (by id or name).
	CodeHuntGroupUnknown = "hunt_groups.unknown"
	// CodeUserNameMissing: the row creates a user but gives no first or last
	// name (DOMAIN rule 4: a user row carries the user's name).
	CodeUserNameMissing = "user.name_missing"
	// CodeVoiceDisabled: a number would go to a user without voice service (DOMAIN rule 7).
	CodeVoiceDisabled = "user.voice_disabled"

	// CodeDuplicateUserID: the user ID is on an earlier row too.
	CodeDuplicateUserID = "duplicate.user_id"
	// CodeDuplicateEmail: the e-mail is on an earlier row too.
	CodeDuplicateEmail = "duplicate.email"
	// CodeDuplicateExtension: the extension is on an earlier row of the same dial plan too.
	CodeDuplicateExtension = "duplicate.extension"
	// CodeDuplicateNumber: the number is assigned on an earlier row too.
	CodeDuplicateNumber = "duplicate.number"
	// CodeDuplicateDevicePort: the MAC and port are on an earlier row too.
	CodeDuplicateDevicePort = "duplicate.device_port"
	// CodeDuplicateMACModel: an earlier row gives the same MAC another model.
	CodeDuplicateMACModel = "duplicate.mac_model"

	// CodeNumberUnknown: the number is not in the company's inventory.
	CodeNumberUnknown = "number.unknown"
	// CodeNumberForeign: the number belongs to another company.
	CodeNumberForeign = "number.foreign"
	// CodeMACForeign: the device is registered to another company.
	CodeMACForeign = "mac.foreign"
	// CodeUserIDForeign: the user ID is a login of another company.
	CodeUserIDForeign = "user_id.foreign"
	// CodeEmailForeign: the e-mail is a user's of another company.
	CodeEmailForeign = "email.foreign"
	// CodeE911Missing: a number is assigned with no E911 location on the row
	// or on the live number (DOMAIN rule 8).
	CodeE911Missing = "e911.missing"
	// CodeCallerIDUnknown: the caller ID number is neither the company's nor on the roster.
	CodeCallerIDUnknown = "caller_id.unknown"

	// CodeNumberTaken: the number is assigned to a user the roster does not
	// name, to a hunt group or to an auto attendant (see Held). The same code
	// as plan.CodeNumberTaken: --take makes it a move.
	CodeNumberTaken = "number.taken"
	// CodeExtensionTaken: the extension is held by a user outside the roster,
	// by a user whose row keeps it, or by a hunt group or auto attendant (see
	// Held). The same code as plan.CodeExtensionTaken.
	CodeExtensionTaken = "extension.taken"
	// CodeExtensionOfLeaver: the extension is held by a deprovisioned user;
	// --take reclaims it. The same code as plan.CodeExtensionOfLeaver.
	CodeExtensionOfLeaver = "extension.of_deprovisioned"
)
