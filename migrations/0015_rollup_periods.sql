-- The ISO week and the month a response falls in, computed by SQLite from received_day, so the
-- rollup triggers say "the response's buckets" once instead of repeating the week arithmetic.
-- VIRTUAL: computed when read, nothing stored, no rewrite of existing rows.
-- Replaces the triggers of 0004 (insert), 0009 (re-analysis) and 0010 (bucket versions) with the
-- same logic; tests/routes/migrations.test.ts checks that old and new triggers build identical rollups.
ALTER TABLE responses ADD COLUMN received_week TEXT
  GENERATED ALWAYS AS (date(received_day, '-' || ((CAST(strftime('%w', received_day) AS INTEGER) + 6) % 7) || ' days')) VIRTUAL;
ALTER TABLE responses ADD COLUMN received_month TEXT
  GENERATED ALWAYS AS (strftime('%Y-%m-01', received_day)) VIRTUAL;

DROP TRIGGER responses_rollup;
DROP TRIGGER responses_rollup_reanalysed;
DROP TRIGGER responses_rollup_version;
DROP TRIGGER responses_rollup_version_reanalysed;

-- In each trigger `b` is the response's two buckets: b.key is the grain, b.value the period.
-- D1 limits compound SELECTs, so lists are JSON expanded by json_each.
CREATE TRIGGER responses_rollup AFTER INSERT ON responses
BEGIN
  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, b.key, b.value,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''), m.value, 1
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b,
       json_each(json_array(
         'responses',
         CASE WHEN NEW.rating IS NOT NULL THEN 'rated' END,
         CASE WHEN NEW.rating IS NOT NULL THEN 'rating:' || NEW.rating END,
         CASE WHEN NEW.sentiment IS NOT NULL THEN 'sentiment:' || NEW.sentiment END
       )) AS m
  WHERE m.value IS NOT NULL
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;

  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, b.key, b.value,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''),
         'theme:' || t.key || CASE WHEN s.value = 1 THEN ':' || t.value ELSE '' END, 1
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b,
       json_each(NEW.themes) AS t, json_each(json_array(0, 1)) AS s
  WHERE true
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;

  INSERT INTO rollup_versions (partnership_id, grain, period, version)
  SELECT NEW.partnership_id, b.key, b.value, lower(hex(randomblob(8)))
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b
  WHERE true
  ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version;
END;

-- Re-analysis takes the old theme and sentiment metrics out of OLD's buckets and adds the new ones
-- to NEW's (the same buckets, as received_day does not change), in the statement that rewrites the
-- response, so the rollups stay right even if a run stops half way.
CREATE TRIGGER responses_rollup_reanalysed AFTER UPDATE OF themes, sentiment ON responses
WHEN OLD.themes IS NOT NEW.themes OR OLD.sentiment IS NOT NEW.sentiment
BEGIN
  UPDATE rollups SET n = n - 1
  WHERE partnership_id = OLD.partnership_id
    AND partner_id = COALESCE(OLD.partner_id, '') AND service_id = COALESCE(OLD.service_id, '')
    AND survey_id = OLD.survey_id AND age_band = COALESCE(OLD.age_band, '')
    AND ((grain = 'week' AND period = OLD.received_week) OR (grain = 'month' AND period = OLD.received_month))
    AND (metric = 'sentiment:' || OLD.sentiment
      OR metric IN (SELECT 'theme:' || t.key || CASE WHEN s.value = 1 THEN ':' || t.value ELSE '' END
                    FROM json_each(OLD.themes) AS t, json_each(json_array(0, 1)) AS s));

  DELETE FROM rollups
  WHERE partnership_id = OLD.partnership_id AND n <= 0
    AND partner_id = COALESCE(OLD.partner_id, '') AND service_id = COALESCE(OLD.service_id, '')
    AND survey_id = OLD.survey_id AND age_band = COALESCE(OLD.age_band, '')
    AND ((grain = 'week' AND period = OLD.received_week) OR (grain = 'month' AND period = OLD.received_month));

  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, b.key, b.value,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''),
         'sentiment:' || NEW.sentiment, 1
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b
  WHERE NEW.sentiment IS NOT NULL
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;

  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, b.key, b.value,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''),
         'theme:' || t.key || CASE WHEN s.value = 1 THEN ':' || t.value ELSE '' END, 1
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b,
       json_each(NEW.themes) AS t, json_each(json_array(0, 1)) AS s
  WHERE true
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;

  INSERT INTO rollup_versions (partnership_id, grain, period, version)
  SELECT OLD.partnership_id, b.key, b.value, lower(hex(randomblob(8)))
  FROM json_each(json_object('week', OLD.received_week, 'month', OLD.received_month)) AS b
  WHERE true
  ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version;

  INSERT INTO rollup_versions (partnership_id, grain, period, version)
  SELECT NEW.partnership_id, b.key, b.value, lower(hex(randomblob(8)))
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b
  WHERE true
  ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version;
END;
