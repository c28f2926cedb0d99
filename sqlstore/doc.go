// Package sqlstore is the store of pbxsync written once for both SQL
// engines: loading the live state and other companies' objects, seeding,
// the reads a batch checks, the set-based writes (setwise.go) and the
// change-by-change writes that are their fallback, with their failure
// explanations, the generation, runs and the audit log, and Apply's frame.
// Its SQL is written once, with parameters $1, $2... as PostgreSQL writes
// them and SQLite (modernc.org/sqlite) binds them, in the SQL both engines
// speak (CAST, ON CONFLICT, RETURNING, UPDATE ... FROM).
//
// What differs is behind a small interface, as in River's driver model:
// Q runs SQL on either driver (pgx or database/sql); a Dialect says how a
// list of keys is one parameter, whether rows are locked FOR SHARE, how a
// broken constraint is named; a Bulk how the rows of a set-based statement
// are sent (unnest of text arrays and COPY, or a multi-row VALUES); an
// Engine gives read snapshots and write transactions, holds a company for
// a run (PostgreSQL's row lock, SQLite's lease on the run's heartbeat),
// begins its batches' transactions (Tx) and settles a run whose process is
// gone; a Migrator is an engine's migrations. Each engine package
// (postgres, sqlite) keeps only its own: the connection (store.go), its
// migrations (migrate.go), its side of Engine (engine.go), its bulk path
// (setwise.go), its lock (lock.go), how it names a broken rule
// (constraint.go). storetest is the contract both pass; TestSchemasEqual
// holds their migrated schemas equal, TestReleaseDatabase holds that a
// database of the release before opens and migrates without loss.
//
// Where a change goes:
//
//   - A new table or column: one migration per engine (postgres/migrations
//     and sqlite/migrations, NNN_what.sql: each engine numbers its own, and
//     a migration's header names its counterpart in the other). Every
//     table of a company's data has the company first in its key and in
//     each foreign key to another such table, every statement names it, and
//     a new table takes its place in the Citus layout (postgres/distribute.go).
//     A value unique across companies is a claim (claims.go). Where an
//     object's attributes live is declared once, in tables.go; every
//     statement of a change (change.go, setwise.go) is generated from it.
//     Loading it is load.go; seeding it an upsert declared in seed.go.
//   - A new kind of change or action: tables.go, then Applier.Change
//     (change.go; a kind without a version as member.go), its failures
//     explained in describe.go. The set-based path takes it when it fits its
//     statements (RowOf, apply.OpOf); otherwise the batch goes change by
//     change, which is always right.
//   - SQL that only one engine can say: a method of Dialect (or Engine, Tx,
//     Bulk) implemented in both engines; never a second copy of the logic.
package sqlstore
