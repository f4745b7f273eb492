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
