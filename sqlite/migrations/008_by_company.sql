-- 008_by_company: the company in every key and foreign key, and the claim
-- tables that keep logins, e-mails, numbers and MACs unique across
-- companies (PostgreSQL's 009, which says why). SQLite changes a primary
-- key only by building the table anew: each table is created as
-- <name>_new, filled from the old one, which is dropped, and renamed. The
-- store runs every migration with foreign keys off and checks them all
-- (PRAGMA foreign_key_check) before it commits.
-- runs keeps its AUTOINCREMENT id (SQLite's only way never to reuse one) as
-- its rowid; a unique (company, id) is the key the audit log's foreign
-- keys name, as PostgreSQL's primary key (company, id) is.

CREATE TABLE users_new (
    user_id          TEXT NOT NULL, -- canonical login in e-mail form
    company          TEXT NOT NULL,
    site             TEXT NOT NULL DEFAULT '',
    first_name       TEXT NOT NULL DEFAULT '',
    last_name        TEXT NOT NULL DEFAULT '',
    email            TEXT,             -- NULL = none
    extension        TEXT,             -- NULL = none
    ext_scope        TEXT NOT NULL DEFAULT '', -- site code when the site has its own dial plan, else ''
    station_type     TEXT NOT NULL DEFAULT '',
    voice_enabled    INTEGER NOT NULL DEFAULT 0 CHECK (voice_enabled IN (0, 1)),
    caller_id        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'active',
    external_id      TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    deprovisioned_at TEXT,
    CONSTRAINT users_pkey PRIMARY KEY (company, user_id),
    CONSTRAINT users_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT users_extension_key UNIQUE (company, ext_scope, extension),
    CONSTRAINT users_status_check CHECK (status IN ('active', 'deprovisioned'))
);
INSERT INTO users_new (user_id, company, site, first_name, last_name, email, extension, ext_scope, station_type,
        voice_enabled, caller_id, status, external_id, version, deprovisioned_at)
    SELECT user_id, company, site, first_name, last_name, email, extension, ext_scope, station_type,
        voice_enabled, caller_id, status, external_id, version, deprovisioned_at FROM users;

CREATE TABLE numbers_new (
    e164            TEXT NOT NULL,
    company         TEXT NOT NULL,
    site            TEXT NOT NULL DEFAULT '',
    label           TEXT NOT NULL DEFAULT '',
    target_kind     TEXT NOT NULL DEFAULT '', -- '', 'user', 'huntgroup', 'autoattendant'
    target_user     TEXT,                     -- NULL unless target_kind = 'user'
    target_hunt     TEXT,                     -- NULL unless target_kind = 'huntgroup'
    target_aa       TEXT,                     -- NULL unless target_kind = 'autoattendant'
    routing         TEXT NOT NULL DEFAULT '',
    saved_routing   TEXT NOT NULL DEFAULT '',
    holiday_routing TEXT NOT NULL DEFAULT '',
    sms             INTEGER NOT NULL DEFAULT 0 CHECK (sms IN (0, 1)),
    location        TEXT,                     -- NULL = none
    version         INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT numbers_pkey PRIMARY KEY (company, e164),
    CONSTRAINT numbers_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT numbers_target_user_fkey FOREIGN KEY (company, target_user) REFERENCES users (company, user_id),
    CONSTRAINT numbers_target_hunt_fkey FOREIGN KEY (company, target_hunt) REFERENCES hunt_groups (company, id),
    CONSTRAINT numbers_target_aa_fkey FOREIGN KEY (company, target_aa) REFERENCES auto_attendants (company, id),
    CONSTRAINT numbers_location_fkey FOREIGN KEY (company, location) REFERENCES e911_locations (company, id),
    CONSTRAINT numbers_target_check CHECK (
        (target_kind = '' AND target_user IS NULL AND target_hunt IS NULL AND target_aa IS NULL) OR
        (target_kind = 'user' AND target_user IS NOT NULL AND target_hunt IS NULL AND target_aa IS NULL) OR
        (target_kind = 'huntgroup' AND target_user IS NULL AND target_hunt IS NOT NULL AND target_aa IS NULL) OR
        (target_kind = 'autoattendant' AND target_user IS NULL AND target_hunt IS NULL AND target_aa IS NOT NULL))
);
INSERT INTO numbers_new (e164, company, site, label, target_kind, target_user, target_hunt, target_aa, routing,
        saved_routing, holiday_routing, sms, location, version)
    SELECT e164, company, site, label, target_kind, target_user, target_hunt, target_aa, routing,
        saved_routing, holiday_routing, sms, location, version FROM numbers;

CREATE TABLE number_members_new (
    number  TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    company TEXT NOT NULL,
    CONSTRAINT number_members_pkey PRIMARY KEY (company, number, user_id),
    CONSTRAINT number_members_role_check CHECK (role IN ('assigned', 'outbound-only')),
    CONSTRAINT number_members_number_fkey FOREIGN KEY (company, number) REFERENCES numbers (company, e164),
    CONSTRAINT number_members_user_fkey FOREIGN KEY (company, user_id) REFERENCES users (company, user_id)
);
INSERT INTO number_members_new (number, user_id, role, company)
    SELECT m.number, m.user_id, m.role, n.company FROM number_members m JOIN numbers n ON n.e164 = m.number;

CREATE TABLE devices_new (
    mac     TEXT NOT NULL, -- 12 lower-case hex digits
    company TEXT NOT NULL,
    model   TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT devices_pkey PRIMARY KEY (company, mac),
    CONSTRAINT devices_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT devices_model_fkey FOREIGN KEY (model) REFERENCES device_models (name)
);
INSERT INTO devices_new (mac, company, model, version) SELECT mac, company, model, version FROM devices;

CREATE TABLE device_lines_new (
    mac     TEXT NOT NULL,
    port    INTEGER NOT NULL,
    user_id TEXT, -- NULL = none
    number  TEXT, -- NULL = none
    lines   INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    company TEXT NOT NULL,
    CONSTRAINT device_lines_pkey PRIMARY KEY (company, mac, port),
    CONSTRAINT device_lines_port_check CHECK (port >= 1),
    CONSTRAINT device_lines_lines_check CHECK (lines >= 0),
    CONSTRAINT device_lines_mac_fkey FOREIGN KEY (company, mac) REFERENCES devices (company, mac),
    CONSTRAINT device_lines_user_fkey FOREIGN KEY (company, user_id) REFERENCES users (company, user_id),
    CONSTRAINT device_lines_number_fkey FOREIGN KEY (company, number) REFERENCES numbers (company, e164)
);
INSERT INTO device_lines_new (mac, port, user_id, number, lines, version, company)
    SELECT l.mac, l.port, l.user_id, l.number, l.lines, l.version, d.company FROM device_lines l JOIN devices d ON d.mac = l.mac;

DROP INDEX runs_company_idx;
CREATE UNIQUE INDEX runs_company_id_key ON runs (company, id);

CREATE TABLE run_changes_new (
    run_id  INTEGER NOT NULL,
    seq     INTEGER NOT NULL, -- index into the plan's changes
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    action  TEXT NOT NULL,
    fields  TEXT NOT NULL DEFAULT '[]', -- JSON list of {field, before, after}
    outcome TEXT NOT NULL, -- 'applied', 'rolled back', 'failed', 'skipped'
    error   TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL,
    CONSTRAINT run_changes_pkey PRIMARY KEY (company, run_id, seq),
    CONSTRAINT run_changes_run_id_fkey FOREIGN KEY (company, run_id) REFERENCES runs (company, id) ON DELETE CASCADE
);
INSERT INTO run_changes_new (run_id, seq, kind, key, action, fields, outcome, error, company)
    SELECT c.run_id, c.seq, c.kind, c.key, c.action, c.fields, c.outcome, c.error, r.company FROM run_changes c JOIN runs r ON r.id = c.run_id;

CREATE TABLE run_batches_new (
    run_id  INTEGER NOT NULL,
    batch   INTEGER NOT NULL,
    changes TEXT NOT NULL,
    company TEXT NOT NULL,
    CONSTRAINT run_batches_pkey PRIMARY KEY (company, run_id, batch),
    CONSTRAINT run_batches_run_id_fkey FOREIGN KEY (company, run_id) REFERENCES runs (company, id) ON DELETE CASCADE
);
INSERT INTO run_batches_new (run_id, batch, changes, company)
    SELECT b.run_id, b.batch, b.changes, r.company FROM run_batches b JOIN runs r ON r.id = b.run_id;

CREATE TABLE hunt_group_members_new (
    company  TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (company, group_id, user_id),
    CONSTRAINT hunt_group_members_position_key UNIQUE (company, group_id, position),
    CONSTRAINT hunt_group_members_position_check CHECK (position >= 1),
    CONSTRAINT hunt_group_members_group_fkey FOREIGN KEY (company, group_id) REFERENCES hunt_groups (company, id),
    CONSTRAINT hunt_group_members_user_fkey FOREIGN KEY (company, user_id) REFERENCES users (company, user_id)
);
INSERT INTO hunt_group_members_new (company, group_id, user_id, position)
    SELECT company, group_id, user_id, position FROM hunt_group_members;

CREATE TABLE login_claims (
    user_id TEXT NOT NULL,
    company TEXT NOT NULL,
    CONSTRAINT login_claims_pkey PRIMARY KEY (user_id)
);
CREATE TABLE email_claims (
    email   TEXT NOT NULL, -- lower case
    company TEXT NOT NULL,
    user_id TEXT NOT NULL,
    CONSTRAINT email_claims_pkey PRIMARY KEY (email)
);
CREATE TABLE number_claims (
    e164    TEXT NOT NULL,
    company TEXT NOT NULL,
    CONSTRAINT number_claims_pkey PRIMARY KEY (e164)
);
CREATE TABLE device_claims (
    mac     TEXT NOT NULL,
    company TEXT NOT NULL,
    CONSTRAINT device_claims_pkey PRIMARY KEY (mac)
);
INSERT INTO login_claims (user_id, company) SELECT user_id, company FROM users;
INSERT INTO email_claims (email, company, user_id) SELECT lower(email), company, user_id FROM users WHERE email IS NOT NULL;
INSERT INTO number_claims (e164, company) SELECT e164, company FROM numbers;
INSERT INTO device_claims (mac, company) SELECT mac, company FROM devices;

DROP TABLE hunt_group_members;
DROP TABLE run_batches;
DROP TABLE run_changes;
DROP TABLE device_lines;
DROP TABLE devices;
DROP TABLE number_members;
DROP TABLE numbers;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
ALTER TABLE numbers_new RENAME TO numbers;
ALTER TABLE number_members_new RENAME TO number_members;
ALTER TABLE devices_new RENAME TO devices;
ALTER TABLE device_lines_new RENAME TO device_lines;
ALTER TABLE run_changes_new RENAME TO run_changes;
ALTER TABLE run_batches_new RENAME TO run_batches;
ALTER TABLE hunt_group_members_new RENAME TO hunt_group_members;

CREATE INDEX numbers_target_user_idx ON numbers (company, target_user);
CREATE INDEX numbers_target_hunt_idx ON numbers (company, target_hunt);
CREATE INDEX numbers_target_aa_idx ON numbers (company, target_aa);
CREATE INDEX numbers_location_idx ON numbers (company, location);
CREATE INDEX number_members_user_idx ON number_members (company, user_id);
CREATE INDEX devices_model_idx ON devices (model);
CREATE INDEX device_lines_user_idx ON device_lines (company, user_id);
CREATE INDEX device_lines_number_idx ON device_lines (company, number);
CREATE INDEX hunt_group_members_user_idx ON hunt_group_members (company, user_id);
