-- 013_audit_one_way: the audit log read one way (sqlite 012). Runs
-- recorded before run_batches (002) kept one row per change in
-- run_changes: each such run's changes become its batch 1, as the runs
-- since record them (the same JSON: seq, kind, key, action, fields,
-- outcome, error), and run_changes is left empty (an older pbxsync still
-- reads it). An interrupted run recorded before runs were counted batch by
-- batch (counts all 0) is counted from its batches; where Citus cannot plan
-- that (a schema distributed by an earlier build), such runs keep their 0s
-- in the list, and Run still counts them as it reads them.
INSERT INTO run_batches (company, run_id, batch, changes)
SELECT company, run_id, 1, json_agg(json_build_object('seq', seq, 'kind', kind, 'key', key, 'action', action,
        'fields', fields, 'outcome', outcome, 'error', error) ORDER BY seq)::text
    FROM run_changes GROUP BY company, run_id;
DELETE FROM run_changes;
DO $$
BEGIN
    UPDATE runs r SET
        applied = (SELECT count(*) FROM run_batches b, json_array_elements(b.changes::json) e
            WHERE b.company = r.company AND b.run_id = r.id AND e->>'outcome' = 'applied'),
        failed = (SELECT count(*) FROM run_batches b, json_array_elements(b.changes::json) e
            WHERE b.company = r.company AND b.run_id = r.id AND e->>'outcome' = 'failed'),
        skipped = (SELECT count(*) FROM run_batches b, json_array_elements(b.changes::json) e
            WHERE b.company = r.company AND b.run_id = r.id AND e->>'outcome' = 'skipped')
        WHERE outcome = 'interrupted' AND applied = 0 AND failed = 0 AND skipped = 0;
EXCEPTION WHEN feature_not_supported THEN
    NULL;
END
$$;
