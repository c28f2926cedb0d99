-- 010_lean_keys: the same keys, rules and foreign keys, cheaper to write
-- (measured with `pbxsync bench --schema-floor`, BENCHMARKS.md "The floor
-- on the new schema against a minimal one"):
--   - every text column of a key, an index or a foreign key compares
--     bytes (COLLATE "C"), whatever the database's default collation:
--     equality is what it was (a deterministic collation is equal only
--     where the bytes are), an index entry is compared by memcmp instead
--     of the locale's rules, and ORDER BY on a key is byte order, as on
--     the embedded store and in Go. On a database made with the C locale
--     nothing changes. Only the indexes are rebuilt (a collation is not
--     part of the stored value);
--   - the indexes behind the foreign keys of nullable columns hold only
--     the rows that name something (WHERE col IS NOT NULL): a number of
--     the pool, or a port without a user or number, has no entry, so
--     assigning a number writes one index entry fewer per empty target
--     column, and the foreign keys' checks (an equality) still use them.
-- Each statement stands alone (Citus runs DDL on distributed tables one
-- statement at a time).

ALTER TABLE companies ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE company_locks ALTER COLUMN company TYPE text COLLATE "C";
ALTER TABLE device_models ALTER COLUMN name TYPE text COLLATE "C";
ALTER TABLE sites ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN code TYPE text COLLATE "C";
ALTER TABLE e911_locations ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE hunt_groups ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE auto_attendants ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE users ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN user_id TYPE text COLLATE "C",
    ALTER COLUMN ext_scope TYPE text COLLATE "C", ALTER COLUMN extension TYPE text COLLATE "C";
ALTER TABLE numbers ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN e164 TYPE text COLLATE "C",
    ALTER COLUMN target_user TYPE text COLLATE "C", ALTER COLUMN target_hunt TYPE text COLLATE "C",
    ALTER COLUMN target_aa TYPE text COLLATE "C", ALTER COLUMN location TYPE text COLLATE "C";
ALTER TABLE number_members ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN number TYPE text COLLATE "C",
    ALTER COLUMN user_id TYPE text COLLATE "C";
ALTER TABLE hunt_group_members ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN group_id TYPE text COLLATE "C",
    ALTER COLUMN user_id TYPE text COLLATE "C";
ALTER TABLE devices ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN mac TYPE text COLLATE "C",
    ALTER COLUMN model TYPE text COLLATE "C";
ALTER TABLE device_lines ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN mac TYPE text COLLATE "C",
    ALTER COLUMN user_id TYPE text COLLATE "C", ALTER COLUMN number TYPE text COLLATE "C";
ALTER TABLE runs ALTER COLUMN company TYPE text COLLATE "C", ALTER COLUMN roster_hash TYPE text COLLATE "C";
ALTER TABLE run_batches ALTER COLUMN company TYPE text COLLATE "C";
ALTER TABLE run_changes ALTER COLUMN company TYPE text COLLATE "C";
ALTER TABLE login_claims ALTER COLUMN user_id TYPE text COLLATE "C", ALTER COLUMN company TYPE text COLLATE "C";
ALTER TABLE email_claims ALTER COLUMN email TYPE text COLLATE "C", ALTER COLUMN company TYPE text COLLATE "C",
    ALTER COLUMN user_id TYPE text COLLATE "C";
ALTER TABLE number_claims ALTER COLUMN e164 TYPE text COLLATE "C", ALTER COLUMN company TYPE text COLLATE "C";
ALTER TABLE device_claims ALTER COLUMN mac TYPE text COLLATE "C", ALTER COLUMN company TYPE text COLLATE "C";

DROP INDEX numbers_target_user_idx;
CREATE INDEX numbers_target_user_idx ON numbers (company, target_user) WHERE target_user IS NOT NULL;
DROP INDEX numbers_target_hunt_idx;
CREATE INDEX numbers_target_hunt_idx ON numbers (company, target_hunt) WHERE target_hunt IS NOT NULL;
DROP INDEX numbers_target_aa_idx;
CREATE INDEX numbers_target_aa_idx ON numbers (company, target_aa) WHERE target_aa IS NOT NULL;
DROP INDEX numbers_location_idx;
CREATE INDEX numbers_location_idx ON numbers (company, location) WHERE location IS NOT NULL;
DROP INDEX device_lines_user_idx;
CREATE INDEX device_lines_user_idx ON device_lines (company, user_id) WHERE user_id IS NOT NULL;
DROP INDEX device_lines_number_idx;
CREATE INDEX device_lines_number_idx ON device_lines (company, number) WHERE number IS NOT NULL;

-- ALTER COLUMN ... TYPE drops the statistics of the columns it changes:
-- gathered again here, not when autovacuum next finds enough rows changed.
ANALYZE companies;
ANALYZE sites;
ANALYZE users;
ANALYZE numbers;
ANALYZE number_members;
ANALYZE hunt_group_members;
ANALYZE devices;
ANALYZE device_lines;
ANALYZE login_claims;
ANALYZE email_claims;
ANALYZE number_claims;
ANALYZE device_claims;
