-- Heard core schema. Respondent rows carry no IP, user agent, cookie or precise time:
-- responses keep only the day they were received.

CREATE TABLE partnerships (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  -- Statistical disclosure control: 'dfe' (1-5 suppressed) or 'nhs' (1-7 suppressed, others rounded to 5).
  suppression_rule TEXT NOT NULL DEFAULT 'dfe' CHECK (suppression_rule IN ('dfe', 'nhs')),
  -- No percentage or sentiment split from a base smaller than this.
  min_base INTEGER NOT NULL DEFAULT 10 CHECK (min_base >= 10),
  created_at TEXT NOT NULL
);

CREATE TABLE partners (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('local-authority', 'police', 'health', 'education', 'other')),
  created_at TEXT NOT NULL
);
CREATE INDEX partners_by_partnership ON partners (partnership_id);

CREATE TABLE services (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  partner_id TEXT NOT NULL REFERENCES partners(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX services_by_partner ON services (partner_id);

CREATE TABLE surveys (
  id TEXT PRIMARY KEY,
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  -- The partner that owns the survey; NULL for a partnership-wide survey.
  partner_id TEXT REFERENCES partners(id),
  audience TEXT NOT NULL CHECK (audience IN ('child', 'family', 'community')),
  age_bands TEXT NOT NULL,          -- JSON array of age bands
  languages TEXT NOT NULL,          -- JSON array of language tags
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'live', 'closed')),
  allowed_origins TEXT NOT NULL DEFAULT '[]', -- JSON array of origins allowed to embed and call intake
  accent_colour TEXT,
  version INTEGER NOT NULL DEFAULT 1,         -- the current (latest) definition version
  live_version INTEGER,                       -- the version respondents are served
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX surveys_by_partnership ON surveys (partnership_id, partner_id);

CREATE TABLE survey_versions (
  survey_id TEXT NOT NULL REFERENCES surveys(id),
  version INTEGER NOT NULL,
  definition TEXT NOT NULL,         -- JSON survey definition (see src/schemas/survey-definition.ts)
  created_at TEXT NOT NULL,
  PRIMARY KEY (survey_id, version)
);

CREATE TABLE feedback_links (
  id TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the token; the token itself is shown once
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  survey_id TEXT NOT NULL REFERENCES surveys(id),
  partner_id TEXT NOT NULL REFERENCES partners(id),
  service_id TEXT REFERENCES services(id),
  contact_type TEXT NOT NULL,
  single_use INTEGER NOT NULL DEFAULT 0,
  uses INTEGER NOT NULL DEFAULT 0,
  expires_at TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX feedback_links_by_partnership ON feedback_links (partnership_id, partner_id);

CREATE TABLE responses (
  id TEXT PRIMARY KEY,              -- the client's UUID: the idempotency key
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  survey_id TEXT NOT NULL REFERENCES surveys(id),
  survey_version INTEGER NOT NULL,
  audience TEXT NOT NULL,
  partner_id TEXT REFERENCES partners(id),
  service_id TEXT REFERENCES services(id),
  link_id TEXT REFERENCES feedback_links(id),
  contact_type TEXT,
  received_day TEXT NOT NULL,       -- YYYY-MM-DD only: never a precise time
  age_band TEXT,
  lang TEXT NOT NULL,
  answers TEXT NOT NULL,            -- JSON; free-text answers are stored only in redacted form
  analysis TEXT NOT NULL DEFAULT '{}', -- JSON: themes, sentiment, disclosure flag per text answer
  rating INTEGER,                   -- the first faces rating normalised to 1..5, for distributions
  sentiment TEXT,
  flagged INTEGER NOT NULL DEFAULT 0,
  fingerprint TEXT NOT NULL         -- SHA-256 of the stored (redacted) submission, to tell a retry from a conflict
);
CREATE INDEX responses_by_partnership_day ON responses (partnership_id, received_day);
CREATE INDEX responses_by_partner_day ON responses (partnership_id, partner_id, received_day);
CREATE INDEX responses_by_service_day ON responses (partnership_id, service_id, received_day);
CREATE INDEX responses_by_survey_day ON responses (survey_id, received_day);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  key_hash TEXT NOT NULL UNIQUE,    -- SHA-256 of the key; the key itself is shown once
  partnership_id TEXT NOT NULL REFERENCES partnerships(id),
  partner_id TEXT REFERENCES partners(id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'practice-lead', 'safeguarding-lead', 'scrutineer')),
  label TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_keys_by_partnership ON api_keys (partnership_id);

-- A link's use is counted in the same statement that stores the response, and only when a row
-- was really inserted, so retries and concurrent duplicates never use a link twice.
CREATE TRIGGER responses_count_link_use AFTER INSERT ON responses
WHEN NEW.link_id IS NOT NULL
BEGIN
  UPDATE feedback_links SET uses = uses + 1 WHERE id = NEW.link_id;
END;
