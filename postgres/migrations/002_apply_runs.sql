-- 002_apply_runs: the company lock of Apply, and an audit log that Apply
-- writes batch by batch, in the same transaction as the batch itself.

-- One row per company that has been applied to. Apply holds the row's lock
-- (SELECT ... FOR UPDATE, in a transaction of its own on a connection of its
-- own) for the whole run, so one run writes to a company at a time while
-- runs for other companies go on side by side. The holder's details (who,
-- where, since when) are in its run, whose outcome is 'running'.
CREATE TABLE company_locks (
    company text PRIMARY KEY
);

-- outcome: 'running', then 'applied', 'partial' (some rows failed),
-- 'failed' (every row failed), 'rolled back' (atomic run that failed) or
-- 'interrupted' (cancelled or connection lost; what its batches wrote stays).
ALTER TABLE runs
    ADD COLUMN changes integer NOT NULL DEFAULT 0, -- changes in the plan
    ADD COLUMN host text NOT NULL DEFAULT '',
    ADD COLUMN pid integer NOT NULL DEFAULT 0,
    ADD COLUMN atomic boolean NOT NULL DEFAULT false,
    ADD COLUMN batches integer NOT NULL DEFAULT 0,
    ADD COLUMN skipped integer NOT NULL DEFAULT 0;
CREATE INDEX runs_running_idx ON runs (company) WHERE outcome = 'running';

-- The plan of a run, without its changes (those are in run_batches), as
-- JSON text: written once, read back whole, never parsed by the server.
ALTER TABLE runs ALTER COLUMN plan TYPE text USING plan::text;

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
-- is 400,000 changes. Query inside with json_array_elements(changes::json).
-- (Runs recorded before this migration keep one row per change in
-- run_changes.)
CREATE TABLE run_batches (
    run_id  bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    batch   integer NOT NULL,
    changes text NOT NULL,
    PRIMARY KEY (run_id, batch)
);
