// Package apply is how a store writes a plan: the plan cut into groups of
// changes that stand or fall together, the groups packed into batches of
// whole roster rows, each batch one transaction, and a row that fails
// isolated (its batch written again without it) and reported in domain
// words. It also encodes what each batch decided for the audit log.
//
// It is pure: a store gives it a Writer that writes one batch in one
// transaction, and tells a change that cannot be written for a reason of
// the domain (a *ChangeError: stale version, a value another object holds,
// an invalid field) from a failure of the store itself (lost connection,
// cancelled, locked), which stops the run. The sqlite and postgres stores
// share it; the lock, the run's record and the SQL stay theirs.
//
// Imports flow pbx <- plan <- apply <- stores <- importer: the Options of
// one apply travel through importer.Store's Apply.
package apply
