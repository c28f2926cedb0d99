-- 005_deprovisioned_at: the day a user was deprovisioned (YYYY-MM-DD),
-- NULL while active. A deprovisioned user's extension is held from it for
-- --extension-hold-days, and `pbxsync erase` removes a user only once it is
-- older than the retention period. Users deprovisioned before this
-- migration get the day it ran: their hold and retention start now, never
-- earlier than a release before it would have let them (it held extensions
-- forever and erased nobody). (PostgreSQL's is its migration 006.)
ALTER TABLE users ADD COLUMN deprovisioned_at TEXT;
UPDATE users SET deprovisioned_at = date('now') WHERE status = 'deprovisioned';
