package plan

// Codes of the problems the planner finds: the live state stands in the way
// of a row. A row with one of them is planned as a conflict and left alone.
const (
	// CodeNumberTaken: the number is assigned to a user the roster does not
	// name, or to a hunt group or auto attendant. --take moves it.
	CodeNumberTaken = "number.taken"
	// CodeExtensionTaken: another user outside the roster holds the extension.
	CodeExtensionTaken = "extension.taken"
	// CodeEmailTaken: another user holds the e-mail address.
	CodeEmailTaken = "email.taken"
	// CodeLineTaken: the device port serves a user the roster does not name.
	// --take moves it.
	CodeLineTaken = "line.taken"
	// CodeOutboundOwnNumber: the row makes its user outbound-only on a
	// number that is, and stays, assigned to them.
	CodeOutboundOwnNumber = "outbound_only.own_number"
	// CodeOutboundAssignedMember: the row makes its user outbound-only on a
	// number they are an assigned member of.
	CodeOutboundAssignedMember = "outbound_only.assigned_member"
	// CodeBlockedBy: the row depends on another row that is in conflict.
	CodeBlockedBy = "row.blocked"
	// CodeExternalIDSwap: with --manage external-id, the row's HR id is a
	// live user's whose login is on another row, or whose login the row
	// cannot take (two users swapping HR ids, a login another user holds).
	CodeExternalIDSwap = "external_id.swap"
	// CodeExtensionOfLeaver: the extension is a deprovisioned user's; --take
	// reclaims it.
	CodeExtensionOfLeaver = "extension.of_deprovisioned"
	// CodeEraseHolds: a user due for erasure still holds a number, a
	// device port or a number membership (pbxsync erase): not erased.
	CodeEraseHolds = "erase.holds"
	// CodeVoiceOffHoldsNumbers: the row turns voice service off and the user
	// ends the plan holding numbers.
	CodeVoiceOffHoldsNumbers = "voice_enabled.holds_numbers"
	// CodeCallerIDPool: the row's caller ID is a number that ends the plan
	// in the company pool.
	CodeCallerIDPool = "caller_id.pool_number"
	// CodeRemovalsHeld: a sync planned no removals because some rows were invalid.
	CodeRemovalsHeld = "sync.removals_held"
)
