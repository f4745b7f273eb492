-- Possible disclosures found at intake. Not linked to the response row, so the alert's time
-- (needed for the one-hour rule) can't be joined back to an answer in the insight data.
CREATE TABLE safeguarding_alerts (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  survey_id TEXT NOT NULL,
  partner_id TEXT,
  service_id TEXT,
  link_id TEXT,
  received_day TEXT NOT NULL,
  category TEXT NOT NULL,
  current INTEGER NOT NULL,          -- 0: past/resolved, reviewed at lower priority
  evidence_sealed TEXT NOT NULL,     -- AES-GCM (ALERT_KEY): evidence span
  text_sealed TEXT NOT NULL,         -- AES-GCM (ALERT_KEY): the flagged answer as written
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'overdue', 'acknowledged')),
  created_at TEXT NOT NULL,
  due_at TEXT NOT NULL,
  acknowledged_at TEXT,
  acknowledged_by TEXT,
  action_taken TEXT,
  note_sealed TEXT
);
CREATE INDEX safeguarding_alerts_queue ON safeguarding_alerts (partnership_id, status, due_at);
