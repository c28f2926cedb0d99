-- A PostgreSQL database of schema version 5 (migrations 001-005) written by the pbxsync
-- of commit eb27c0b (before package sqlstore): init --seed samples/demo/company.json, apply
-- --yes samples/demo/onboarding.xlsx, revert 1 --yes, and the apply again; dumped by
-- pg_dump --no-owner --no-privileges --inserts --schema=public, psql commands and the
-- schema public itself left out. TestReleaseDatabase loads it into a schema of its own.
SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE public.auto_attendants (
    company text NOT NULL,
    id text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    extension text DEFAULT ''::text NOT NULL
);
CREATE TABLE public.companies (
    id text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    plan text DEFAULT ''::text NOT NULL,
    sms boolean DEFAULT false NOT NULL,
    generation bigint DEFAULT 0 NOT NULL
);
CREATE TABLE public.company_locks (
    company text NOT NULL
);
CREATE TABLE public.device_lines (
    mac text NOT NULL,
    port integer NOT NULL,
    user_id text,
    number text,
    lines integer DEFAULT 1 NOT NULL,
    version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT device_lines_lines_check CHECK ((lines >= 0)),
    CONSTRAINT device_lines_port_check CHECK ((port >= 1))
);
CREATE TABLE public.device_models (
    name text NOT NULL,
    vendor text DEFAULT ''::text NOT NULL,
    kind text DEFAULT ''::text NOT NULL,
    ports integer DEFAULT 1 NOT NULL,
    max_lines integer DEFAULT 1 NOT NULL,
    ouis text DEFAULT ''::text NOT NULL,
    CONSTRAINT device_models_max_lines_check CHECK ((max_lines >= 0)),
    CONSTRAINT device_models_ports_check CHECK ((ports >= 0))
);
CREATE TABLE public.devices (
    mac text NOT NULL,
    company text NOT NULL,
    model text NOT NULL,
    version bigint DEFAULT 1 NOT NULL
);
CREATE TABLE public.e911_locations (
    company text NOT NULL,
    id text NOT NULL,
    street text DEFAULT ''::text NOT NULL,
    city text DEFAULT ''::text NOT NULL,
    region text DEFAULT ''::text NOT NULL,
    postal text DEFAULT ''::text NOT NULL,
    country text DEFAULT ''::text NOT NULL,
    version bigint DEFAULT 1 NOT NULL
);
CREATE TABLE public.hunt_groups (
    company text NOT NULL,
    id text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    extension text DEFAULT ''::text NOT NULL
);
CREATE TABLE public.number_members (
    number text NOT NULL,
    user_id text NOT NULL,
    role text NOT NULL,
    CONSTRAINT number_members_role_check CHECK ((role = ANY (ARRAY['assigned'::text, 'outbound-only'::text])))
);
CREATE TABLE public.numbers (
    e164 text NOT NULL,
    company text NOT NULL,
    site text DEFAULT ''::text NOT NULL,
    label text DEFAULT ''::text NOT NULL,
    target_kind text DEFAULT ''::text NOT NULL,
    target_user text,
    target_hunt text,
    target_aa text,
    routing text DEFAULT ''::text NOT NULL,
    saved_routing text DEFAULT ''::text NOT NULL,
    holiday_routing text DEFAULT ''::text NOT NULL,
    sms boolean DEFAULT false NOT NULL,
    location text,
    version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT numbers_target_check CHECK ((((target_kind = ''::text) AND (target_user IS NULL) AND (target_hunt IS NULL) AND (target_aa IS NULL)) OR ((target_kind = 'user'::text) AND (target_user IS NOT NULL) AND (target_hunt IS NULL) AND (target_aa IS NULL)) OR ((target_kind = 'huntgroup'::text) AND (target_user IS NULL) AND (target_hunt IS NOT NULL) AND (target_aa IS NULL)) OR ((target_kind = 'autoattendant'::text) AND (target_user IS NULL) AND (target_hunt IS NULL) AND (target_aa IS NOT NULL))))
);
CREATE TABLE public.run_batches (
    run_id bigint NOT NULL,
    batch integer NOT NULL,
    changes text NOT NULL
);
ALTER TABLE ONLY public.run_batches ALTER COLUMN changes SET COMPRESSION lz4;
CREATE TABLE public.run_changes (
    run_id bigint NOT NULL,
    seq integer NOT NULL,
    kind text NOT NULL,
    key text NOT NULL,
    action text NOT NULL,
    fields jsonb DEFAULT '[]'::jsonb NOT NULL,
    outcome text NOT NULL,
    error text DEFAULT ''::text NOT NULL
);
CREATE TABLE public.runs (
    id bigint NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    who text DEFAULT ''::text NOT NULL,
    company text NOT NULL,
    mode text DEFAULT ''::text NOT NULL,
    roster text DEFAULT ''::text NOT NULL,
    roster_hash text DEFAULT ''::text NOT NULL,
    plan text NOT NULL,
    outcome text NOT NULL,
    applied integer DEFAULT 0 NOT NULL,
    failed integer DEFAULT 0 NOT NULL,
    changes integer DEFAULT 0 NOT NULL,
    host text DEFAULT ''::text NOT NULL,
    pid integer DEFAULT 0 NOT NULL,
    atomic boolean DEFAULT false NOT NULL,
    batches integer DEFAULT 0 NOT NULL,
    skipped integer DEFAULT 0 NOT NULL,
    options_hash text DEFAULT ''::text NOT NULL,
    generation_after bigint
);
ALTER TABLE ONLY public.runs ALTER COLUMN plan SET COMPRESSION lz4;
ALTER TABLE public.runs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);
CREATE TABLE public.sites (
    company text NOT NULL,
    code text NOT NULL,
    name text DEFAULT ''::text NOT NULL,
    region text DEFAULT ''::text NOT NULL,
    ext_len integer DEFAULT 0 NOT NULL,
    own_dial_plan boolean DEFAULT false NOT NULL,
    reserved text DEFAULT ''::text NOT NULL
);
CREATE TABLE public.users (
    user_id text NOT NULL,
    company text NOT NULL,
    site text DEFAULT ''::text NOT NULL,
    first_name text DEFAULT ''::text NOT NULL,
    last_name text DEFAULT ''::text NOT NULL,
    email text,
    extension text,
    ext_scope text DEFAULT ''::text NOT NULL,
    station_type text DEFAULT ''::text NOT NULL,
    voice_enabled boolean DEFAULT false NOT NULL,
    caller_id text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    external_id text DEFAULT ''::text NOT NULL,
    version bigint DEFAULT 1 NOT NULL,
    CONSTRAINT users_status_check CHECK ((status = ANY (ARRAY['active'::text, 'deprovisioned'::text])))
);
INSERT INTO public.auto_attendants VALUES ('acme', 'main', 'Main menu', '6100');
INSERT INTO public.companies VALUES ('acme', 'Acme Corp', 'C2', true, 4);
INSERT INTO public.company_locks VALUES ('acme');
INSERT INTO public.device_lines VALUES ('0004f2112203', 1, 'cdiaz@acme.example', '+14155550103', 1, 1);
INSERT INTO public.device_lines VALUES ('000b82112204', 1, 'dwu@acme.example', '+14155550104', 1, 1);
INSERT INTO public.device_lines VALUES ('000b82112204', 2, 'lobbyfax@acme.example', '+14155550105', 1, 1);
INSERT INTO public.device_lines VALUES ('805ec0112201', 1, 'alee@acme.example', '+14155550101', 1, 1);
INSERT INTO public.device_lines VALUES ('805ec0112202', 1, 'bmartin@acme.example', '+14155550102', 1, 1);
INSERT INTO public.device_models VALUES ('yealink-t42g', 'Yealink', 'deskphone', 1, 3, '805ec0,001565');
INSERT INTO public.device_models VALUES ('yealink-t54w', 'Yealink', 'deskphone', 1, 16, '805ec0,001565');
INSERT INTO public.device_models VALUES ('polycom-vvx450', 'Polycom', 'deskphone', 1, 12, '0004f2,64167f');
INSERT INTO public.device_models VALUES ('cisco-8841', 'Cisco', 'deskphone', 1, 5, '001b54,00eebd');
INSERT INTO public.device_models VALUES ('grandstream-ht802', 'Grandstream', 'ata', 2, 1, '000b82,c074ad');
INSERT INTO public.devices VALUES ('0004f2112203', 'acme', 'polycom-vvx450', 1);
INSERT INTO public.devices VALUES ('000b82112204', 'acme', 'grandstream-ht802', 1);
INSERT INTO public.devices VALUES ('805ec0112201', 'acme', 'yealink-t42g', 1);
INSERT INTO public.devices VALUES ('805ec0112202', 'acme', 'yealink-t54w', 1);
INSERT INTO public.e911_locations VALUES ('acme', 'us|94105|100 market st', '100 Market St', 'San Francisco', 'CA', '94105', 'US', 1);
INSERT INTO public.hunt_groups VALUES ('acme', 'sales', 'Sales', '6000');
INSERT INTO public.numbers VALUES ('+14155550100', 'acme', 'hq', 'Main line', 'autoattendant', NULL, NULL, 'main', 'aa:main', '', 'vm:6100', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550190', 'acme', 'hq', 'Sales', 'huntgroup', NULL, 'sales', NULL, 'hg:sales', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550106', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550107', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550108', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550109', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550110', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550111', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550113', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550114', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550115', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550116', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550117', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550118', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550119', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550120', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550121', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550122', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550123', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550124', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550125', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550126', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550127', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550128', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550129', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550130', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550131', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550132', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550133', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550134', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550135', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550136', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550137', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550138', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550139', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550140', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550141', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550142', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550143', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550144', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550145', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550146', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550147', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550148', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550149', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550150', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550151', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550152', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550153', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550154', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550155', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550156', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550157', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550158', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550159', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550160', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550161', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550162', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550163', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550164', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550165', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550166', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550167', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550168', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550169', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550170', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550171', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550172', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550173', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550174', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550175', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550176', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550177', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550178', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550179', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550180', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550181', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550182', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550183', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550184', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550185', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550186', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550187', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550188', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550189', 'acme', 'hq', '', '', NULL, NULL, NULL, 'aa:main', '', '', false, NULL, 1);
INSERT INTO public.numbers VALUES ('+14155550101', 'acme', 'hq', '', 'user', 'alee@acme.example', NULL, NULL, 'ext:0101', 'aa:main', '', false, 'us|94105|100 market st', 4);
INSERT INTO public.numbers VALUES ('+14155550102', 'acme', 'hq', '', 'user', 'bmartin@acme.example', NULL, NULL, 'ext:2102', 'aa:main', '', false, 'us|94105|100 market st', 4);
INSERT INTO public.numbers VALUES ('+14155550103', 'acme', 'hq', '', 'user', 'cdiaz@acme.example', NULL, NULL, 'ext:2103', 'aa:main', '', false, 'us|94105|100 market st', 4);
INSERT INTO public.numbers VALUES ('+14155550104', 'acme', 'hq', '', 'user', 'dwu@acme.example', NULL, NULL, 'ext:2104', 'aa:main', '', false, 'us|94105|100 market st', 4);
INSERT INTO public.numbers VALUES ('+14155550105', 'acme', 'hq', '', 'user', 'lobbyfax@acme.example', NULL, NULL, 'ext:2105', 'aa:main', '', false, 'us|94105|100 market st', 4);
INSERT INTO public.numbers VALUES ('+14155550112', 'acme', 'hq', '', 'user', 'kng@acme.example', NULL, NULL, 'ext:2112', 'aa:main', '', false, 'us|94105|100 market st', 4);
INSERT INTO public.run_batches VALUES (1, 1, '[{"seq":0,"kind":"location","key":"us|94105|100 market st","action":"create","fields":[{"field":"company","after":"acme"},{"field":"street","after":"100 Market St"},{"field":"city","after":"San Francisco"},{"field":"region","after":"CA"},{"field":"postal","after":"94105"},{"field":"country","after":"US"}],"reason":"new E911 address","rows":[4,5,6,7,8,15],"outcome":"applied","after_version":1},{"seq":1,"kind":"user","key":"alee@acme.example","action":"create","fields":[{"field":"company","after":"acme"},{"field":"first_name","after":"Ann"},{"field":"last_name","after":"Lee"},{"field":"email","after":"ann.lee@acme.example"},{"field":"extension","after":"0101"},{"field":"station_type","after":"premium"},{"field":"voice_enabled","after":"true"},{"field":"status","after":"active"}],"reason":"new user on the roster","rows":[4],"outcome":"applied","after_version":1},{"seq":2,"kind":"user","key":"bmartin@acme.example","action":"create","fields":[{"field":"company","after":"acme"},{"field":"first_name","after":"Bob"},{"field":"last_name","after":"Martin"},{"field":"email","after":"bob.martin@acme.example"},{"field":"extension","after":"2102"},{"field":"station_type","after":"standard"},{"field":"voice_enabled","after":"true"},{"field":"status","after":"active"}],"reason":"new user on the roster","rows":[5],"outcome":"applied","after_version":1},{"seq":3,"kind":"user","key":"cdiaz@acme.example","action":"create","fields":[{"field":"company","after":"acme"},{"field":"first_name","after":"Carol"},{"field":"last_name","after":"Diaz"},{"field":"email","after":"carol.diaz@acme.example"},{"field":"extension","after":"2103"},{"field":"station_type","after":"premium"},{"field":"voice_enabled","after":"true"},{"field":"status","after":"active"}],"reason":"new user on the roster","rows":[6],"outcome":"applied","after_version":1},{"seq":4,"kind":"user","key":"dwu@acme.example","action":"create","fields":[{"field":"company","after":"acme"},{"field":"first_name","after":"Dan"},{"field":"last_name","after":"Wu"},{"field":"email","after":"dan.wu@acme.example"},{"field":"extension","after":"2104"},{"field":"station_type","after":"standard"},{"field":"voice_enabled","after":"true"},{"field":"status","after":"active"}],"reason":"new user on the roster","rows":[7],"outcome":"applied","after_version":1},{"seq":5,"kind":"user","key":"kng@acme.example","action":"create","fields":[{"field":"company","after":"acme"},{"field":"first_name","after":"Kim"},{"field":"last_name","after":"Ng"},{"field":"email","after":"kim.ng@acme.example"},{"field":"extension","after":"2112"},{"field":"station_type","after":"premium"},{"field":"voice_enabled","after":"true"},{"field":"status","after":"active"}],"reason":"new user on the roster","rows":[15],"outcome":"applied","after_version":1},{"seq":6,"kind":"user","key":"lobbyfax@acme.example","action":"create","fields":[{"field":"company","after":"acme"},{"field":"first_name","after":"Lobby"},{"field":"last_name","after":"Fax"},{"field":"email","after":"lobby.fax@acme.example"},{"field":"extension","after":"2105"},{"field":"station_type","after":"common-area"},{"field":"voice_enabled","after":"true"},{"field":"status","after":"active"}],"reason":"new user on the roster","rows":[8],"outcome":"applied","after_version":1},{"seq":7,"kind":"number","key":"+14155550101","action":"assign","version":1,"fields":[{"field":"target","after":"user:alee@acme.example"},{"field":"routing","before":"aa:main","after":"ext:0101"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to alee@acme.example","rows":[4],"outcome":"applied","after_version":2},{"seq":8,"kind":"number","key":"+14155550102","action":"assign","version":1,"fields":[{"field":"target","after":"user:bmartin@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2102"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to bmartin@acme.example","rows":[5],"outcome":"applied","after_version":2},{"seq":9,"kind":"number","key":"+14155550103","action":"assign","version":1,"fields":[{"field":"target","after":"user:cdiaz@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2103"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to cdiaz@acme.example","rows":[6],"outcome":"applied","after_version":2},{"seq":10,"kind":"number","key":"+14155550104","action":"assign","version":1,"fields":[{"field":"target","after":"user:dwu@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2104"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to dwu@acme.example","rows":[7],"outcome":"applied","after_version":2},{"seq":11,"kind":"number","key":"+14155550105","action":"assign","version":1,"fields":[{"field":"target","after":"user:lobbyfax@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2105"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to lobbyfax@acme.example","rows":[8],"outcome":"applied","after_version":2},{"seq":12,"kind":"number","key":"+14155550112","action":"assign","version":1,"fields":[{"field":"target","after":"user:kng@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2112"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to kng@acme.example","rows":[15],"outcome":"applied","after_version":2},{"seq":13,"kind":"device","key":"0004f2112203","action":"create","fields":[{"field":"company","after":"acme"},{"field":"model","after":"polycom-vvx450"}],"reason":"new device for cdiaz@acme.example","rows":[6],"outcome":"applied","after_version":1},{"seq":14,"kind":"device","key":"000b82112204","action":"create","fields":[{"field":"company","after":"acme"},{"field":"model","after":"grandstream-ht802"}],"reason":"new device for dwu@acme.example","rows":[7,8],"outcome":"applied","after_version":1},{"seq":15,"kind":"device","key":"805ec0112201","action":"create","fields":[{"field":"company","after":"acme"},{"field":"model","after":"yealink-t42g"}],"reason":"new device for alee@acme.example","rows":[4],"outcome":"applied","after_version":1},{"seq":16,"kind":"device","key":"805ec0112202","action":"create","fields":[{"field":"company","after":"acme"},{"field":"model","after":"yealink-t54w"}],"reason":"new device for bmartin@acme.example","rows":[5],"outcome":"applied","after_version":1},{"seq":17,"kind":"line","key":"0004f2112203/1","action":"create","fields":[{"field":"user","after":"cdiaz@acme.example"},{"field":"number","after":"+14155550103"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings cdiaz@acme.example","rows":[6],"outcome":"applied","after_version":1},{"seq":18,"kind":"line","key":"000b82112204/1","action":"create","fields":[{"field":"user","after":"dwu@acme.example"},{"field":"number","after":"+14155550104"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings dwu@acme.example","rows":[7],"outcome":"applied","after_version":1},{"seq":19,"kind":"line","key":"000b82112204/2","action":"create","fields":[{"field":"user","after":"lobbyfax@acme.example"},{"field":"number","after":"+14155550105"},{"field":"lines","after":"1"}],"reason":"port 2 of the device rings lobbyfax@acme.example","rows":[8],"outcome":"applied","after_version":1},{"seq":20,"kind":"line","key":"805ec0112201/1","action":"create","fields":[{"field":"user","after":"alee@acme.example"},{"field":"number","after":"+14155550101"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings alee@acme.example","rows":[4],"outcome":"applied","after_version":1},{"seq":21,"kind":"line","key":"805ec0112202/1","action":"create","fields":[{"field":"user","after":"bmartin@acme.example"},{"field":"number","after":"+14155550102"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings bmartin@acme.example","rows":[5],"outcome":"applied","after_version":1}]');
INSERT INTO public.run_batches VALUES (2, 1, '[{"seq":0,"kind":"user","key":"alee@acme.example","action":"deprovision","version":1,"fields":[{"field":"status","before":"active","after":"deprovisioned"}],"reason":"undo run 1: the run created this user: disabled (never deleted)","rows":[4],"outcome":"applied","after_version":2},{"seq":1,"kind":"user","key":"bmartin@acme.example","action":"deprovision","version":1,"fields":[{"field":"status","before":"active","after":"deprovisioned"}],"reason":"undo run 1: the run created this user: disabled (never deleted)","rows":[5],"outcome":"applied","after_version":2},{"seq":2,"kind":"user","key":"cdiaz@acme.example","action":"deprovision","version":1,"fields":[{"field":"status","before":"active","after":"deprovisioned"}],"reason":"undo run 1: the run created this user: disabled (never deleted)","rows":[6],"outcome":"applied","after_version":2},{"seq":3,"kind":"user","key":"dwu@acme.example","action":"deprovision","version":1,"fields":[{"field":"status","before":"active","after":"deprovisioned"}],"reason":"undo run 1: the run created this user: disabled (never deleted)","rows":[7],"outcome":"applied","after_version":2},{"seq":4,"kind":"user","key":"kng@acme.example","action":"deprovision","version":1,"fields":[{"field":"status","before":"active","after":"deprovisioned"}],"reason":"undo run 1: the run created this user: disabled (never deleted)","rows":[15],"outcome":"applied","after_version":2},{"seq":5,"kind":"user","key":"lobbyfax@acme.example","action":"deprovision","version":1,"fields":[{"field":"status","before":"active","after":"deprovisioned"}],"reason":"undo run 1: the run created this user: disabled (never deleted)","rows":[8],"outcome":"applied","after_version":2},{"seq":6,"kind":"number","key":"+14155550101","action":"unassign","version":2,"fields":[{"field":"target","before":"user:alee@acme.example"},{"field":"routing","before":"ext:0101","after":"aa:main"},{"field":"saved_routing","before":"aa:main"},{"field":"location","before":"us|94105|100 market st"}],"reason":"undo run 1: back to the pool, routing restored","rows":[4],"outcome":"applied","after_version":3},{"seq":7,"kind":"number","key":"+14155550102","action":"unassign","version":2,"fields":[{"field":"target","before":"user:bmartin@acme.example"},{"field":"routing","before":"ext:2102","after":"aa:main"},{"field":"saved_routing","before":"aa:main"},{"field":"location","before":"us|94105|100 market st"}],"reason":"undo run 1: back to the pool, routing restored","rows":[5],"outcome":"applied","after_version":3},{"seq":8,"kind":"number","key":"+14155550103","action":"unassign","version":2,"fields":[{"field":"target","before":"user:cdiaz@acme.example"},{"field":"routing","before":"ext:2103","after":"aa:main"},{"field":"saved_routing","before":"aa:main"},{"field":"location","before":"us|94105|100 market st"}],"reason":"undo run 1: back to the pool, routing restored","rows":[6],"outcome":"applied","after_version":3},{"seq":9,"kind":"number","key":"+14155550104","action":"unassign","version":2,"fields":[{"field":"target","before":"user:dwu@acme.example"},{"field":"routing","before":"ext:2104","after":"aa:main"},{"field":"saved_routing","before":"aa:main"},{"field":"location","before":"us|94105|100 market st"}],"reason":"undo run 1: back to the pool, routing restored","rows":[7],"outcome":"applied","after_version":3},{"seq":10,"kind":"number","key":"+14155550105","action":"unassign","version":2,"fields":[{"field":"target","before":"user:lobbyfax@acme.example"},{"field":"routing","before":"ext:2105","after":"aa:main"},{"field":"saved_routing","before":"aa:main"},{"field":"location","before":"us|94105|100 market st"}],"reason":"undo run 1: back to the pool, routing restored","rows":[8],"outcome":"applied","after_version":3},{"seq":11,"kind":"number","key":"+14155550112","action":"unassign","version":2,"fields":[{"field":"target","before":"user:kng@acme.example"},{"field":"routing","before":"ext:2112","after":"aa:main"},{"field":"saved_routing","before":"aa:main"},{"field":"location","before":"us|94105|100 market st"}],"reason":"undo run 1: back to the pool, routing restored","rows":[15],"outcome":"applied","after_version":3},{"seq":12,"kind":"line","key":"0004f2112203/1","action":"delete","version":1,"fields":[{"field":"user","before":"cdiaz@acme.example"},{"field":"number","before":"+14155550103"},{"field":"lines","before":"1"}],"reason":"undo run 1: the run gave this port: freed","rows":[6],"outcome":"applied"},{"seq":13,"kind":"line","key":"000b82112204/1","action":"delete","version":1,"fields":[{"field":"user","before":"dwu@acme.example"},{"field":"number","before":"+14155550104"},{"field":"lines","before":"1"}],"reason":"undo run 1: the run gave this port: freed","rows":[7],"outcome":"applied"},{"seq":14,"kind":"line","key":"000b82112204/2","action":"delete","version":1,"fields":[{"field":"user","before":"lobbyfax@acme.example"},{"field":"number","before":"+14155550105"},{"field":"lines","before":"1"}],"reason":"undo run 1: the run gave this port: freed","rows":[8],"outcome":"applied"},{"seq":15,"kind":"line","key":"805ec0112201/1","action":"delete","version":1,"fields":[{"field":"user","before":"alee@acme.example"},{"field":"number","before":"+14155550101"},{"field":"lines","before":"1"}],"reason":"undo run 1: the run gave this port: freed","rows":[4],"outcome":"applied"},{"seq":16,"kind":"line","key":"805ec0112202/1","action":"delete","version":1,"fields":[{"field":"user","before":"bmartin@acme.example"},{"field":"number","before":"+14155550102"},{"field":"lines","before":"1"}],"reason":"undo run 1: the run gave this port: freed","rows":[5],"outcome":"applied"}]');
INSERT INTO public.run_batches VALUES (3, 1, '[{"seq":0,"kind":"user","key":"alee@acme.example","action":"update","version":2,"fields":[{"field":"status","before":"deprovisioned","after":"active"}],"reason":"back on the roster: reactivated","rows":[4],"outcome":"applied","after_version":3},{"seq":1,"kind":"user","key":"bmartin@acme.example","action":"update","version":2,"fields":[{"field":"status","before":"deprovisioned","after":"active"}],"reason":"back on the roster: reactivated","rows":[5],"outcome":"applied","after_version":3},{"seq":2,"kind":"user","key":"cdiaz@acme.example","action":"update","version":2,"fields":[{"field":"status","before":"deprovisioned","after":"active"}],"reason":"back on the roster: reactivated","rows":[6],"outcome":"applied","after_version":3},{"seq":3,"kind":"user","key":"dwu@acme.example","action":"update","version":2,"fields":[{"field":"status","before":"deprovisioned","after":"active"}],"reason":"back on the roster: reactivated","rows":[7],"outcome":"applied","after_version":3},{"seq":4,"kind":"user","key":"kng@acme.example","action":"update","version":2,"fields":[{"field":"status","before":"deprovisioned","after":"active"}],"reason":"back on the roster: reactivated","rows":[15],"outcome":"applied","after_version":3},{"seq":5,"kind":"user","key":"lobbyfax@acme.example","action":"update","version":2,"fields":[{"field":"status","before":"deprovisioned","after":"active"}],"reason":"back on the roster: reactivated","rows":[8],"outcome":"applied","after_version":3},{"seq":6,"kind":"number","key":"+14155550101","action":"assign","version":3,"fields":[{"field":"target","after":"user:alee@acme.example"},{"field":"routing","before":"aa:main","after":"ext:0101"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to alee@acme.example","rows":[4],"outcome":"applied","after_version":4},{"seq":7,"kind":"number","key":"+14155550102","action":"assign","version":3,"fields":[{"field":"target","after":"user:bmartin@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2102"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to bmartin@acme.example","rows":[5],"outcome":"applied","after_version":4},{"seq":8,"kind":"number","key":"+14155550103","action":"assign","version":3,"fields":[{"field":"target","after":"user:cdiaz@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2103"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to cdiaz@acme.example","rows":[6],"outcome":"applied","after_version":4},{"seq":9,"kind":"number","key":"+14155550104","action":"assign","version":3,"fields":[{"field":"target","after":"user:dwu@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2104"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to dwu@acme.example","rows":[7],"outcome":"applied","after_version":4},{"seq":10,"kind":"number","key":"+14155550105","action":"assign","version":3,"fields":[{"field":"target","after":"user:lobbyfax@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2105"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to lobbyfax@acme.example","rows":[8],"outcome":"applied","after_version":4},{"seq":11,"kind":"number","key":"+14155550112","action":"assign","version":3,"fields":[{"field":"target","after":"user:kng@acme.example"},{"field":"routing","before":"aa:main","after":"ext:2112"},{"field":"saved_routing","after":"aa:main"},{"field":"location","after":"us|94105|100 market st"}],"reason":"assigned to kng@acme.example","rows":[15],"outcome":"applied","after_version":4},{"seq":12,"kind":"line","key":"0004f2112203/1","action":"create","fields":[{"field":"user","after":"cdiaz@acme.example"},{"field":"number","after":"+14155550103"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings cdiaz@acme.example","rows":[6],"outcome":"applied","after_version":1},{"seq":13,"kind":"line","key":"000b82112204/1","action":"create","fields":[{"field":"user","after":"dwu@acme.example"},{"field":"number","after":"+14155550104"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings dwu@acme.example","rows":[7],"outcome":"applied","after_version":1},{"seq":14,"kind":"line","key":"000b82112204/2","action":"create","fields":[{"field":"user","after":"lobbyfax@acme.example"},{"field":"number","after":"+14155550105"},{"field":"lines","after":"1"}],"reason":"port 2 of the device rings lobbyfax@acme.example","rows":[8],"outcome":"applied","after_version":1},{"seq":15,"kind":"line","key":"805ec0112201/1","action":"create","fields":[{"field":"user","after":"alee@acme.example"},{"field":"number","after":"+14155550101"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings alee@acme.example","rows":[4],"outcome":"applied","after_version":1},{"seq":16,"kind":"line","key":"805ec0112202/1","action":"create","fields":[{"field":"user","after":"bmartin@acme.example"},{"field":"number","after":"+14155550102"},{"field":"lines","after":"1"}],"reason":"port 1 of the device rings bmartin@acme.example","rows":[5],"outcome":"applied","after_version":1}]');
INSERT INTO public.runs OVERRIDING SYSTEM VALUE VALUES (1, '2026-12-07 08:08:06.755975+00', '2026-12-07 08:08:06.803037+00', 'root', 'acme', 'onboard', 'onboarding.xlsx', 'fe767dda509a8722f9a81a5b354461ab78cab67ea7417277b1a20e71a80564f3', '{"format_version":1,"company":"acme","mode":"onboard","roster":"onboarding.xlsx","roster_hash":"fe767dda509a8722f9a81a5b354461ab78cab67ea7417277b1a20e71a80564f3","created_at":"2026-12-07T08:08:06.721060822Z","changes":null,"rows":[{"row":4,"key":"alee@acme.example","status":"created","changes":[0,1,7,15,20]},{"row":5,"key":"bmartin@acme.example","status":"created","changes":[0,2,8,16,21]},{"row":6,"key":"cdiaz@acme.example","status":"created","changes":[0,3,9,13,17]},{"row":7,"key":"dwu@acme.example","status":"created","changes":[0,4,10,14,18]},{"row":8,"key":"lobbyfax@acme.example","status":"created","changes":[0,6,11,14,19]},{"row":9,"key":"ecole@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":9,"col":8,"header":"MAC Address","column":"I"},"severity":"error","code":"mac.multicast","value":"01:00:5E:11:22:06","message":"invalid MAC address: \"01:00:5E:11:22:06\" is a multicast address (first byte is odd)","hint":"a device''s MAC has an even first byte (01:00:5e:... is a multicast group): check the label for a typo"}]},{"row":10,"key":"fito@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":10,"col":4,"header":"Phone Number","column":"E"},"severity":"error","code":"number.invalid","value":"41555501","message":"invalid phone number: \"41555501\" is not a valid number in region US","hint":"write the number with its country code (+1 415 555 0100) or as dialled in region US"}]},{"row":11,"key":"gpark@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":11,"col":5,"header":"Extension","column":"F"},"severity":"error","code":"extension.reserved","value":"9001","message":"extension \"9001\" is reserved on site hq (911, 9000-9999)","hint":"choose an extension outside the reserved ranges"}]},{"row":12,"key":"bmartin@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":12,"col":3,"header":"User ID","column":"D"},"severity":"error","code":"duplicate.user_id","value":"bmartin@acme.example","message":"user ID bmartin@acme.example is also on row 5","hint":"each user appears once: merge the rows or remove one"}]},{"row":13,"key":"ichen@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":13,"col":4,"header":"Phone Number","column":"E"},"severity":"error","code":"number.unknown","value":"+14155550250","message":"number +14155550250 is not in company acme''s inventory","hint":"add it to the inventory or fix the number"}]},{"row":14,"key":"jruiz@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":14,"col":4,"header":"Phone Number","column":"E"},"severity":"error","code":"number.scientific","value":"4.15556E+09","message":"number \"4.15556E+09\" is in scientific notation","hint":"Excel showed this number in scientific notation and may have rounded it: format the column as Text and re-enter"}]},{"row":15,"key":"kng@acme.example","status":"created","changes":[0,5,12]}],"summary":{"create":22,"change":0,"move":0,"deprovision":0,"invalid_rows":6,"conflict_rows":0},"reads":[{"kind":"site","key":"","state":"region US, extensions of 4 digits, the company''s dial plan, 911,9000-9999 reserved","why":"the rows of site hq were checked against its region, extension length and reserved extensions"},{"kind":"extension","key":"","why":"the user is given an extension no hunt group or auto attendant had"}],"options_hash":"1cf391b2c2d8092e5c1d2fd41fdffd3c73e80d3f560b246f0dd58b02eebb1831","generation":1,"replayable":true}', 'applied', 22, 0, 22, 'vm', 11316, false, 1, 0, '1cf391b2c2d8092e5c1d2fd41fdffd3c73e80d3f560b246f0dd58b02eebb1831', 2);
INSERT INTO public.runs OVERRIDING SYSTEM VALUE VALUES (2, '2026-12-07 08:08:06.991892+00', '2026-12-07 08:08:07.04723+00', 'root', 'acme', 'onboard', 'onboarding.xlsx', 'fe767dda509a8722f9a81a5b354461ab78cab67ea7417277b1a20e71a80564f3', '{"format_version":1,"company":"acme","mode":"onboard","roster":"onboarding.xlsx","roster_hash":"fe767dda509a8722f9a81a5b354461ab78cab67ea7417277b1a20e71a80564f3","created_at":"2026-12-07T08:08:06.966028678Z","changes":null,"rows":[{"row":4,"key":"alee@acme.example","status":"deprovisioned","changes":[0,6,15]},{"row":5,"key":"bmartin@acme.example","status":"deprovisioned","changes":[1,7,16]},{"row":6,"key":"cdiaz@acme.example","status":"deprovisioned","changes":[2,8,12]},{"row":7,"key":"dwu@acme.example","status":"deprovisioned","changes":[3,9,13]},{"row":8,"key":"lobbyfax@acme.example","status":"deprovisioned","changes":[5,10,14]},{"row":15,"key":"kng@acme.example","status":"deprovisioned","changes":[4,11]}],"summary":{"create":0,"change":11,"move":0,"deprovision":6,"invalid_rows":0,"conflict_rows":0},"notes":["reverts run 1: onboarding.xlsx applied by root on vm at 2026-12-07T08:08:06Z","4 devices that run 1 registered stay in the company''s inventory, their ports freed","1 E911 locations that run 1 created stay; numbers placed there are set back"]}', 'applied', 17, 0, 17, 'vm', 11340, false, 1, 0, '', NULL);
INSERT INTO public.runs OVERRIDING SYSTEM VALUE VALUES (3, '2026-12-07 08:08:07.269743+00', '2026-12-07 08:08:07.322256+00', 'root', 'acme', 'onboard', 'onboarding.xlsx', 'fe767dda509a8722f9a81a5b354461ab78cab67ea7417277b1a20e71a80564f3', '{"format_version":1,"company":"acme","mode":"onboard","roster":"onboarding.xlsx","roster_hash":"fe767dda509a8722f9a81a5b354461ab78cab67ea7417277b1a20e71a80564f3","created_at":"2026-12-07T08:08:07.247205578Z","changes":null,"rows":[{"row":4,"key":"alee@acme.example","status":"updated","changes":[0,6,15]},{"row":5,"key":"bmartin@acme.example","status":"updated","changes":[1,7,16]},{"row":6,"key":"cdiaz@acme.example","status":"updated","changes":[2,8,12]},{"row":7,"key":"dwu@acme.example","status":"updated","changes":[3,9,13]},{"row":8,"key":"lobbyfax@acme.example","status":"updated","changes":[5,10,14]},{"row":9,"key":"ecole@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":9,"col":8,"header":"MAC Address","column":"I"},"severity":"error","code":"mac.multicast","value":"01:00:5E:11:22:06","message":"invalid MAC address: \"01:00:5E:11:22:06\" is a multicast address (first byte is odd)","hint":"a device''s MAC has an even first byte (01:00:5e:... is a multicast group): check the label for a typo"}]},{"row":10,"key":"fito@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":10,"col":4,"header":"Phone Number","column":"E"},"severity":"error","code":"number.invalid","value":"41555501","message":"invalid phone number: \"41555501\" is not a valid number in region US","hint":"write the number with its country code (+1 415 555 0100) or as dialled in region US"}]},{"row":11,"key":"gpark@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":11,"col":5,"header":"Extension","column":"F"},"severity":"error","code":"extension.reserved","value":"9001","message":"extension \"9001\" is reserved on site hq (911, 9000-9999)","hint":"choose an extension outside the reserved ranges"}]},{"row":12,"key":"bmartin@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":12,"col":3,"header":"User ID","column":"D"},"severity":"error","code":"duplicate.user_id","value":"bmartin@acme.example","message":"user ID bmartin@acme.example is also on row 5","hint":"each user appears once: merge the rows or remove one"}]},{"row":13,"key":"ichen@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":13,"col":4,"header":"Phone Number","column":"E"},"severity":"error","code":"number.unknown","value":"+14155550250","message":"number +14155550250 is not in company acme''s inventory","hint":"add it to the inventory or fix the number"}]},{"row":14,"key":"jruiz@acme.example","status":"invalid","problems":[{"cell":{"file":"onboarding.xlsx","sheet":"Site survey","row":14,"col":4,"header":"Phone Number","column":"E"},"severity":"error","code":"number.scientific","value":"4.15556E+09","message":"number \"4.15556E+09\" is in scientific notation","hint":"Excel showed this number in scientific notation and may have rounded it: format the column as Text and re-enter"}]},{"row":15,"key":"kng@acme.example","status":"updated","changes":[4,11]}],"summary":{"create":11,"change":6,"move":0,"deprovision":0,"invalid_rows":6,"conflict_rows":0},"reads":[{"kind":"site","key":"","state":"region US, extensions of 4 digits, the company''s dial plan, 911,9000-9999 reserved","why":"the rows of site hq were checked against its region, extension length and reserved extensions"}],"options_hash":"1cf391b2c2d8092e5c1d2fd41fdffd3c73e80d3f560b246f0dd58b02eebb1831","generation":3,"replayable":true}', 'applied', 17, 0, 17, 'vm', 11357, false, 1, 0, '1cf391b2c2d8092e5c1d2fd41fdffd3c73e80d3f560b246f0dd58b02eebb1831', 4);
INSERT INTO public.schema_migrations VALUES (1, '2026-12-07 08:08:06.270687+00');
INSERT INTO public.schema_migrations VALUES (2, '2026-12-07 08:08:06.423048+00');
INSERT INTO public.schema_migrations VALUES (3, '2026-12-07 08:08:06.481107+00');
INSERT INTO public.schema_migrations VALUES (4, '2026-12-07 08:08:06.488173+00');
INSERT INTO public.schema_migrations VALUES (5, '2026-12-07 08:08:06.493666+00');
INSERT INTO public.sites VALUES ('acme', 'hq', 'San Francisco HQ', 'US', 4, false, '911,9000-9999');
INSERT INTO public.users VALUES ('alee@acme.example', 'acme', '', 'Ann', 'Lee', 'ann.lee@acme.example', '0101', '', 'premium', true, '', 'active', '', 3);
INSERT INTO public.users VALUES ('bmartin@acme.example', 'acme', '', 'Bob', 'Martin', 'bob.martin@acme.example', '2102', '', 'standard', true, '', 'active', '', 3);
INSERT INTO public.users VALUES ('cdiaz@acme.example', 'acme', '', 'Carol', 'Diaz', 'carol.diaz@acme.example', '2103', '', 'premium', true, '', 'active', '', 3);
INSERT INTO public.users VALUES ('dwu@acme.example', 'acme', '', 'Dan', 'Wu', 'dan.wu@acme.example', '2104', '', 'standard', true, '', 'active', '', 3);
INSERT INTO public.users VALUES ('kng@acme.example', 'acme', '', 'Kim', 'Ng', 'kim.ng@acme.example', '2112', '', 'premium', true, '', 'active', '', 3);
INSERT INTO public.users VALUES ('lobbyfax@acme.example', 'acme', '', 'Lobby', 'Fax', 'lobby.fax@acme.example', '2105', '', 'common-area', true, '', 'active', '', 3);
SELECT pg_catalog.setval('public.runs_id_seq', 3, true);
ALTER TABLE ONLY public.auto_attendants
    ADD CONSTRAINT auto_attendants_pkey PRIMARY KEY (company, id);
