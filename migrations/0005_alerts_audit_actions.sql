-- Safeguarding follow-up: contact references on links, the alert webhook, the audit log, alerts
-- raised mid-chat, and "you said, we did" actions.

-- A practitioner's case or contact reference, AES-GCM sealed (ALERT_KEY). Read only to show on an
-- alert raised from a response through this link; never listed.
ALTER TABLE feedback_links ADD COLUMN contact_ref_sealed TEXT;

-- Where to POST "a new alert was raised" (no content): the front door's system. https only.
ALTER TABLE partnerships ADD COLUMN alert_webhook_url TEXT;

-- The alert a chat raised when a typed reply was flagged, so the chat raises at most one and the
-- response it becomes raises none.
ALTER TABLE conversations ADD COLUMN alert_id TEXT;

-- Who read or acted on what, when. Holds ids only: never an alert's text, evidence or note.
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  at TEXT NOT NULL,
  key_id TEXT NOT NULL,
  key_role TEXT NOT NULL,
  key_label TEXT NOT NULL,
  action TEXT NOT NULL,              -- e.g. alerts.list, alerts.read, alerts.acknowledge
  subject_ids TEXT NOT NULL          -- JSON array of the ids acted on (alert ids)
);
CREATE INDEX audit_log_by_partnership ON audit_log (partnership_id, at DESC, id DESC);

-- Acknowledged alerts are deleted 30 days on; this finds them without a scan.
CREATE INDEX safeguarding_alerts_retention ON safeguarding_alerts (status, acknowledged_at);

-- "You said, we did": what a partner heard about a theme and what it did about it.
CREATE TABLE actions (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  partner_id TEXT REFERENCES partners(id),      -- NULL: partnership-wide
  theme_id TEXT NOT NULL,
  survey_id TEXT REFERENCES surveys(id),        -- NULL: every survey of the partner (or partnership)
  heard TEXT NOT NULL,               -- JSON { en, cy?, ... }: what we heard, in child-friendly words
  did TEXT NOT NULL,                 -- JSON { en, cy?, ... }: what we did (or will do)
  action_day TEXT NOT NULL,          -- YYYY-MM-DD: when it was (or will be) done
  status TEXT NOT NULL CHECK (status IN ('planned', 'done')),
  published INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX actions_by_partnership ON actions (partnership_id, published, action_day DESC);
