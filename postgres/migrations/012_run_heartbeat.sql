-- 012_run_heartbeat: when the run last renewed its lease, the embedded
-- store's lock (sqlite 011); here the run's start only: the lock is
-- company_locks' row lock, held for the run. One column, one schema.
ALTER TABLE runs ADD COLUMN heartbeat timestamptz;