ALTER TABLE ONLY public.companies
    ADD CONSTRAINT companies_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.company_locks
    ADD CONSTRAINT company_locks_pkey PRIMARY KEY (company);
ALTER TABLE ONLY public.device_lines
    ADD CONSTRAINT device_lines_pkey PRIMARY KEY (mac, port);
ALTER TABLE ONLY public.device_models
    ADD CONSTRAINT device_models_pkey PRIMARY KEY (name);
ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_pkey PRIMARY KEY (mac);
ALTER TABLE ONLY public.e911_locations
    ADD CONSTRAINT e911_locations_pkey PRIMARY KEY (company, id);
ALTER TABLE ONLY public.hunt_groups
    ADD CONSTRAINT hunt_groups_pkey PRIMARY KEY (company, id);
ALTER TABLE ONLY public.number_members
    ADD CONSTRAINT number_members_pkey PRIMARY KEY (number, user_id);
ALTER TABLE ONLY public.numbers
    ADD CONSTRAINT numbers_pkey PRIMARY KEY (e164);
ALTER TABLE ONLY public.run_batches
    ADD CONSTRAINT run_batches_pkey PRIMARY KEY (run_id, batch);
ALTER TABLE ONLY public.run_changes
    ADD CONSTRAINT run_changes_pkey PRIMARY KEY (run_id, seq);
