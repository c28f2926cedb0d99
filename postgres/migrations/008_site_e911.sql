-- 008_site_e911: a site's default E911 address, as the ID of one of the
-- company's E911 locations ('' = none), set by a sites file (pbxsync apply
-- --kind sites). (SQLite's is its migration 007.)
ALTER TABLE sites ADD COLUMN e911_location text NOT NULL DEFAULT '';
