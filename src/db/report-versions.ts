/**
 * Everything stored that a partnership's insights, feeds and CSV are computed from, as one
 * fingerprint read in a single query: the rollup versions of the buckets asked for (0010; every
 * insert and re-analysis changes them, so they also cover the quotes), the partnership's name and
 * suppression settings, its partners' names, its taxonomy, surveys and published actions.
 * When none of these changed, the report is byte for byte what it was. (Services only decide
 * whether a filter is valid, and errors are never cached.)
 */
export async function findReportFingerprint(db: D1Database, partnershipId: string, grain: 'week' | 'month', first: string, last: string): Promise<string> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT group_concat(period || ':' || version, ',') FROM
            (SELECT period, version FROM rollup_versions
             WHERE partnership_id = ?1 AND grain = ?2 AND period >= ?3 AND period <= ?4 ORDER BY period)) AS rollups,
         (SELECT name || '|' || suppression_rule || '|' || min_base FROM partnerships WHERE id = ?1) AS partnership,
         (SELECT group_concat(id || '=' || name, ',') FROM (SELECT id, name FROM partners WHERE partnership_id = ?1 ORDER BY id)) AS partners,
         (SELECT version || '@' || updated_at FROM taxonomies WHERE partnership_id = ?1) AS taxonomy,
         (SELECT count(*) || '@' || ifnull(max(updated_at), '') FROM surveys WHERE partnership_id = ?1) AS surveys,
         (SELECT count(*) || '@' || ifnull(max(updated_at), '') FROM actions WHERE partnership_id = ?1) AS actions`,
    )
    .bind(partnershipId, grain, first, last)
    .first<Record<string, string | null>>();
  return JSON.stringify(row);
}
