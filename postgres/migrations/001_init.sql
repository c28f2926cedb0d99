-- 001_init: the live state of the PBX and the audit log of runs (PostgreSQL).
-- "" stands for "none" in text columns, except where a foreign key or a
-- uniqueness rule needs NULL (noted per column). Constraint names are the
-- ones the store turns into domain errors: keep them when changing a rule.

CREATE TABLE companies (
    id   text PRIMARY KEY,
    name text NOT NULL DEFAULT '',
    plan text NOT NULL DEFAULT '',
    sms  boolean NOT NULL DEFAULT false
);

CREATE TABLE sites (
    company       text NOT NULL REFERENCES companies (id),
    code          text NOT NULL,
    name          text NOT NULL DEFAULT '',
    region        text NOT NULL DEFAULT '',
    ext_len       integer NOT NULL DEFAULT 0,
    own_dial_plan boolean NOT NULL DEFAULT false,
    reserved      text NOT NULL DEFAULT '', -- "9000-9999,911"
    PRIMARY KEY (company, code)
);

CREATE TABLE device_models (
    name      text PRIMARY KEY,
    vendor    text NOT NULL DEFAULT '',
    kind      text NOT NULL DEFAULT '',
    ports     integer NOT NULL DEFAULT 1 CHECK (ports >= 0),
    max_lines integer NOT NULL DEFAULT 1 CHECK (max_lines >= 0),
    ouis      text NOT NULL DEFAULT '' -- "0004f2,805ec0"
);

CREATE TABLE users (
    user_id       text PRIMARY KEY, -- canonical login in e-mail form
    company       text NOT NULL,
    site          text NOT NULL DEFAULT '',
    first_name    text NOT NULL DEFAULT '',
    last_name     text NOT NULL DEFAULT '',
    email         text,             -- NULL = none
    extension     text,             -- NULL = none
    ext_scope     text NOT NULL DEFAULT '', -- site code when the site has its own dial plan, else ''
    station_type  text NOT NULL DEFAULT '',
    voice_enabled boolean NOT NULL DEFAULT false,
    caller_id     text NOT NULL DEFAULT '',
    status        text NOT NULL DEFAULT 'active',
    external_id   text NOT NULL DEFAULT '',
    version       bigint NOT NULL DEFAULT 1,
    CONSTRAINT users_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT users_extension_key UNIQUE (company, ext_scope, extension),
    CONSTRAINT users_status_check CHECK (status IN ('active', 'deprovisioned'))
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_company_idx ON users (company);

CREATE TABLE e911_locations (
    company text NOT NULL,
    id      text NOT NULL, -- pbx.LocationID of the address
    street  text NOT NULL DEFAULT '',
    city    text NOT NULL DEFAULT '',
    region  text NOT NULL DEFAULT '',
    postal  text NOT NULL DEFAULT '',
    country text NOT NULL DEFAULT '',
    version bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (company, id),
    CONSTRAINT e911_locations_company_fkey FOREIGN KEY (company) REFERENCES companies (id)
);

CREATE TABLE hunt_groups (
    company   text NOT NULL REFERENCES companies (id),
    id        text NOT NULL,
    name      text NOT NULL DEFAULT '',
    extension text NOT NULL DEFAULT '',
    PRIMARY KEY (company, id)
);

CREATE TABLE auto_attendants (
    company   text NOT NULL REFERENCES companies (id),
    id        text NOT NULL,
    name      text NOT NULL DEFAULT '',
    extension text NOT NULL DEFAULT '',
    PRIMARY KEY (company, id)
);

-- numbers are the company's inventory: only Seed inserts them, Apply only updates.
CREATE TABLE numbers (
    e164            text PRIMARY KEY,
    company         text NOT NULL,
    site            text NOT NULL DEFAULT '',
    label           text NOT NULL DEFAULT '',
    target_kind     text NOT NULL DEFAULT '', -- '', 'user', 'huntgroup', 'autoattendant'
    target_user     text,                     -- NULL unless target_kind = 'user'
    target_hunt     text,                     -- NULL unless target_kind = 'huntgroup'
    target_aa       text,                     -- NULL unless target_kind = 'autoattendant'
    routing         text NOT NULL DEFAULT '',
    saved_routing   text NOT NULL DEFAULT '',
    holiday_routing text NOT NULL DEFAULT '',
    sms             boolean NOT NULL DEFAULT false,
    location        text,                     -- NULL = none
    version         bigint NOT NULL DEFAULT 1,
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
    number  text NOT NULL,
    user_id text NOT NULL,
    role    text NOT NULL,
    PRIMARY KEY (number, user_id),
    CONSTRAINT number_members_role_check CHECK (role IN ('assigned', 'outbound-only')),
    CONSTRAINT number_members_number_fkey FOREIGN KEY (number) REFERENCES numbers (e164),
    CONSTRAINT number_members_user_fkey FOREIGN KEY (user_id) REFERENCES users (user_id)
);
CREATE INDEX number_members_user_idx ON number_members (user_id);

CREATE TABLE devices (
    mac     text PRIMARY KEY, -- 12 lower-case hex digits
    company text NOT NULL,
    model   text NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    CONSTRAINT devices_company_fkey FOREIGN KEY (company) REFERENCES companies (id),
    CONSTRAINT devices_model_fkey FOREIGN KEY (model) REFERENCES device_models (name)
);
CREATE INDEX devices_company_idx ON devices (company);
CREATE INDEX devices_model_idx ON devices (model);

CREATE TABLE device_lines (
    mac     text NOT NULL,
    port    integer NOT NULL,
    user_id text, -- NULL = none
    number  text, -- NULL = none
    lines   integer NOT NULL DEFAULT 1,
    version bigint NOT NULL DEFAULT 1,
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
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    who         text NOT NULL DEFAULT '',
    company     text NOT NULL,
    mode        text NOT NULL DEFAULT '',
    roster      text NOT NULL DEFAULT '',
    roster_hash text NOT NULL DEFAULT '',
    plan        jsonb NOT NULL,
    outcome     text NOT NULL, -- 'applied' or 'rolled back'
    applied     integer NOT NULL DEFAULT 0,
    failed      integer NOT NULL DEFAULT 0
);
CREATE INDEX runs_company_idx ON runs (company, id);

CREATE TABLE run_changes (
    run_id  bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    seq     integer NOT NULL, -- index into the plan's changes
    kind    text NOT NULL,
    key     text NOT NULL,
    action  text NOT NULL,
    fields  jsonb NOT NULL DEFAULT '[]', -- list of {field, before, after}
    outcome text NOT NULL, -- 'applied', 'rolled back', 'failed', 'skipped'
    error   text NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, seq)
);
