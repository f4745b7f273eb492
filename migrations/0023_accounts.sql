-- Staff accounts (issue 16): people sign in to the dashboard as themselves, by single sign-on
-- (OpenID Connect) or a one-time email link; API keys stay for machines.

-- A person on the staff of one partnership. The email is stored lowercased and is unique across
-- Heard, so a sign-in by email or by an identity provider finds exactly one account.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  email TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  partner_id TEXT REFERENCES partners(id),   -- a practice lead's partner; NULL otherwise
  status TEXT NOT NULL,                      -- invited | active | disabled
  created_at TEXT NOT NULL,
  last_sign_in_at TEXT
);
CREATE INDEX accounts_by_partnership ON accounts (partnership_id, email);

-- One-time links sent by email: invitations (72 hours) and sign-in links (15 minutes, bound to the
-- browser that asked through the hash of a cookie nonce). Only the SHA-256 of the link's secret.
CREATE TABLE account_links (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  purpose TEXT NOT NULL,                     -- invitation | sign-in
  browser_hash TEXT,                         -- sign-in links: SHA-256 of the asking browser's nonce
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX account_links_by_expiry ON account_links (expires_at);

-- A signed-in person: 8 hours idle (renewed on activity), 12 hours at most.
CREATE TABLE account_sessions (
  id_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  idle_expires_at TEXT NOT NULL,
  absolute_expires_at TEXT NOT NULL
);
CREATE INDEX account_sessions_by_account ON account_sessions (account_id);
CREATE INDEX account_sessions_by_expiry ON account_sessions (absolute_expires_at);

-- A partnership's OpenID providers. The client secret is a Worker secret named here, never stored.
CREATE TABLE oidc_providers (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  label TEXT NOT NULL,                       -- shown on the sign-in button, e.g. "Demo Council (Microsoft)"
  issuer TEXT NOT NULL,
  client_id TEXT NOT NULL,
  client_secret_name TEXT NOT NULL,
  allowed_domains TEXT NOT NULL,             -- JSON array of lowercase email domains
  created_at TEXT NOT NULL
);

-- A sign-in started at a provider: state (its hash is the key), nonce and PKCE verifier, bound to
-- the browser that started it, usable once within 10 minutes.
CREATE TABLE oidc_attempts (
  state_hash TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES oidc_providers(id),
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  browser_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

-- Pasting an API key into the dashboard: kept for the partnerships that already have it, off for
-- every partnership created from now on.
ALTER TABLE partnerships ADD COLUMN key_sign_in INTEGER NOT NULL DEFAULT 0;
UPDATE partnerships SET key_sign_in = 1;

-- Who acted: a key (machines, and key sign-ins) or an account (a person).
ALTER TABLE audit_log ADD COLUMN actor_kind TEXT NOT NULL DEFAULT 'key';
