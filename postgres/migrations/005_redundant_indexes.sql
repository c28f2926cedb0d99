-- 005_redundant_indexes: drop the indexes that another index already
-- covers. An index on (company) alone serves nothing that an index whose
-- first column is company does not, and every row written pays for it: a
-- user created is one more b-tree insert, and so is a number assigned (its
-- target_user is indexed, so the update is never HOT and every index of the
-- table takes the new row version).
--   users_company_idx (company): users_extension_key is UNIQUE
--     (company, ext_scope, extension).
--   numbers_company_idx (company): numbers_target_hunt_idx,
--     numbers_target_aa_idx and numbers_location_idx all begin with company.
DROP INDEX IF EXISTS users_company_idx;
DROP INDEX IF EXISTS numbers_company_idx;
