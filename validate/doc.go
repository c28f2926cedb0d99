// Package validate decides what part of a roster may reach the planner. It
// applies the field rules (canonicalising each value as it checks it), the
// row rules, the cross-row rules of a whole roster and the rules that need the
// live state, and reports every problem it finds at once, each at its cell
// (file, sheet, row, column letter and header) with a stable code (codes.go),
// the value as the file gave it, a one-line message and a one-line hint.
// Warnings (device.vendor_mismatch) do not block their row.
//
// # Stages
//
//   - Row (Checker.Row): field and row rules of one mapped row; needs the
//     company, its sites and the device catalogue. Returns the canonical
//     pbx.Row, or nil when a problem blocks it. Checker.Check returns the
//     row whatever its problems, each value a rule refused left out of it
//     and its field marked pbx.Row.Faulty: one pass gives every row every
//     check, and the importer hands all rows to the stages below.
//   - Roster: cross-row rules over the rows, valid or not (a value an
//     invalid row repeats is still a duplicate; first row wins).
//   - Live: rules that need the live state (st fully loaded, with the
//     objects of other companies the roster names: see Keys), on every
//     row, passing by the fields a row's own rules refused.
//   - Held: numbers and extensions held by someone outside the roster, under
//     a Policy (--take, a sync's leavers). The planner finds the same
//     conflicts with the same codes; Held lets validation show them without
//     planning.
//
// # Where each rule is
//
// Field rules (Row):
//
//	user ID, e-mail form, case-folded   tag userid -> pbx.ParseUserID       userid.go
//	e-mail, domain lower-cased          tag email (validator's)             userid.go
//	names, label, external ID, street   tags max=64|128, text (no controls) texts.go
//	extension                           canonExtension, plain               extension.go
//	MAC                                 tag mac -> pbx.ParseMAC; canonMAC   mac.go
//	phone numbers, caller ID            pbx.ParseE164 (nyaruka/phonenumbers) via fastE164  number.go, numberfast.go, callerid.go
//	station type, yes/no, site          small tables, plain                 choice.go, site.go
//	model, port, lines, vendor warning  catalogue lookups, plain            device.go
//	E911 address, country, region, postal                                   e911.go, country.go, region.go, postal.go
//
// Row rules: SMS needs a plan with messaging and a number (sms.plan,
// sms.no_number, DOMAIN rule 10); a device needs a number (device.no_number,
// rule 6); voice off with a number (user.voice_disabled, rule 7); a number
// both assigned and outbound-only (outbound_only.assigned): rowrules.go,
// number.go.
//
// Cross-row rules (Roster): duplicate user IDs, e-mails, extensions (per
// dial plan), assigned numbers, MAC+port, and a MAC given two models.
//
// A workbook's number cell (mapping.Value.Numeric) that lost the leading
// zeros of an extension is restored with a warning when that is certain
// (extension.leading_zeros_restored; see Checker.restorable); a text cell
// or a padded extension someone else has keeps extension.leading_zeros.
//
// Live rules (Live): a row that creates a user gives a first and a last
// name (user.name_missing, rule 4); the number is in the company's inventory
// (number.unknown) and not another company's (number.foreign); an assigned
// number has an E911 location on the row or on the number (e911.missing,
// rule 8); a user whose voice service is off cannot take a number unless the
// row turns it on (user.voice_disabled, rule 7); MAC, login and e-mail of
// another company (mac.foreign, user_id.foreign, email.foreign); a caller
// ID number that is neither the company's nor on the roster
// (caller_id.unknown, rule 9). Held: number.taken, extension.taken (rules 3
// and 5).
//
// A number's target is exactly one of user, hunt group and auto attendant
// (rule 7): a roster row assigns its numbers to its own user, so a number
// given twice (duplicate.number, number.repeated), both assigned and
// outbound-only (outbound_only.assigned), or already on a hunt group, an
// auto attendant or a user the roster does not name (number.taken) is a
// problem; nothing else can give a number a second target.
//
// # go-playground/validator and plain functions
//
// The single-value text fields are a struct with validator tags (fields.go):
// required, email, max, and three tags of our own registered on the
// validator, userid and mac (which run the pbx normalisers and keep their
// result, so the value is parsed once) and text (no control characters).
// Plain functions do the rest, where a tag would be less clear:
//
//   - extension, numbers, caller ID: the rule depends on the row's site
//     (length, reserved ranges, region), which a tag on a string cannot see;
//   - model, port, lines: they depend on the catalogue and on each other
//     (the port range is the model's);
//   - E911: five fields checked together (complete, then region and postal
//     code per country);
//   - station type, yes/no, site: lookups in small tables that also return
//     the canonical form;
//   - row, cross-row and live rules: they span fields, rows or the state.
//
// The validator costs some 3 µs a row (reflection, and the e-mail expression
// with net/mail), more than all other field rules together, so a row whose
// text fields a quick plain check accepts (textFields.quick: a strict subset
// of what the tags accept) does not go through it; any other row does, and
// the validator's tag decides and names what failed. Numbers go the same
// way: fastE164 answers for the common forms exactly as pbx.ParseE164 would,
// some 50 times faster, and leaves every other form to it. Tests hold both
// fast paths to their authority (FuzzQuickEmail, TestFastE164MatchesParse,
// FuzzFastE164).
package validate
