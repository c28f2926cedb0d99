-- 006_hunt_group_members: the users a hunt group rings, in order of
-- position (1 first; unique in the group, gaps allowed where a member left).
-- A roster's hunt-group column adds and removes them; a leaver loses them.
-- The company is part of the key, and every reference is within it.
-- (PostgreSQL's is its migration 007.)
CREATE TABLE hunt_group_members (
    company  TEXT NOT NULL,
    group_id TEXT NOT NULL,
    user_id  TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (company, group_id, user_id),
    CONSTRAINT hunt_group_members_position_key UNIQUE (company, group_id, position),
    CONSTRAINT hunt_group_members_position_check CHECK (position >= 1),
    CONSTRAINT hunt_group_members_group_fkey FOREIGN KEY (company, group_id) REFERENCES hunt_groups (company, id),
    CONSTRAINT hunt_group_members_user_fkey FOREIGN KEY (user_id) REFERENCES users (user_id)
);
CREATE INDEX hunt_group_members_user_idx ON hunt_group_members (user_id);
