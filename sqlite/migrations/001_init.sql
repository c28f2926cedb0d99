-- 001_init: the live state of the PBX and the audit log of runs (SQLite).
-- Booleans are integers 0/1. "" stands for "none" in text columns, except
-- where a foreign key or a uniqueness rule needs NULL (noted per column).

CREATE TABLE companies (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    plan TEXT NOT NULL DEFAULT '',
    sms  INTEGER NOT NULL DEFAULT 0 CHECK (sms IN (0, 1))
);

CREATE TABLE sites (
    company       TEXT NOT NULL REFERENCES companies (id),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    ext_len       INTEGER NOT NULL DEFAULT 0,
    own_dial_plan INTEGER NOT NULL DEFAULT 0 CHECK (own_dial_plan IN (0, 1)),
    reserved      TEXT NOT NULL DEFAULT '', -- "9000-9999,911"
    PRIMARY KEY (company, code)
);

CREATE TABLE device_models (
    name      TEXT PRIMARY KEY,
    vendor    TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL DEFAULT '',
    ports     INTEGER NOT NULL DEFAULT 1 CHECK (ports >= 0),
    max_lines INTEGER NOT NULL DEFAULT 1 CHECK (max_lines >= 0),
    ouis      TEXT NOT NULL DEFAULT '' -- "0004f2,805ec0"
);

CREATE TABLE users (
    user_id       TEXT PRIMARY KEY, -- canonical login in e-mail form
    company       TEXT NOT NULL,
    site          TEXT NOT NULL DEFAULT '',
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    email         TEXT,             -- NULL = none
    extension     TEXT,             -- NULL = none
    ext_scope     TEXT NOT NULL DEFAULT '', -- site code when the site has its own dial plan, else ''
    station_type  TEXT NOT NULL DEFAULT '',
    voice_enabled INTEGER NOT NULL DEFAULT 0 CHECK (voice_enabled IN (0, 1)),
    caller_id     TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'active',
    external_id   TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT users_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT users_extension_key UNIQUE (company, ext_scope, extension),
    CONSTRAINT users_status_check CHECK (status IN ('active', 'deprovisioned'))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_company_idx ON users (company);

CREATE TABLE e911_locations (
    company TEXT NOT NULL REFERENCES companies (id),
    id      TEXT NOT NULL, -- pbx.LocationID of the address
    street  TEXT NOT NULL DEFAULT '',
    city    TEXT NOT NULL DEFAULT '',
    region  TEXT NOT NULL DEFAULT '',
    postal  TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (company, id)
);

CREATE TABLE hunt_groups (
    company   TEXT NOT NULL REFERENCES companies (id),
    id        TEXT NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    extension TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (company, id)
);

CREATE TABLE auto_attendants (
    company   TEXT NOT NULL REFERENCES companies (id),
    id        TEXT NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    extension TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (company, id)
);

-- numbers are the company's inventory: only Seed inserts them, Apply only updates.
CREATE TABLE numbers (
    e164            TEXT PRIMARY KEY,
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
    CONSTRAINT numbers_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT numbers_target_user_fkey FOREIGN KEY (target_user) REFERENCES users (user_id),
    CONSTRAINT numbers_target_hunt_fkey FOREIGN KEY (company, target_hunt) REFERENCES hunt_groups (company, id),
    CONSTRAINT numbers_target_aa_fkey FOREIGN KEY (company, target_aa) REFERENCES auto_attendants (company, id),
    CONSTRAINT numbers_location_fkey FOREIGN KEY (company, location) REFERENCES e911_locations (company, id),
    CONSTRAINT numbers_target_check CHECK (
        (target_kind = '' AND target_user IS NULL AND target_hunt IS NULL AND target_aa IS NULL) OR
        (target_kind = 'user' AND target_user IS NOT NULL AND target_hunt IS NULL AND target_aa IS NULL) OR
        (target_kind = 'huntgroup' AND target_user IS NULL AND target_hunt IS NOT NULL AND target_aa IS NULL) OR
        (target_kind = 'autoattendant' AND target_user IS NULL AND target_hunt IS NULL AND target_aa IS NOT NULL))
);
CREATE INDEX numbers_company_idx ON numbers (company);
CREATE INDEX numbers_target_user_idx ON numbers (target_user);
CREATE INDEX numbers_target_hunt_idx ON numbers (company, target_hunt);
CREATE INDEX numbers_target_aa_idx ON numbers (company, target_aa);
CREATE INDEX numbers_location_idx ON numbers (company, location);

CREATE TABLE number_members (
    number  TEXT NOT NULL,
    user_id TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (number, user_id),
    CONSTRAINT number_members_role_check CHECK (role IN ('assigned', 'outbound-only')),
    CONSTRAINT number_members_number_fkey FOREIGN KEY (number) REFERENCES numbers (e164),
    CONSTRAINT number_members_user_fkey FOREIGN KEY (user_id) REFERENCES users (user_id)
);
CREATE INDEX number_members_user_idx ON number_members (user_id);

CREATE TABLE devices (
    mac     TEXT PRIMARY KEY, -- 12 lower-case hex digits
    company TEXT NOT NULL,
    model   TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    CONSTRAINT devices_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT devices_model_fkey FOREIGN KEY (model) REFERENCES device_models (name)
);
CREATE INDEX devices_company_idx ON devices (company);
CREATE INDEX devices_model_idx ON devices (model);

CREATE TABLE device_lines (
    mac     TEXT NOT NULL,
    port    INTEGER NOT NULL,
    user_id TEXT, -- NULL = none
    number  TEXT, -- NULL = none
    lines   INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (mac, port),
    CONSTRAINT device_lines_port_check CHECK (port >= 1),
    CONSTRAINT device_lines_lines_check CHECK (lines >= 0),
    CONSTRAINT device_lines_mac_fkey FOREIGN KEY (mac) REFERENCES devices (mac),
    CONSTRAINT device_lines_user_fkey FOREIGN KEY (user_id) REFERENCES users (user_id),
    CONSTRAINT device_lines_number_fkey FOREIGN KEY (number) REFERENCES numbers (e164)
);
CREATE INDEX device_lines_user_idx ON device_lines (user_id);
CREATE INDEX device_lines_number_idx ON device_lines (number);

-- The audit log: one row per applied (or rolled back) plan, one per change.
CREATE TABLE runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at  TEXT NOT NULL, -- RFC 3339, UTC
    finished_at TEXT NOT NULL,
    who         TEXT NOT NULL DEFAULT '',
    company     TEXT NOT NULL,
    mode        TEXT NOT NULL DEFAULT '',
    roster      TEXT NOT NULL DEFAULT '',
    roster_hash TEXT NOT NULL DEFAULT '',
    plan        TEXT NOT NULL, -- the plan as JSON
    outcome     TEXT NOT NULL, -- 'applied' or 'rolled back'
    applied     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_company_idx ON runs (company, id);

CREATE TABLE run_changes (
    run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL, -- index into the plan's changes
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    action  TEXT NOT NULL,
    fields  TEXT NOT NULL DEFAULT '[]', -- JSON list of {field, before, after}
    outcome TEXT NOT NULL, -- 'applied', 'rolled back', 'failed', 'skipped'
    error   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, seq)
);
