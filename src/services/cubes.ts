import { findRollups } from '../db/rollups';
import { CubeSet, SuppressedCube, type RollupRow, type SuppressionRule } from '../domain/suppression';
import { Lru } from '../lib/lru';

/**
 * Suppressed cubes per bucket, kept in isolate memory. A bucket's pattern depends only on its own
 * rollups (an exact month's weeks on those four weeks), so each is built once per version of its
 * rollups (0010) and reused by every request, whatever range or filter it asks for.
 */

/** About 70 bytes a cell: ~14 MB of the isolate's 128 MB. A month of a busy partnership is a few thousand cells. */
const MAX_CELLS = 200_000;
const cache = new Lru<string, SuppressedCube>(MAX_CELLS);

/** Buckets whose suppression is computed together: each exact month's four weeks, every other bucket alone. */
export function bucketGroups(periods: string[], exactMonths: { month: string; weeks: string[] }[]): string[][] {
  const groups: string[][] = exactMonths.map((m) => m.weeks);
  const grouped = new Set(groups.flat());
  for (const p of periods) if (!grouped.has(p)) groups.push([p]);
  return groups;
}

/**
 * The cube for some buckets of a partnership, from cached per-bucket cubes where their version is
 * unchanged. Reads rollups only for the buckets that are missing or stale.
 *
 * @param versions each bucket's version from `findRollupVersions` (absent: the bucket has no rollups)
 */
export async function cubeFor(
  db: D1Database,
  partnershipId: string,
  grain: 'week' | 'month',
  periods: string[],
  exactMonths: { month: string; weeks: string[] }[],
  rule: SuppressionRule,
  versions: Map<string, string>,
): Promise<CubeSet> {
  const byPeriod = new Map<string, SuppressedCube>();
  const stale: { key: string; periods: string[] }[] = [];
  for (const group of bucketGroups(periods, exactMonths)) {
    const key = [partnershipId, grain, rule, ...group.map((p) => `${p}@${versions.get(p) ?? ''}`)].join(' ');
    const cube = cache.get(key);
    if (cube) for (const p of group) byPeriod.set(p, cube);
    else stale.push({ key, periods: group });
  }
  if (stale.length) {
    // Buckets without rollups need no read: their cube is empty.
    const toRead = stale.flatMap((g) => g.periods).filter((p) => versions.has(p));
    const rows = await findRollups(db, partnershipId, grain, toRead);
    const rowsOf = new Map<string, RollupRow[]>();
    for (const r of rows) {
      const list = rowsOf.get(r.period);
      if (list) list.push(r);
      else rowsOf.set(r.period, [r]);
    }
    for (const { key, periods: group } of stale) {
      const exact = exactMonths.filter((m) => m.weeks === group);
      const cube = new SuppressedCube(
        group.flatMap((p) => rowsOf.get(p) ?? []),
        rule,
        { exactMonths: exact },
      );
      cache.set(key, cube, Math.max(1, cube.size));
      for (const p of group) byPeriod.set(p, cube);
    }
  }
  return new CubeSet(rule, byPeriod);
}