ALTER TABLE ONLY public.runs
    ADD CONSTRAINT runs_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);
ALTER TABLE ONLY public.sites
    ADD CONSTRAINT sites_pkey PRIMARY KEY (company, code);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_extension_key UNIQUE (company, ext_scope, extension);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (user_id);
CREATE INDEX device_lines_number_idx ON public.device_lines USING btree (number);
CREATE INDEX device_lines_user_idx ON public.device_lines USING btree (user_id);
CREATE INDEX devices_company_idx ON public.devices USING btree (company);
CREATE INDEX devices_model_idx ON public.devices USING btree (model);
CREATE INDEX number_members_user_idx ON public.number_members USING btree (user_id);
CREATE INDEX numbers_location_idx ON public.numbers USING btree (company, location);
CREATE INDEX numbers_target_aa_idx ON public.numbers USING btree (company, target_aa);
CREATE INDEX numbers_target_hunt_idx ON public.numbers USING btree (company, target_hunt);
CREATE INDEX numbers_target_user_idx ON public.numbers USING btree (target_user);
CREATE INDEX runs_company_idx ON public.runs USING btree (company, id);
CREATE INDEX runs_running_idx ON public.runs USING btree (company) WHERE (outcome = 'running'::text);
CREATE INDEX runs_unchanged_idx ON public.runs USING btree (company, roster_hash, generation_after) WHERE (outcome = 'applied'::text);
CREATE UNIQUE INDEX users_email_key ON public.users USING btree (lower(email));
ALTER TABLE ONLY public.auto_attendants
    ADD CONSTRAINT auto_attendants_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
