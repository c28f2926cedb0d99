-- 012_run_heartbeat: when a batch of the run last found it holding its
-- company (sqlstore.Fence). The lease of the embedded store's lock; here a
-- record only: the lock is company_locks' row lock, held for the run.
ALTER TABLE runs ADD COLUMN heartbeat timestamptz;
