-- 010_claims_by_index: the rule that a login, an e-mail, an E.164 number or
-- a MAC is held by one company is kept by a unique index on the object's own
-- table instead of by a claim table written beside it (008), as on a
-- PostgreSQL that is not distributed (postgres 011): the same rule, a third
-- fewer rows written. Each index keeps the claim's name; the claims become
-- views of the objects, which the "held by another company" look-ups read.
-- lower() folds ASCII letters only, as sqlstore.Email does.
DROP TABLE login_claims;
DROP TABLE email_claims;
DROP TABLE number_claims;
DROP TABLE device_claims;
CREATE UNIQUE INDEX login_claims_pkey ON users (user_id);
CREATE UNIQUE INDEX email_claims_pkey ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX number_claims_pkey ON numbers (e164);
CREATE UNIQUE INDEX device_claims_pkey ON devices (mac);
CREATE VIEW login_claims AS SELECT user_id, company FROM users;
CREATE VIEW email_claims AS SELECT lower(email) AS email, company, user_id FROM users WHERE email IS NOT NULL;
CREATE VIEW number_claims AS SELECT e164, company FROM numbers;
CREATE VIEW device_claims AS SELECT mac, company FROM devices;
