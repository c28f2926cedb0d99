-- 007_site_e911: a site's default E911 address, as the ID of one of the
-- company's E911 locations ('' = none), set by a sites file (pbxsync apply
-- --kind sites). (PostgreSQL's is its migration 008.)
ALTER TABLE sites ADD COLUMN e911_location TEXT NOT NULL DEFAULT '';
