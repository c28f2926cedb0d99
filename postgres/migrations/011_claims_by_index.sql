-- 011_claims_by_index: on a PostgreSQL that is not distributed, the rule
-- that a login, an e-mail, an E.164 number or a MAC is held by one company
-- is kept by a unique index on the object's own table instead of by a claim
-- table written beside it (009): the same rule, a third fewer rows and index
-- entries written by an onboarding (BENCHMARKS.md "Claims as unique
-- indexes"). Each index keeps the claim's name, so a broken rule reads the
-- same on both layouts. The claims become views of the objects, so every
-- "held by another company" look-up reads them as before.
--
-- On Citus the claims stay tables, sharded by the value they keep unique
-- (a unique index there covers one shard): a schema distributed already is
-- left as it is, and `pbxsync init --distributed` turns the views of a
-- fresh one back into tables (postgres/distribute.go).
--
-- The e-mail is compared in lower case by ASCII letters only (COLLATE "C":
-- whatever the database's locale), as the embedded store and the Go side
-- (sqlstore.Email) fold it.
DO $$
BEGIN
    IF to_regclass('pg_dist_partition') IS NOT NULL THEN
        IF EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'login_claims'::regclass) THEN
            RETURN;
        END IF;
    END IF;
    DROP TABLE login_claims, email_claims, number_claims, device_claims;
    CREATE UNIQUE INDEX login_claims_pkey ON users (user_id);
    CREATE UNIQUE INDEX email_claims_pkey ON users (lower(email COLLATE "C")) WHERE email IS NOT NULL;
    CREATE UNIQUE INDEX number_claims_pkey ON numbers (e164);
    CREATE UNIQUE INDEX device_claims_pkey ON devices (mac);
    CREATE VIEW login_claims AS SELECT user_id, company FROM users;
    CREATE VIEW email_claims AS SELECT lower(email COLLATE "C") AS email, company, user_id FROM users WHERE email IS NOT NULL;
    CREATE VIEW number_claims AS SELECT e164, company FROM numbers;
    CREATE VIEW device_claims AS SELECT mac, company FROM devices;
END
$$;
