-- 004_redundant_indexes: drop the indexes that another index already
-- covers. An index on (company) alone serves nothing that an index whose
-- first column is company does not, and every new row pays for it: each
-- user created is one more b-tree insert, and an apply of 100,000 users
-- dirties (and writes to the WAL, and checkpoints) a page of it for nearly
-- every few users.
--   users_company_idx (company): users_extension_key is UNIQUE
--     (company, ext_scope, extension).
--   numbers_company_idx (company): numbers_target_hunt_idx,
--     numbers_target_aa_idx and numbers_location_idx all begin with company.
DROP INDEX IF EXISTS users_company_idx;
DROP INDEX IF EXISTS numbers_company_idx;
