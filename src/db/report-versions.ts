/**
 * Everything stored that a partnership's insights, feeds and CSV are computed from, as one
 * fingerprint read in a single query: the rollup versions, at both grains, of every bucket starting
 * from `from` to `to` (0010; every fold and re-analysis changes them, so they also cover the
 * quotes; the caller widens the range to every bucket a published bucket is linked with), the partnership's name and
 * suppression settings, its partners' names, its taxonomy, surveys and published actions.
 * When none of these changed, the report is byte for byte what it was. (Services only decide
 * whether a filter is valid, and errors are never cached.)
 */
export async function findReportFingerprint(db: D1Database, partnershipId: string, from: string, to: string): Promise<ReportFingerprint> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT group_concat(grain || ' ' || period || ':' || version, ',') FROM
            (SELECT grain, period, version FROM rollup_versions
             WHERE partnership_id = ?1 AND grain IN ('month', 'week') AND period >= ?2 AND period <= ?3 ORDER BY grain, period)) AS rollups,
         (SELECT name || '|' || suppression_rule || '|' || min_base FROM partnerships WHERE id = ?1) AS partnership,
         (SELECT group_concat(id || '=' || name, ',') FROM (SELECT id, name FROM partners WHERE partnership_id = ?1 ORDER BY id)) AS partners,
         (SELECT version || '@' || updated_at FROM taxonomies WHERE partnership_id = ?1) AS taxonomy,
         (SELECT count(*) || '@' || ifnull(max(updated_at), '') FROM surveys WHERE partnership_id = ?1) AS surveys,
         (SELECT count(*) || '@' || ifnull(max(updated_at), '') FROM actions WHERE partnership_id = ?1) AS actions`,
    )
    .bind(partnershipId, from, to)
    .first<Record<string, string | null>>();
  // The rollup versions it names are those the report's cubes read (services/cubes.ts): returned
  // too, so a report computed after its tag does not read them again.
  const versions = { week: new Map<string, string>(), month: new Map<string, string>() };
  for (const entry of row?.rollups ? row.rollups.split(',') : []) {
    const [grain, periodVersion] = entry.split(' ') as ['week' | 'month', string];
    const [period, version] = periodVersion.split(':') as [string, string];
    versions[grain].set(period, version);
  }
  return { fingerprint: JSON.stringify(row), versions: { from, to, ...versions } };
}

export interface ReportFingerprint {
  fingerprint: string;
  versions: RollupVersions;
}

/** Each bucket's rollup version per grain, for every bucket starting from `from` to `to` that has rollups. */
export interface RollupVersions {
  from: string;
  to: string;
  week: Map<string, string>;
  month: Map<string, string>;
}
