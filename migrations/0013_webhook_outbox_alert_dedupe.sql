-- Issue 10, items 6 and 8: signed webhook deliveries with retries, and alerts that merge floods.

-- The webhook's signing secret (`whsec_…`, Standard Webhooks), AES-GCM sealed with ALERT_KEY.
-- Made by the server whenever the URL is set (or rotated) and shown once; needed in the clear to sign.
ALTER TABLE partnerships ADD COLUMN alert_webhook_secret_sealed TEXT;

-- The outbox: one row per alert to announce, written in the same batch as the alert. Tried at once
-- (waitUntil), then by the cron with exponential backoff until delivered or given up. Holds only the
-- content-free body (ids and category); the id is the `webhook-id` every retry repeats.
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  alert_id TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  last_status INTEGER,               -- the receiver's HTTP status on the last try; NULL: no answer
  last_error TEXT,                   -- a short code: http_503, timeout, network, redirect, refused_destination, no_webhook
  delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_alert ON webhook_deliveries (alert_id);

-- Flood control. `received_count`: how many submissions this alert stands for. `text_hash`: a keyed
-- hash (HMAC, key derived from ALERT_KEY) of the normalised flagged text and where it came from, or
-- for a burst alert of a random per-burst token; NULL once acknowledged, so a later identical
-- disclosure raises a fresh alert instead of disappearing into one already dealt with.
-- `kind`: 'single', or 'burst' (one client address past its hourly share of new alerts; each
-- further flagged text is appended, sealed, to that one alert).
ALTER TABLE safeguarding_alerts ADD COLUMN received_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE safeguarding_alerts ADD COLUMN text_hash TEXT;
ALTER TABLE safeguarding_alerts ADD COLUMN kind TEXT NOT NULL DEFAULT 'single' CHECK (kind IN ('single', 'burst'));
-- One open alert per text per survey per day: the target of INSERT … ON CONFLICT … DO UPDATE, so
-- concurrent duplicates count up one row instead of racing to insert two.
CREATE UNIQUE INDEX safeguarding_alerts_dedupe ON safeguarding_alerts (partnership_id, survey_id, received_day, text_hash) WHERE text_hash IS NOT NULL;
