-- Issue 13, item 3: email notices that reach a person, through Cloudflare Email Workers' send_email.

-- Who is emailed about the partnership's safeguarding alerts: a JSON array of addresses, set by its
-- admins (PATCH /api/v1/partnership); NULL or [] sends none. Addresses, never anything a child said.
ALTER TABLE partnerships ADD COLUMN alert_email_recipients TEXT;

-- The email outbox: one row per notice per recipient (one envelope each, so a retry never sends
-- a second copy to someone who already has it). Tried at once where a request can, then by the cron
-- with the webhook's backoff until sent or given up. The message is built at send time from the
-- kind alone: a row holds no words, not even the alert's category.
CREATE TABLE email_deliveries (
  id TEXT PRIMARY KEY,               -- also the Message-ID's local part: the same on every try
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  kind TEXT NOT NULL CHECK (kind IN ('alert-created', 'alert-overdue', 'reviews-due')),
  subject_id TEXT NOT NULL,          -- the alert's id; for the digest, its day (YYYY-MM-DD)
  recipient TEXT NOT NULL,
  item_count INTEGER,                -- the digest's number of reviews due; NULL for alert notices
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  last_error TEXT,                   -- a short code: send_failed, no_binding, no_sender, removed_recipient
  sent_at TEXT
);
-- Once per notice per recipient: an alert is announced once and found overdue once, a digest sent
-- once a day, however often the cron or a retried request gets there.
CREATE UNIQUE INDEX email_deliveries_once ON email_deliveries (partnership_id, kind, subject_id, recipient);
CREATE INDEX email_deliveries_due ON email_deliveries (status, next_attempt_at);

-- Every new alert queues its email in the same transaction that stores it, whichever path stored it
-- (a response, a chat, the ingest queue, a review escalated to an alert): no caller can forget it.
-- An identical disclosure counted onto an open alert is an UPDATE (ON CONFLICT … DO UPDATE) and
-- fires nothing, so a flood sends one email, as it raises one alert.
CREATE TRIGGER safeguarding_alerts_email AFTER INSERT ON safeguarding_alerts
BEGIN
  INSERT OR IGNORE INTO email_deliveries (id, partnership_id, kind, subject_id, recipient, next_attempt_at, created_at)
  SELECT 'em' || lower(hex(randomblob(16))), p.id, 'alert-created', NEW.id, r.value, NEW.created_at, NEW.created_at
  FROM partnerships p, json_each(COALESCE(p.alert_email_recipients, '[]')) r
  WHERE p.id = NEW.partnership_id;
END;
