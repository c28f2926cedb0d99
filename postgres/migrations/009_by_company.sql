-- 009_by_company: one schema that a distributed PostgreSQL (Citus) can
-- shard by company, the same on one server. Every table of a company's
-- data has the company in its key and in every foreign key between them,
-- so that all of one company's rows can live on one node and every
-- statement of a batch names the company (see docs/scale.md):
--   - number_members, device_lines, run_batches and run_changes get a
--     company column (their number's, device's or run's);
--   - users, numbers, devices, number_members, device_lines, runs,
--     run_batches and run_changes get primary keys that begin with it, and
--     their foreign keys name it (hunt_group_members, keyed by company
--     since 007, names its user by company too).
-- Logins, e-mails (lower case), E.164 numbers and MACs stay unique across
-- all companies, as before: no longer by an index on one table (which a
-- table sharded by company cannot have), but by four claim tables keyed by
-- the value, written in the transaction that writes the object.
-- Each statement stands alone (one constraint per ALTER TABLE): Citus runs
-- DDL on distributed tables only one statement at a time.

ALTER TABLE number_members ADD COLUMN company text;
UPDATE number_members m SET company = n.company FROM numbers n WHERE n.e164 = m.number;
ALTER TABLE number_members ALTER COLUMN company SET NOT NULL;
ALTER TABLE device_lines ADD COLUMN company text;
UPDATE device_lines l SET company = d.company FROM devices d WHERE d.mac = l.mac;
ALTER TABLE device_lines ALTER COLUMN company SET NOT NULL;
ALTER TABLE run_batches ADD COLUMN company text;
UPDATE run_batches b SET company = r.company FROM runs r WHERE r.id = b.run_id;
ALTER TABLE run_batches ALTER COLUMN company SET NOT NULL;
ALTER TABLE run_changes ADD COLUMN company text;
UPDATE run_changes c SET company = r.company FROM runs r WHERE r.id = c.run_id;
ALTER TABLE run_changes ALTER COLUMN company SET NOT NULL;

ALTER TABLE numbers DROP CONSTRAINT numbers_target_user_fkey;
ALTER TABLE number_members DROP CONSTRAINT number_members_number_fkey;
ALTER TABLE number_members DROP CONSTRAINT number_members_user_fkey;
ALTER TABLE device_lines DROP CONSTRAINT device_lines_mac_fkey;
ALTER TABLE device_lines DROP CONSTRAINT device_lines_user_fkey;
ALTER TABLE device_lines DROP CONSTRAINT device_lines_number_fkey;
ALTER TABLE run_batches DROP CONSTRAINT run_batches_run_id_fkey;
ALTER TABLE run_changes DROP CONSTRAINT run_changes_run_id_fkey;
ALTER TABLE hunt_group_members DROP CONSTRAINT hunt_group_members_user_fkey;

ALTER TABLE users DROP CONSTRAINT users_pkey;
ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY (company, user_id);
ALTER TABLE numbers DROP CONSTRAINT numbers_pkey;
ALTER TABLE numbers ADD CONSTRAINT numbers_pkey PRIMARY KEY (company, e164);
ALTER TABLE devices DROP CONSTRAINT devices_pkey;
ALTER TABLE devices ADD CONSTRAINT devices_pkey PRIMARY KEY (company, mac);
ALTER TABLE number_members DROP CONSTRAINT number_members_pkey;
ALTER TABLE number_members ADD CONSTRAINT number_members_pkey PRIMARY KEY (company, number, user_id);
ALTER TABLE device_lines DROP CONSTRAINT device_lines_pkey;
ALTER TABLE device_lines ADD CONSTRAINT device_lines_pkey PRIMARY KEY (company, mac, port);
ALTER TABLE runs DROP CONSTRAINT runs_pkey;
ALTER TABLE runs ADD CONSTRAINT runs_pkey PRIMARY KEY (company, id);
ALTER TABLE run_batches DROP CONSTRAINT run_batches_pkey;
ALTER TABLE run_batches ADD CONSTRAINT run_batches_pkey PRIMARY KEY (company, run_id, batch);
ALTER TABLE run_changes DROP CONSTRAINT run_changes_pkey;
ALTER TABLE run_changes ADD CONSTRAINT run_changes_pkey PRIMARY KEY (company, run_id, seq);

ALTER TABLE numbers ADD CONSTRAINT numbers_target_user_fkey FOREIGN KEY (company, target_user) REFERENCES users (company, user_id);
ALTER TABLE number_members ADD CONSTRAINT number_members_number_fkey FOREIGN KEY (company, number) REFERENCES numbers (company, e164);
ALTER TABLE number_members ADD CONSTRAINT number_members_user_fkey FOREIGN KEY (company, user_id) REFERENCES users (company, user_id);
ALTER TABLE device_lines ADD CONSTRAINT device_lines_mac_fkey FOREIGN KEY (company, mac) REFERENCES devices (company, mac);
ALTER TABLE device_lines ADD CONSTRAINT device_lines_user_fkey FOREIGN KEY (company, user_id) REFERENCES users (company, user_id);
ALTER TABLE device_lines ADD CONSTRAINT device_lines_number_fkey FOREIGN KEY (company, number) REFERENCES numbers (company, e164);
ALTER TABLE run_batches ADD CONSTRAINT run_batches_run_id_fkey FOREIGN KEY (company, run_id) REFERENCES runs (company, id) ON DELETE CASCADE;
ALTER TABLE hunt_group_members ADD CONSTRAINT hunt_group_members_user_fkey FOREIGN KEY (company, user_id) REFERENCES users (company, user_id);
ALTER TABLE run_changes ADD CONSTRAINT run_changes_run_id_fkey FOREIGN KEY (company, run_id) REFERENCES runs (company, id) ON DELETE CASCADE;

-- The indexes behind the foreign keys that name a user or a number, now
-- with the company; the ones the new primary keys cover go.
DROP INDEX numbers_target_user_idx;
CREATE INDEX numbers_target_user_idx ON numbers (company, target_user);
DROP INDEX number_members_user_idx;
CREATE INDEX number_members_user_idx ON number_members (company, user_id);
DROP INDEX device_lines_user_idx;
CREATE INDEX device_lines_user_idx ON device_lines (company, user_id);
DROP INDEX hunt_group_members_user_idx;
CREATE INDEX hunt_group_members_user_idx ON hunt_group_members (company, user_id);
DROP INDEX device_lines_number_idx;
CREATE INDEX device_lines_number_idx ON device_lines (company, number);
DROP INDEX devices_company_idx;
DROP INDEX runs_company_idx;
DROP INDEX users_email_key;

-- The claims: who holds each value that is unique across companies. A claim
-- is written in the transaction that creates (or renames, or re-mails) its
-- object and deleted in the one that deletes it; the "held by another
-- company" look-ups read them. On Citus each is sharded by its own value.
CREATE TABLE login_claims (
    user_id text NOT NULL,
    company text NOT NULL,
    CONSTRAINT login_claims_pkey PRIMARY KEY (user_id)
);
CREATE TABLE email_claims (
    email   text NOT NULL, -- lower case
    company text NOT NULL,
    user_id text NOT NULL,
    CONSTRAINT email_claims_pkey PRIMARY KEY (email)
);
CREATE TABLE number_claims (
    e164    text NOT NULL,
    company text NOT NULL,
    CONSTRAINT number_claims_pkey PRIMARY KEY (e164)
);
CREATE TABLE device_claims (
    mac     text NOT NULL,
    company text NOT NULL,
    CONSTRAINT device_claims_pkey PRIMARY KEY (mac)
);
INSERT INTO login_claims (user_id, company) SELECT user_id, company FROM users;
INSERT INTO email_claims (email, company, user_id) SELECT lower(email), company, user_id FROM users WHERE email IS NOT NULL;
INSERT INTO number_claims (e164, company) SELECT e164, company FROM numbers;
INSERT INTO device_claims (mac, company) SELECT mac, company FROM devices;
