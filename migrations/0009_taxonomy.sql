-- A partnership's own words for themes: synonyms added to default (or its own) themes, and its
-- own themes. One row per partnership; no row means the default taxonomy. `version` goes up on
-- every change, so a Worker can keep one compiled taxonomy per (partnership, version).
CREATE TABLE taxonomies (
  partnership_id TEXT PRIMARY KEY REFERENCES partnerships(id),
  synonyms TEXT NOT NULL DEFAULT '{}',   -- JSON { themeId: [term, ...] }
  themes TEXT NOT NULL DEFAULT '[]',     -- JSON [{ id, label, terms: [term, ...] }]
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);

-- Re-analysis walks one partnership's responses in id order, 200 at a time.
CREATE INDEX responses_by_partnership_id ON responses (partnership_id, id);

-- Re-analysis rewrites a stored response's themes and sentiment; the rollups follow in the same
-- statement, as they do on insert (0004): the old theme and sentiment metrics are taken away and
-- the new ones added, so the rollups stay right even if a run stops half way.
CREATE TRIGGER responses_rollup_reanalysed AFTER UPDATE OF themes, sentiment ON responses
WHEN OLD.themes IS NOT NEW.themes OR OLD.sentiment IS NOT NEW.sentiment
BEGIN
  UPDATE rollups SET n = n - 1
  WHERE partnership_id = OLD.partnership_id
    AND partner_id = COALESCE(OLD.partner_id, '') AND service_id = COALESCE(OLD.service_id, '')
    AND survey_id = OLD.survey_id AND age_band = COALESCE(OLD.age_band, '')
    AND ((grain = 'week' AND period = date(OLD.received_day, '-' || ((CAST(strftime('%w', OLD.received_day) AS INTEGER) + 6) % 7) || ' days'))
      OR (grain = 'month' AND period = strftime('%Y-%m-01', OLD.received_day)))
    AND (metric = 'sentiment:' || OLD.sentiment
      OR metric IN (SELECT 'theme:' || t.key || CASE WHEN s.value = 1 THEN ':' || t.value ELSE '' END
                    FROM json_each(OLD.themes) AS t, json_each(json_array(0, 1)) AS s));

  DELETE FROM rollups
  WHERE partnership_id = OLD.partnership_id AND n <= 0
    AND partner_id = COALESCE(OLD.partner_id, '') AND service_id = COALESCE(OLD.service_id, '')
    AND survey_id = OLD.survey_id AND age_band = COALESCE(OLD.age_band, '')
    AND ((grain = 'week' AND period = date(OLD.received_day, '-' || ((CAST(strftime('%w', OLD.received_day) AS INTEGER) + 6) % 7) || ' days'))
      OR (grain = 'month' AND period = strftime('%Y-%m-01', OLD.received_day)));

  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, g.value,
         CASE g.value
           WHEN 'week' THEN date(NEW.received_day, '-' || ((CAST(strftime('%w', NEW.received_day) AS INTEGER) + 6) % 7) || ' days')
           ELSE strftime('%Y-%m-01', NEW.received_day)
         END,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''),
         'sentiment:' || NEW.sentiment, 1
  FROM json_each(json_array('week', 'month')) AS g
  WHERE NEW.sentiment IS NOT NULL
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
