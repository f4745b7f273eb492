-- A version per rollup bucket (partnership, grain, period), changed in the same statement as the
-- bucket's rollups, so a Worker can keep each bucket's suppressed cube in memory and reload only
-- the buckets that changed. The version is a random stamp, not a counter: a database restored to
-- an earlier point (D1 Time Travel, or a test's rolled-back storage) can never show a Worker an old
-- number for different rows. A bucket with no row here has no rollups.
CREATE TABLE rollup_versions (
  partnership_id TEXT NOT NULL,
  grain TEXT NOT NULL CHECK (grain IN ('week', 'month')),
  period TEXT NOT NULL,
  version TEXT NOT NULL,
  PRIMARY KEY (partnership_id, grain, period)
) WITHOUT ROWID;

INSERT INTO rollup_versions (partnership_id, grain, period, version)
SELECT partnership_id, grain, period, lower(hex(randomblob(8))) FROM rollups GROUP BY partnership_id, grain, period;

-- Rollups change only through the two triggers on responses (0004 on insert, 0009 on
-- re-analysis); these follow the same events. One upsert per grain per response, rather than a
-- trigger on rollups itself, which would fire for each of a response's ~20 rollup rows.
CREATE TRIGGER responses_rollup_version AFTER INSERT ON responses
BEGIN
  INSERT INTO rollup_versions (partnership_id, grain, period, version)
  SELECT NEW.partnership_id, g.value,
         CASE g.value
           WHEN 'week' THEN date(NEW.received_day, '-' || ((CAST(strftime('%w', NEW.received_day) AS INTEGER) + 6) % 7) || ' days')
           ELSE strftime('%Y-%m-01', NEW.received_day)
         END,
         lower(hex(randomblob(8)))
  FROM json_each(json_array('week', 'month')) AS g
  WHERE true
  ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version;
END;

-- Re-analysis takes the old metrics from OLD's buckets and adds the new ones to NEW's (the same
-- buckets, as received_day does not change, but both are stamped to follow 0009 exactly).
CREATE TRIGGER responses_rollup_version_reanalysed AFTER UPDATE OF themes, sentiment ON responses
WHEN OLD.themes IS NOT NEW.themes OR OLD.sentiment IS NOT NEW.sentiment
BEGIN
  INSERT INTO rollup_versions (partnership_id, grain, period, version)
  SELECT OLD.partnership_id, g.value,
         CASE g.value
           WHEN 'week' THEN date(OLD.received_day, '-' || ((CAST(strftime('%w', OLD.received_day) AS INTEGER) + 6) % 7) || ' days')
           ELSE strftime('%Y-%m-01', OLD.received_day)
         END,
         lower(hex(randomblob(8)))
  FROM json_each(json_array('week', 'month')) AS g
  WHERE true
  ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version;

  INSERT INTO rollup_versions (partnership_id, grain, period, version)
  SELECT NEW.partnership_id, g.value,
         CASE g.value
           WHEN 'week' THEN date(NEW.received_day, '-' || ((CAST(strftime('%w', NEW.received_day) AS INTEGER) + 6) % 7) || ' days')
           ELSE strftime('%Y-%m-01', NEW.received_day)
         END,
         lower(hex(randomblob(8)))
  FROM json_each(json_array('week', 'month')) AS g
  WHERE true
  ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version;
END;
