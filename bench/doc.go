// Package bench measures pbxsync end to end against a generated live state
// (see package gen), and against the database's own floor in the same run.
//
// Run makes a roster for one company, then runs it the way `pbxsync apply
// --yes --report FILE` does: importer.PlanApply (its load and validate
// stages told apart through the progress it reports, then the slices
// planned and applied), or importer.Plan and importer.Apply when the
// roster is planned whole, and the per-row report written to a file; per
// stage it records the wall time,
// rows per second, the peak of the Go heap, the heap reserved from the OS and
// the process's peak RSS (VmHWM). On PostgreSQL it measures the floor: the
// same rows written into the same tables with the same indexes by COPY, and
// COPY into a temporary table with one set-based UPDATE ... FROM for the
// rows that change, in one transaction that is rolled back; and prints the
// ratio of the two. It then runs the same roster again (which must change
// nothing), and compares the store's load of the live state with a plain
// scan of the same columns.
//
// The Go benchmarks of this package (go test -bench . ./bench) time each
// stage on its own at small sizes: map, validate, load the live state, plan,
// apply.
package bench
