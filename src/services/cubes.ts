import { findRollups, findRollupVersions } from '../db/rollups';
import { publishedCubes, type CubeStage, type RollupSource } from '../domain/linked-intervals';
import type { Interval } from '../domain/periods';
import type { CubeSet, SuppressedCube, SuppressionRule } from '../domain/suppression';
import { Lru } from '../lib/lru';

/**
 * Suppressed cubes per bucket, kept in isolate memory. A bucket's pattern depends only on its own
 * rollups and those of the other interval's buckets over the same days (domain/linked-intervals.ts),
 * so each is built and audited once per version of those rollups (0010) and reused by every
 * request, whatever range or filter it asks for.
 */

/** About 70 bytes a cell: ~14 MB of the isolate's 128 MB per cache. A month of a busy partnership is a few thousand cells. */
const MAX_CELLS = 200_000;
/** The cubes requests read (a year by month and the year before: 24 months, ~150,000 cells). */
const published = new Lru<string, SuppressedCube>(MAX_CELLS);
/**
 * Base weeks, read only to rebuild a month or week whose rollups changed. Kept apart so building a
 * whole year of them (more cells than the limit) never pushes out the published cubes.
 */
const base = new Lru<string, SuppressedCube>(MAX_CELLS);
const cacheOf = (stage: CubeStage = 'published') => (stage === 'base' ? base : published);

/**
 * The cube for some buckets of a partnership, from cached cubes where the versions they were built
 * from are unchanged. Reads rollups only for the buckets that are missing or stale.
 *
 * @param versions the asked grain's versions from `findRollupVersions`, when already read
 */
export async function cubeFor(
  db: D1Database,
  partnershipId: string,
  grain: Interval,
  periods: string[],
  rule: SuppressionRule,
  versions?: Map<string, string>,
): Promise<CubeSet> {
  const source: RollupSource = {
    async versions(g, ps) {
      if (ps.length === 0) return new Map();
      if (g === grain && versions && ps.every((p) => periods.includes(p))) return versions;
      const sorted = [...ps].sort();
      return findRollupVersions(db, partnershipId, g, sorted[0]!, sorted[sorted.length - 1]!);
    },
    rows: (g, ps) => findRollups(db, partnershipId, g, ps),
  };
  return publishedCubes(partnershipId, grain, periods, rule, source, {
    get: (k, stage) => cacheOf(stage).get(k),
    set: (k, cube, stage) => cacheOf(stage).set(k, cube, Math.max(1, cube.size)),
  });
}
