-- Issue 13 items 1 and 5, issue 12 items 1 and 4: the review tier's queue, the reviewer role, and
-- labelled data from the decisions people make.

-- A new role, `reviewer`, reads and decides the review queue. SQLite can't change a CHECK, so the
-- table is rebuilt with the same rows; foreign keys from sessions and feed tokens are checked at
-- commit, when the rebuilt table has every id again.
PRAGMA defer_foreign_keys = on;
CREATE TABLE api_keys_new (
  id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  partner_id TEXT REFERENCES partners(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'practice-lead', 'safeguarding-lead', 'scrutineer', 'reviewer')),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
INSERT INTO api_keys_new (id, key_hash, partnership_id, partner_id, role, label, created_at, revoked_at)
  SELECT id, key_hash, partnership_id, partner_id, role, label, created_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
CREATE INDEX api_keys_by_partnership ON api_keys (partnership_id);
PRAGMA defer_foreign_keys = off;

-- One free-text answer whose triage is `review`: its words sealed exactly as an alert's are, read
-- by a reviewer within one working day. Written in the same batch as its response (or, in a chat,
-- when the reply is typed), so it is never half-written; the unique key makes a retry a no-op.
CREATE TABLE review_items (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  response_id TEXT NOT NULL,         -- the response; for a chat, the conversation id (which becomes the response id)
  question_id TEXT NOT NULL,
  text_hash TEXT NOT NULL,           -- keyed hash (HMAC, key from ALERT_KEY) of the words: retries of the same words match
  survey_id TEXT NOT NULL,
  partner_id TEXT,
  service_id TEXT,
  link_id TEXT,
  received_day TEXT NOT NULL,
  category TEXT,                     -- the concern's kind of harm; NULL when the signal names none
  source TEXT NOT NULL,              -- who raised it: rules, model, or ai:<model id>
  evidence_sealed TEXT,              -- AES-GCM (ALERT_KEY); NULL once deleted 30 days after the decision
  text_sealed TEXT,                  -- AES-GCM (ALERT_KEY): the answer as written; NULL once deleted
  created_at TEXT NOT NULL,
  due_at TEXT NOT NULL,              -- one working day (England and Wales) after created_at
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided')),
  decision TEXT CHECK (decision IN ('not-a-concern', 'escalate', 'worker-conversation')),
  decided_at TEXT,
  decided_by TEXT,
  alert_id TEXT,                     -- the alert an escalation raised
  UNIQUE (response_id, question_id, text_hash)
);
CREATE INDEX review_items_queue ON review_items (partnership_id, status, due_at);
CREATE INDEX review_items_retention ON review_items (status, decided_at);

-- Where an alert came from: the rules, the embedded model, Workers AI, or a reviewer's escalation.
ALTER TABLE safeguarding_alerts ADD COLUMN source TEXT NOT NULL DEFAULT 'rules';

-- Labelled data from the work itself: the REDACTED text (never the sealed original) with what a
-- person decided, in the analysis fixtures' shape. One label per decided thing: a retry overwrites.
CREATE TABLE labels (
  id TEXT PRIMARY KEY,               -- e.g. review:<id>, alert:<id>:<n>, correction:<response>:<question>
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  kind TEXT NOT NULL CHECK (kind IN ('review', 'alert', 'correction')),
  record TEXT NOT NULL,              -- JSON: one line of tests/fixtures/analysis/*.jsonl
  created_at TEXT NOT NULL
);
CREATE INDEX labels_by_partnership ON labels (partnership_id, created_at);
