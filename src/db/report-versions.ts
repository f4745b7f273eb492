/**
 * Everything stored that a partnership's insights, feeds and CSV are computed from, as one
 * fingerprint read in a single query: the rollup versions of every month starting from `from` to
 * `to`, and of the `weeks` given (0010; every fold and re-analysis changes them, so they also cover
 * the quotes; the caller widens the range to every bucket a published bucket is linked with, and
 * names the weeks no month read here holds whole), the partnership's name and
 * suppression settings, its partners' names, its taxonomy, surveys and published actions.
 * When none of these changed, the report is byte for byte what it was. (Services only decide
 * whether a filter is valid, and errors are never cached.)
 */
export async function findReportFingerprint(db: D1Database, partnershipId: string, from: string, to: string, weeks: string[]): Promise<string> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT group_concat(grain || ' ' || period || ':' || version, ',') FROM
            (SELECT grain, period, version FROM rollup_versions
             WHERE partnership_id = ?1 AND grain = 'month' AND period >= ?2 AND period <= ?3
             UNION ALL
             -- The weeks as a JSON list (any length, one statement); CROSS JOIN keeps each a key look-up.
             SELECT v.grain, v.period, v.version FROM json_each(?4) AS w
               CROSS JOIN rollup_versions v ON v.partnership_id = ?1 AND v.grain = 'week' AND v.period = w.value
             ORDER BY grain, period)) AS rollups,
         (SELECT name || '|' || suppression_rule || '|' || min_base FROM partnerships WHERE id = ?1) AS partnership,
         (SELECT group_concat(id || '=' || name, ',') FROM (SELECT id, name FROM partners WHERE partnership_id = ?1 ORDER BY id)) AS partners,
         (SELECT version || '@' || updated_at FROM taxonomies WHERE partnership_id = ?1) AS taxonomy,
         (SELECT count(*) || '@' || ifnull(max(updated_at), '') FROM surveys WHERE partnership_id = ?1) AS surveys,
         (SELECT count(*) || '@' || ifnull(max(updated_at), '') FROM actions WHERE partnership_id = ?1) AS actions`,
    )
    .bind(partnershipId, from, to, JSON.stringify(weeks))
    .first<Record<string, string | null>>();
  return JSON.stringify(row);
}
