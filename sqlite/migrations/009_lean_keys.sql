-- 009_lean_keys: PostgreSQL's 010 (which says why). SQLite compares text
-- by its bytes already (BINARY), so only the indexes behind the foreign
-- keys of nullable columns change: they hold only the rows that name
-- something (WHERE col IS NOT NULL), and the foreign keys' checks (an
-- equality, which implies it) still use them.

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