ALTER TABLE ONLY public.device_lines
    ADD CONSTRAINT device_lines_mac_fkey FOREIGN KEY (mac) REFERENCES public.devices(mac);
ALTER TABLE ONLY public.device_lines
    ADD CONSTRAINT device_lines_number_fkey FOREIGN KEY (number) REFERENCES public.numbers(e164);
ALTER TABLE ONLY public.device_lines
    ADD CONSTRAINT device_lines_user_fkey FOREIGN KEY (user_id) REFERENCES public.users(user_id);
ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
ALTER TABLE ONLY public.devices
    ADD CONSTRAINT devices_model_fkey FOREIGN KEY (model) REFERENCES public.device_models(name);
ALTER TABLE ONLY public.e911_locations
    ADD CONSTRAINT e911_locations_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
ALTER TABLE ONLY public.hunt_groups
    ADD CONSTRAINT hunt_groups_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
ALTER TABLE ONLY public.number_members
    ADD CONSTRAINT number_members_number_fkey FOREIGN KEY (number) REFERENCES public.numbers(e164);
ALTER TABLE ONLY public.number_members
    ADD CONSTRAINT number_members_user_fkey FOREIGN KEY (user_id) REFERENCES public.users(user_id);
ALTER TABLE ONLY public.numbers
    ADD CONSTRAINT numbers_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
ALTER TABLE ONLY public.numbers
    ADD CONSTRAINT numbers_location_fkey FOREIGN KEY (company, location) REFERENCES public.e911_locations(company, id);
ALTER TABLE ONLY public.numbers
    ADD CONSTRAINT numbers_target_aa_fkey FOREIGN KEY (company, target_aa) REFERENCES public.auto_attendants(company, id);
ALTER TABLE ONLY public.numbers
    ADD CONSTRAINT numbers_target_hunt_fkey FOREIGN KEY (company, target_hunt) REFERENCES public.hunt_groups(company, id);
ALTER TABLE ONLY public.numbers
    ADD CONSTRAINT numbers_target_user_fkey FOREIGN KEY (target_user) REFERENCES public.users(user_id);
ALTER TABLE ONLY public.run_batches
    ADD CONSTRAINT run_batches_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.run_changes
    ADD CONSTRAINT run_changes_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.runs(id) ON DELETE CASCADE;
ALTER TABLE ONLY public.sites
    ADD CONSTRAINT sites_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_company_fkey FOREIGN KEY (company) REFERENCES public.companies(id);
