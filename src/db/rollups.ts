import type { RollupRow } from '../domain/suppression';

interface Row {
  period: string;
  partner_id: string;
  service_id: string;
  survey_id: string;
  audience: string;
  age_band: string;
  metric: string;
  n: number;
}

/**
 * All of a partnership's rollup rows for some buckets. Always the whole partnership: suppression
 * must see every cell, whatever the caller filters on.
 */
export async function findRollups(db: D1Database, partnershipId: string, grain: 'week' | 'month', periods: string[]): Promise<RollupRow[]> {
  if (periods.length === 0) return [];
  const sorted = [...periods].sort();
  const { results } = await db
    .prepare(
      `SELECT period, partner_id, service_id, survey_id, audience, age_band, metric, n
       FROM rollups
       WHERE partnership_id = ?1 AND grain = ?2 AND period >= ?3 AND period <= ?4 AND metric NOT LIKE 'sentiment:%'`,
    )
    .bind(partnershipId, grain, sorted[0], sorted[sorted.length - 1])
    .all<Row>();
  const wanted = new Set(periods);
  return results
    .filter((r) => wanted.has(r.period))
    .map((r) => ({
      period: r.period,
      partner: r.partner_id,
      service: r.service_id,
      survey: r.survey_id,
      audience: r.audience,
      ageBand: r.age_band,
      metric: r.metric,
      n: r.n,
    }));
}

/**
 * The version stamp of each of a partnership's buckets between two periods that has rollups
 * (0010). A bucket missing from the map has no rollups.
 */
export async function findRollupVersions(
  db: D1Database,
  partnershipId: string,
  grain: 'week' | 'month',
  first: string,
  last: string,
): Promise<Map<string, string>> {
  const { results } = await db
    .prepare('SELECT period, version FROM rollup_versions WHERE partnership_id = ?1 AND grain = ?2 AND period >= ?3 AND period <= ?4')
    .bind(partnershipId, grain, first, last)
    .all<{ period: string; version: string }>();
  return new Map(results.map((r) => [r.period, r.version]));
}

/**
 * The responses a fold takes (migration 0027): one partnership's pending ones (a read folds before
 * it counts), or everyone's (the cron, the queue consumer). At most `?2` of them, in key order, so
 * every statement of the fold's batch sees the same set and a backlog folds in bounded steps.
 */
const PENDING = {
  partnership: 'SELECT partnership_id, response_id FROM rollup_pending WHERE partnership_id = ?1 ORDER BY response_id LIMIT ?2',
  all: 'SELECT partnership_id, response_id FROM rollup_pending ORDER BY partnership_id, response_id LIMIT ?2',
} as const;

/**
 * The rollup key of a folded response, with its two buckets as `b` (b.key the grain, b.value the
 * period). CROSS JOIN keeps SQLite reading the marks first and each response by its id: left to
 * choose, it scanned every response in partnership order to save the GROUP BY a sort.
 */
const FOLDED_FROM = `folding f CROSS JOIN responses r ON r.id = f.response_id,
       json_each(json_object('week', r.received_week, 'month', r.received_month)) AS b`;
const ROLLUP_KEY = `r.partnership_id, b.key, b.value, COALESCE(r.partner_id, ''), COALESCE(r.service_id, ''), r.survey_id, r.audience, COALESCE(r.age_band, '')`;
const ADD_TO_ROLLUPS = `INSERT INTO rollups (partnership_id, grain, period, partner_id, service_id, survey_id, audience, age_band, metric, n)`;
const OR_ADD_TO_IT = `ON CONFLICT (partnership_id, grain, period, partner_id, service_id, survey_id, age_band, metric) DO UPDATE SET n = n + excluded.n`;

/**
 * Each statement counts the metrics the insert triggers of 0015 and 0025 counted one response at
 * a time, for every folding response at once, grouped by cell: what each response is (responses,
 * rated, rating:N, sentiment:S), the themes it raised (theme:ID and theme:ID:S), and what it said
 * to each question (its answer_metrics). Then the touched buckets get new version stamps (0010),
 * and the marks go last, so the statements before them all read the same marks.
 */
const FOLD = [
  `${ADD_TO_ROLLUPS}
   SELECT ${ROLLUP_KEY}, m.value, count(*)
   FROM ${FOLDED_FROM},
        json_each(json_array(
          'responses',
          CASE WHEN r.rating IS NOT NULL THEN 'rated' END,
          CASE WHEN r.rating IS NOT NULL THEN 'rating:' || r.rating END,
          CASE WHEN r.sentiment IS NOT NULL THEN 'sentiment:' || r.sentiment END
        )) AS m
   WHERE m.value IS NOT NULL
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
   ${OR_ADD_TO_IT}`,
  `${ADD_TO_ROLLUPS}
   SELECT ${ROLLUP_KEY}, 'theme:' || t.key || CASE WHEN s.value = 1 THEN ':' || t.value ELSE '' END, count(*)
   FROM ${FOLDED_FROM}, json_each(r.themes) AS t, json_each(json_array(0, 1)) AS s
   WHERE true
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
   ${OR_ADD_TO_IT}`,
  `${ADD_TO_ROLLUPS}
   SELECT ${ROLLUP_KEY}, m.value, count(*)
   FROM ${FOLDED_FROM}, json_each(r.answer_metrics) AS m
   WHERE true
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
   ${OR_ADD_TO_IT}`,
  `INSERT INTO rollup_versions (partnership_id, grain, period, version)
   SELECT r.partnership_id, b.key, b.value, lower(hex(randomblob(8)))
   FROM ${FOLDED_FROM}
   WHERE true
   GROUP BY 1, 2, 3
   ON CONFLICT (partnership_id, grain, period) DO UPDATE SET version = excluded.version`,
  'DELETE FROM rollup_pending WHERE (partnership_id, response_id) IN (SELECT partnership_id, response_id FROM folding)',
];

/**
 * One fold as SQL with its parameters, for a harness that runs them as one batch (seed:volume).
 * `partnershipId` null folds every partnership's pending responses.
 */
export function foldQueries(partnershipId: string | null, limit: number): { sql: string; params: unknown[] }[] {
  const pending = partnershipId === null ? PENDING.all : PENDING.partnership;
  return FOLD.map((sql) => ({ sql: `WITH folding AS MATERIALIZED (${pending})\n${sql}`, params: [partnershipId, limit] }));
}

/**
 * Counts up to `limit` pending responses into the rollups. Run the statements as one `db.batch`
 * (one transaction): then a fold is whole or never happened. The last result's `meta.changes` is
 * how many responses it folded.
 */
export const foldStatements = (db: D1Database, partnershipId: string | null, limit: number): D1PreparedStatement[] =>
  foldQueries(partnershipId, limit).map(({ sql, params }) => db.prepare(sql).bind(...params));

/** Whether any of a partnership's responses wait to be folded: one primary-key probe. */
export async function hasPendingRollups(db: D1Database, partnershipId: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 AS pending FROM rollup_pending WHERE partnership_id = ?1 LIMIT 1').bind(partnershipId).first()) !== null;
}
