// Package sqlstore is the store of pbxsync written once for both SQL
// engines: loading the live state and other companies' objects, seeding,
// the reads a batch checks, the set-based writes (setwise.go) and the
// change-by-change writes that are their fallback, with their failure
// explanations, number members, the generation, runs and the audit log,
// and Apply's frame. Its SQL is written once, with the parameters numbered
// $1, $2... as PostgreSQL writes them and SQLite (modernc.org/sqlite) binds
// them, in the SQL both engines speak (CAST, ON CONFLICT, RETURNING,
// UPDATE ... FROM).
//
// What differs is behind a small interface, as in River's driver model
// (riverdriver): Q runs SQL on either driver (pgx or database/sql); a
// Dialect says how a list of keys is one parameter (a text[] or a JSON
// array), whether rows are locked FOR SHARE, how a broken constraint is
// named; a Bulk says how the rows of a set-based statement are sent (text
// arrays read by unnest, a multi-row VALUES), how new rows go in (COPY, a
// multi-row INSERT) and the one statement whose form differs (a DELETE by
// a join); an Engine gives read snapshots and write transactions, holds a
// company for a run (PostgreSQL's row lock, SQLite's lease on the running
// run's heartbeat; who holds a company and the check every batch makes
// that its run still does are lock.go's), begins its batches'
// transactions (Tx), which batch.go reads, writes, records and commits,
// and settles a run whose process is gone; a Migrator is an
// engine's migrations and how one step of them holds the schema. Store
// holds what both stores share besides: the settings, Seed, Apply, the
// recording of a run's start and end. Each engine package (postgres,
// sqlite) keeps only its own: opening and configuring the connection
// (store.go), its migrations (migrate.go), its side of Engine (engine.go),
// its bulk path (setwise.go), its lock (lock.go), how it names a broken
// rule (constraint.go). storetest is the contract both pass;
// TestSchemasEqual holds their migrated schemas equal,
// TestReleaseDatabase holds that a database of the release before opens
// and migrates without loss.
//
// Where a change goes:
//
//   - A new table or column: one migration per engine
//     (postgres/migrations and sqlite/migrations, NNN_what.sql, the same
//     number in both); TestSchemasEqual fails until both say the same.
//     Every table of a company's data has the company first in its key and
//     in each foreign key to another such table, every statement names it,
//     and a new table takes its place in the Citus layout
//     (postgres/distribute.go; Distribute refuses a table it does not
//     name). A value unique across companies is a claim (claims.go): on
//     one server a view of its objects and a unique index named after it,
//     on Citus a table written beside the object.
//     Where an object's attributes live (table, key and value columns,
//     how a plan attribute is stored) is declared once, in tables.go;
//     every statement of a change (insert and write in change.go, the
//     set-based ones in setwise.go) is generated from that declaration,
//     and so are the rows bench's floor writes. Loading it is load.go
//     (its columns, and where each goes in its object); seeding it one
//     upsert declared in seed.go (its columns, how many make its key).
//   - A new kind of change or a new action: tables.go (its table and the
//     column values of a change), then Applier.Change here (change.go; a
//     kind without a version as member.go), with its failures explained in
//     describe.go. The set-based path takes it when it fits its
//     statements (RowOf, apply.OpOf); otherwise the batch goes
//     change by change, which is always right.
//   - SQL that only one engine can say: a method of Dialect (or Engine,
//     Tx, Bulk), implemented in both engines' constraint.go / engine.go /
//     setwise.go; never a second copy of the logic.
package sqlstore
