-- 003_generation: what an unchanged re-sync needs to know without reading
-- the roster again (importer's fast path).

-- The company's generation: every write pbxsync makes to the company's live
-- state (each apply batch, a seed, the bulk load of pbxsync gen) raises it
-- by one in the same transaction. Writes made to the database by other
-- tools do not raise it. Existing companies start at 1; 0 is "not known".
ALTER TABLE companies ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
UPDATE companies SET generation = 1;

-- The hash of everything besides the roster and the live state that shapes
-- a plan (mapping profile, --set defaults, read and plan options, company,
-- pbxsync build); '' for runs recorded before this migration.
ALTER TABLE runs ADD COLUMN options_hash TEXT NOT NULL DEFAULT '';
-- The company's generation when the run ended, while it still held the
-- company, when nothing but the run itself wrote to the company between
-- the plan's reading of the live state and the run's end; NULL otherwise.
ALTER TABLE runs ADD COLUMN generation_after INTEGER;
CREATE INDEX runs_unchanged_idx ON runs (company, roster_hash, generation_after) WHERE outcome = 'applied';
