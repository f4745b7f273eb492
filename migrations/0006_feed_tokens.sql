-- Read-only tokens for feed readers, which cannot send an Authorization header. A token goes in
-- a feed URL (never an API key) and works only on the feed and CSV routes.
CREATE TABLE feed_tokens (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  partner_id TEXT REFERENCES partners(id),   -- set for a practice lead's token, as for its key
  created_by TEXT NOT NULL REFERENCES api_keys(id),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX feed_tokens_by_partnership ON feed_tokens (partnership_id);
