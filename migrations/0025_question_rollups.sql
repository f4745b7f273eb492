-- Every question reported (issue 14): the metrics a response adds for each question it was asked,
-- worked out by intake from the survey definition (src/domain/question-results.ts), so SQL never
-- has to know question kinds. Stored as a JSON list of metric names; never any answer text.
-- Responses stored before this migration have '[]' and are not counted per question (a question's
-- total is only ever "at most" its survey's responses, so the audit stays sound).
ALTER TABLE responses ADD COLUMN answer_metrics TEXT NOT NULL DEFAULT '[]';

-- Counted into both buckets, in the statement that stores the response, like the other metrics
-- (0015). The version bump there already covers these rows: both triggers run in one statement.
CREATE TRIGGER responses_rollup_answers AFTER INSERT ON responses
WHEN NEW.answer_metrics != '[]'
BEGIN
  INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)
  SELECT NEW.partnership_id, b.key, b.value,
         COALESCE(NEW.partner_id, ''), COALESCE(NEW.service_id, ''), NEW.survey_id, NEW.audience, COALESCE(NEW.age_band, ''), m.value, 1
  FROM json_each(json_object('week', NEW.received_week, 'month', NEW.received_month)) AS b,
       json_each(NEW.answer_metrics) AS m
  WHERE true
  ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + 1;
END;
