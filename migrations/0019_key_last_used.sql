-- The day (YYYY-MM-DD, UTC) each key was last used, for the workspace's keys page: an admin can
-- see a key nobody uses any more and revoke it. A day, not a time: enough to judge, and it is
-- written at most once a day per key.
ALTER TABLE api_keys ADD COLUMN last_used_on TEXT;
