-- Rollups leave the insert (issue 15). Until now every stored response ran ~20 rollup upserts and
-- two version bumps in its own INSERT (0015, 0025); intake paid for them on every request. Now an
-- insert only marks the response pending, and a fold (src/db/rollups.ts: foldStatements) counts
-- all pending responses at once, grouped, in one D1 batch, which is one transaction: the rollups,
-- their bucket versions and the removal of the marks commit together or not at all, so a Worker
-- killed mid-fold leaves every response either counted once or still pending, never half-counted.
-- Folds run from the cron, after a queue batch, and before anything reads rollups for a
-- partnership (services/rollup-fold.ts), so insights straight after a POST count it.
--
-- A table of marks rather than a flag on responses: a mark is one tiny row, removed when folded,
-- so nothing rewrites the response row, the existing rows need no migration (none is pending), and
-- a fold finds its rows by primary key without scanning responses.
CREATE TABLE rollup_pending (
  partnership_id TEXT NOT NULL,
  response_id TEXT NOT NULL,
  PRIMARY KEY (partnership_id, response_id)
) WITHOUT ROWID;

DROP TRIGGER responses_rollup;
DROP TRIGGER responses_rollup_answers;

-- A trigger, not a second statement in intake's batch, so that every way a response is written
-- (intake, the queue consumer, seed:volume's SQL, tests' fixtures) leaves it pending; and it runs
-- only for a row really inserted, so a retry (ON CONFLICT DO NOTHING) never marks twice. It costs
-- one row in a small table, against the ~20 upserts it replaces. The link-use count (0001) stays a
-- trigger for the same reasons: one update by primary key, in the statement that stores the row.
CREATE TRIGGER responses_rollup_pending AFTER INSERT ON responses
BEGIN
  INSERT INTO rollup_pending (partnership_id, response_id) VALUES (NEW.partnership_id, NEW.id);
END;

-- Re-analysis as in 0015, for folded responses only: a pending response has nothing in the
-- rollups to take away, and the fold will count it with whatever themes and sentiment it has then.
DROP TRIGGER responses_rollup_reanalysed;

CREATE TRIGGER responses_rollup_reanalysed AFTER UPDATE OF themes, sentiment ON responses
WHEN (OLD.themes IS NOT NEW.themes OR OLD.sentiment IS NOT NEW.sentiment)
  AND NOT EXISTS (SELECT 1 FROM rollup_pending WHERE partnership_id = OLD.partnership_id AND response_id = OLD.id)
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
