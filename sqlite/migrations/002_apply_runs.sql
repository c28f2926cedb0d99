-- 002_apply_runs: the company lock of Apply, and an audit log that Apply
-- writes batch by batch, in the same transaction as the batch itself.

-- The run that holds a company, one row per held company. Apply writes its
-- row in a transaction of its own and deletes it when done; another run
-- waits while the row is there, unless its holder is gone: a process of this
-- host that no longer exists, or a heartbeat (refreshed by every batch)
-- older than the store's stale limit. Times are RFC 3339, UTC.
CREATE TABLE company_locks (
    company   TEXT PRIMARY KEY,
    run_id    INTEGER NOT NULL,
    who       TEXT NOT NULL DEFAULT '',
    host      TEXT NOT NULL DEFAULT '',
    pid       INTEGER NOT NULL DEFAULT 0,
    since     TEXT NOT NULL,
    heartbeat TEXT NOT NULL
);

-- outcome: 'running', then 'applied', 'partial' (some rows failed),
-- 'failed' (every row failed), 'rolled back' (atomic run that failed) or
-- 'interrupted' (cancelled or stopped; what its batches wrote stays).
ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN atomic INTEGER NOT NULL DEFAULT 0 CHECK (atomic IN (0, 1));
ALTER TABLE runs ADD COLUMN batches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
CREATE INDEX runs_running_idx ON runs (company) WHERE outcome = 'running';

ALTER TABLE runs ADD COLUMN changes INTEGER NOT NULL DEFAULT 0; -- changes in the plan

-- What each batch (transaction) of a run decided, written in that same
-- transaction: a JSON array of one object per change, with the change as
-- planned (its fields carry the values before and after) and what became of
-- it: {"seq": index in the plan, "kind", "key", "action", "version" (seen by
-- the plan), "fields": [{"field", "before", "after"}], "reason", "rows",
-- "outcome" ('applied', 'failed': the database refused it, 'skipped': not
-- written because a change it goes with failed, 'rolled back', 'not run'),
-- "error", "after_version" (the version it left; 0 when deleted or not
-- written)}. Batch 0 lists the changes an interrupted run never reached.
-- One row per batch rather than per change: an onboarding of 100,000 users
-- is 400,000 changes. Query inside with json_each(changes).
-- (Runs recorded before this migration keep one row per change in
-- run_changes.)
CREATE TABLE run_batches (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    batch   INTEGER NOT NULL,
    changes TEXT NOT NULL,
    PRIMARY KEY (run_id, batch)
);
