-- Dashboard sign-ins: a key is exchanged for a session; the cookie holds a random secret whose
-- SHA-256 is stored here. Sessions end after 8 hours or at sign-out.
CREATE TABLE dashboard_sessions (
  id_hash TEXT PRIMARY KEY,
  key_id TEXT NOT NULL REFERENCES api_keys(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);
