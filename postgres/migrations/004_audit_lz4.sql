-- 004_audit_lz4: the audit log's JSON compressed with lz4.
--
-- A run's run_batches rows hold what it did as JSON text (see 002): some
-- 140 MB for an onboarding of 100,000 users, compressed by the server as it
-- is written. pglz, the default, spends about three times the server's time
-- of lz4 on it, in the apply's own transactions. Servers built without lz4
-- keep pglz.
--
-- From this version on (both stores), the records leave out empty values: "version" and
-- "after_version" when 0, "fields", "rows", "reason" and "error" when empty,
-- and a field's "before" or "after" when "". Read a missing one as its
-- empty value (e->>'error' is NULL where it was '').
DO $$
BEGIN
    ALTER TABLE run_batches ALTER COLUMN changes SET COMPRESSION lz4;
    ALTER TABLE runs ALTER COLUMN plan SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;
