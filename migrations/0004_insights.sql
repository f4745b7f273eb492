-- Insight rollups, maintained by a trigger in the same statement that stores a response, so
-- insight queries never scan responses. One row per (week or month, partner, service, survey,
-- age band, metric); '' stands for "none" so the primary key can match.

-- The response's themes as {"themeId": "sentiment of the answer that raised it"}.
ALTER TABLE responses ADD COLUMN themes TEXT NOT NULL DEFAULT '{}';

CREATE TABLE rollups (
  partnership_id TEXT NOT NULL,
  grain TEXT NOT NULL CHECK (grain IN ('week', 'month')),
  period TEXT NOT NULL,              -- first day of the ISO week (Monday) or of the month
  partner_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  audience TEXT NOT NULL,
  age_band TEXT NOT NULL,
  -- responses | rated | rating:N (1-5) | sentiment:S | theme:ID | theme:ID:S
  metric TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric)
) WITHOUT ROWID;

-- D1 limits compound SELECTs, so the metric lists are JSON arrays expanded by json_each.
CREATE TRIGGER responses_rollup AFTER INSERT ON responses
BEGIN
  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, g.value,
         CASE g.value
           WHEN 'week' THEN date(NEW.received_day, '-' || ((CAST(strftime('%w', NEW.received_day) AS INTEGER) + 6) % 7) || ' days')
           ELSE strftime('%Y-%m-01', NEW.received_day)
         END,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''), m.value, 1
  FROM json_each(json_array('week', 'month')) AS g,
       json_each(json_array(
         'responses',
         CASE WHEN NEW.rating IS NOT NULL THEN 'rated' END,
         CASE WHEN NEW.rating IS NOT NULL THEN 'rating:' || NEW.rating END,
         CASE WHEN NEW.sentiment IS NOT NULL THEN 'sentiment:' || NEW.sentiment END
       )) AS m
  WHERE m.value IS NOT NULL
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;

  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, g.value,
         CASE g.value
           WHEN 'week' THEN date(NEW.received_day, '-' || ((CAST(strftime('%w', NEW.received_day) AS INTEGER) + 6) % 7) || ' days')
           ELSE strftime('%Y-%m-01', NEW.received_day)
         END,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''),
         'theme:' || t.key || CASE WHEN s.value = 1 THEN ':' || t.value ELSE '' END, 1
  FROM json_each(json_array('week', 'month')) AS g, json_each(NEW.themes) AS t, json_each(json_array(0, 1)) AS s
  WHERE true
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;
END;

-- Quotes are read from recent responses of one partnership; this keeps that read short.
CREATE INDEX responses_quotes ON responses (partnership_id, received_day, flagged);
