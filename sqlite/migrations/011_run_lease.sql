-- 011_run_lease: the company lock is the company's run recorded as
-- running, its lease the run's heartbeat (RFC 3339, UTC), refreshed by the
-- run while it lives (sqlite/lock.go); every batch checks that its run is
-- still running (sqlstore.Fence). company_locks only said again what the
-- run says. A run that held a company when the file was upgraded has no
-- heartbeat: its lease has expired.
ALTER TABLE runs ADD COLUMN heartbeat TEXT;
DROP TABLE company_locks;
