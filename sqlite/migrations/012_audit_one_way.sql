-- 012_audit_one_way: the audit log read one way (postgres 013). Runs
-- recorded before run_batches (002) kept one row per change in
-- run_changes: each such run's changes become its batch 1, as the runs
-- since record them (the same JSON: seq, kind, key, action, fields,
-- outcome, error), and run_changes is left empty (an older pbxsync still
-- reads it). An interrupted run recorded before runs were counted batch by
-- batch (counts all 0) is counted from its batches.
INSERT INTO run_batches (company, run_id, batch, changes)
SELECT company, run_id, 1, json_group_array(json_object('seq', seq, 'kind', kind, 'key', key, 'action', action,
        'fields', json(fields), 'outcome', outcome, 'error', error))
    FROM (SELECT * FROM run_changes ORDER BY company, run_id, seq) GROUP BY company, run_id;
DELETE FROM run_changes;
UPDATE runs SET
    applied = (SELECT count(*) FROM run_batches b, json_each(b.changes) e
        WHERE b.company = runs.company AND b.run_id = runs.id AND json_extract(e.value, '$.outcome') = 'applied'),
    failed = (SELECT count(*) FROM run_batches b, json_each(b.changes) e
        WHERE b.company = runs.company AND b.run_id = runs.id AND json_extract(e.value, '$.outcome') = 'failed'),
    skipped = (SELECT count(*) FROM run_batches b, json_each(b.changes) e
        WHERE b.company = runs.company AND b.run_id = runs.id AND json_extract(e.value, '$.outcome') = 'skipped')
    WHERE outcome = 'interrupted' AND applied = 0 AND failed = 0 AND skipped = 0;
